// When and how long to wait before trying a request again. Clock, sleep and randomness are
// injected so that the policy can be tested without real waiting.

export interface RetryClock {
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
}

/**
 * 3 s rather than the usual 1 s: with the default 5 attempts, the retries of a 1 s base span
 * 7.5 s on average, less than a 20-job matrix needs to drain through a rate limit of a few
 * requests a second (a simulation of 20 jobs at 5/s failed a job in 37% of runs with 1 s, 0.3%
 * with 3 s). A lone retry after a blip waits 1.5 s on average, which a provisioning step can spare.
 */
export const BASE_DELAY_MS = 3000
export const MAX_DELAY_MS = 30_000

/**
 * Exponential backoff with full jitter: a uniform wait between 0 and base·2^(n-1), capped.
 * Full jitter (rather than a fixed or "equal" jitter) is what spreads a matrix of jobs that were
 * all refused at the same moment, so that they do not collide again on the next attempt.
 */
export function backoffDelay(failedAttempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failedAttempt - 1))
  return Math.floor(random() * ceiling)
}

/** A Retry-After header as milliseconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/** What a failed attempt means for the next one. */
export type FailureVerdict =
  | { kind: 'fatal' }
  | { kind: 'retry'; reason: string; retryAfterMs: number | undefined }
  /** The request may or may not have taken effect; the caller must find out before resending. */
  | { kind: 'ambiguous'; reason: string }

export interface RetryOptions<T> {
  label: string
  maxAttempts: number
  clock: RetryClock
  log: (message: string) => void
  classify: (error: unknown) => FailureVerdict
  /**
   * Finds out what an ambiguous attempt did: the result it produced, or undefined when it had no
   * effect and may be sent again. Without it, an ambiguous failure is simply retried, which is
   * right only for idempotent requests.
   */
  resolveAmbiguous?: (error: unknown) => Promise<T | undefined>
}

export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const { label, maxAttempts, clock, log } = options
  for (let n = 1; ; n++) {
    let verdict: FailureVerdict
    try {
      return await attempt(n)
    } catch (error) {
      verdict = options.classify(error)
      if (verdict.kind === 'fatal') throw error
      if (verdict.kind === 'ambiguous' && options.resolveAmbiguous) {
        log(`${label}: ${verdict.reason}; checking whether the request took effect before sending it again`)
        const resolved = await options.resolveAmbiguous(error)
        if (resolved !== undefined) return resolved
        log(`${label}: it had not taken effect`)
      }
      if (n >= maxAttempts) {
        log(`${label}: attempt ${n} of ${maxAttempts} failed (${verdict.reason}); giving up`)
        throw error
      }
    }
    const retryAfterMs = verdict.kind === 'retry' ? verdict.retryAfterMs : undefined
    const wait = retryAfterMs ?? backoffDelay(n, clock.random)
    const source = retryAfterMs === undefined ? 'backoff' : 'Retry-After'
    log(
      `${label}: attempt ${n} of ${maxAttempts} failed (${verdict.reason}); retrying in ${formatSeconds(wait)} (${source})`,
    )
    await clock.sleep(wait)
  }
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)}s`
}
