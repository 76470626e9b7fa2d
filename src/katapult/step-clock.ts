// Time, as everything that waits sees it: the clock, sleeping and randomness are injected, so that
// tests drive them instead of waiting, and every wait of a step is held to the step's own bound
// (step-timeout). Sleeping goes through node:timers/promises, which the end-to-end tests' driven
// clock (stand-in/driven-time.ts) replaces in the action's process; it is loaded on the first
// sleep, which most steps never take.

export interface Clock {
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    const { setTimeout: sleep } = await import('node:timers/promises')
    await sleep(ms)
  },
  random: () => Math.random(),
}

/** A wait before the next request, and the reason the log gives for it. */
export interface Wait {
  ms: number
  description: string
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** The step reached its step-timeout: it stops, rather than wait or send past it. */
export class StepTimeoutError extends Error {
  /** True when a request was cut off after it was sent, so it may have taken effect. */
  readonly sent: boolean
  constructor(what: string, sent: boolean) {
    super(`step-timeout: ${what}, so it stops here`)
    this.name = 'StepTimeoutError'
    this.sent = sent
  }
}

/** A step's clock: the base clock, with every sleep and request held to the step's deadline. */
export class StepClock implements Clock {
  readonly limitMs: number
  readonly #base: Clock
  readonly #deadline: number

  constructor(base: Clock, limitMs: number) {
    this.#base = base
    this.limitMs = limitMs
    this.#deadline = base.now() + limitMs
  }

  now(): number {
    return this.#base.now()
  }

  random(): number {
    return this.#base.random()
  }

  remainingMs(): number {
    return Math.max(0, this.#deadline - this.#base.now())
  }

  /** Sleeps, or fails at once when the sleep would end past the deadline; `doing` names the wait. */
  async sleep(ms: number, doing = `waiting ${formatSeconds(ms)}`): Promise<void> {
    const left = this.remainingMs()
    if (ms > left) {
      const limit = `${formatSeconds(this.limitMs)} (${formatSeconds(left)} left)`
      throw new StepTimeoutError(`${doing} would take the step past its ${limit}`, false)
    }
    await this.#base.sleep(ms)
  }

  /**
   * The error for a request that the deadline cut off, or kept from being sent; `stalled` says
   * where a request that had not gone out stood (`the proxy … did not answer the CONNECT …`).
   */
  cutOff(label: string, sent: boolean, stalled?: string): StepTimeoutError {
    const when = sent
      ? `while waiting for the answer to ${label}`
      : `before sending ${label}${stalled ? ` (${stalled})` : ''}`
    return new StepTimeoutError(`the step reached its ${formatSeconds(this.limitMs)} ${when}`, sent)
  }
}
