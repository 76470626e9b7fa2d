// The stand-in's clock: what its Date headers say, and when its per-minute rate-limit budget
// turns over. Tests set it near the end of a minute, freeze it, or drive it forward, so that no
// test waits a real minute for Katapult's window to turn.

const MINUTE_MS = 60_000

function toMs(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at)
}

export class StandInClock {
  #offset = 0
  #frozenAt: number | undefined

  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offset
  }

  /** Runs on from `at`, at the real pace. */
  set(at: string | number): void {
    this.#frozenAt = undefined
    this.#offset = toMs(at) - Date.now()
  }

  /** Stands still at `at` until set() or advance() moves it. */
  freeze(at: string | number): void {
    this.#frozenAt = toMs(at)
  }

  /** Starts a frozen clock running from where it stands. */
  run(): void {
    this.set(this.now())
  }

  /** Moves the clock forward, running or frozen. */
  advance(ms: number): void {
    if (this.#frozenAt === undefined) this.#offset += ms
    else this.#frozenAt += ms
  }

  /** Sets the clock running so that its next minute starts `ms` from now. */
  minuteTurnsIn(ms: number): void {
    const base = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS + 10 * MINUTE_MS
    this.set(base - ms)
  }

  /** The start of the minute after the current one. */
  nextMinute(): number {
    return (Math.floor(this.now() / MINUTE_MS) + 1) * MINUTE_MS
  }
}
