// The retry policy: which failures are tried again, how long to wait first, and the bound on every
// wait. Clock, sleep and randomness are injected so that it can be tested without real waiting.
import {
  type AnswerMeta,
  KatapultApiError,
  MalformedAnswerError,
  TransportError,
  UnexpectedResponseError,
} from './errors.ts'
import type { RateLimitWindow } from './rate-limit.ts'

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

/** A wait before the next attempt, and the reason the log gives for it. */
export interface Wait {
  ms: number
  description: string
}

/**
 * 3 s rather than the usual 1 s: with the default 5 attempts, the retries of a 1 s base span
 * 7.5 s on average, less than a matrix needs to drain through a limiter in front of Katapult (a
 * simulation of 20 jobs at 5/s failed a job in 37% of runs with 1 s, 0.3% with 3 s). A lone retry
 * after a blip waits 1.5 s on average, which a provisioning step can spare.
 */
export const BASE_DELAY_MS = 3000
export const MAX_DELAY_MS = 30_000
/**
 * No single wait is longer: Katapult's budget turns over every minute, so two minutes covers any
 * honest wait, and a step that would sleep longer is better failed with a message.
 */
export const MAX_WAIT_MS = 120_000

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

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** What a failed attempt means for the next one. */
export type FailureVerdict =
  | { kind: 'fatal' }
  /** Refused before acting: safe to send again, after `wait` (backoff when absent). */
  | { kind: 'retry'; reason: string; wait?: Wait | undefined }
  /** The request may or may not have taken effect; the caller must find out before resending. */
  | { kind: 'ambiguous'; reason: string }

/** Katapult's documented 5xx answers that say it did not act (allocate_new_ip found no address). */
const DEFINITE_SERVER_REFUSALS = new Set(['no_available_addresses'])

function retryAfterWait(meta: AnswerMeta): Wait | undefined {
  if (meta.retryAfterMs === undefined) return undefined
  return { ms: meta.retryAfterMs, description: `retrying in ${formatSeconds(meta.retryAfterMs)} (Retry-After)` }
}

/**
 * How one failed attempt bears on the next. Katapult refuses `429 rate_limit_reached` and
 * `503 service_unavailable` before acting, so those are sent again: after Retry-After when there
 * is one, at the server's next minute when the answer says the minute's budget is spent, and
 * after backoff otherwise (another limiter in front of Katapult, a 503). Any other 5xx, a 2xx
 * that is not what was asked for, or a connection lost after sending may have acted.
 */
export function classifyFailure(error: unknown, window: RateLimitWindow): FailureVerdict {
  if (error instanceof KatapultApiError) {
    const reason = `${error.status} ${error.code}`
    if (error.code === 'rate_limit_reached' || error.code === 'service_unavailable') {
      const budgetSpent = error.code === 'rate_limit_reached' && error.meta.rateLimit?.remaining === 0
      return { kind: 'retry', reason, wait: retryAfterWait(error.meta) ?? (budgetSpent ? window.wait() : undefined) }
    }
    if (error.status >= 500 && !DEFINITE_SERVER_REFUSALS.has(error.code)) return { kind: 'ambiguous', reason }
    return { kind: 'fatal' }
  }
  if (error instanceof UnexpectedResponseError) {
    // A 429 page comes from a limiter in front of Katapult, which refused the request.
    if (error.status === 429) return { kind: 'retry', reason: `${error.status} answer that is not Katapult's JSON` }
    const mayHaveActed = error.status >= 500 || (error.status >= 200 && error.status < 300)
    return mayHaveActed
      ? { kind: 'ambiguous', reason: `${error.status} answer that is not Katapult's JSON` }
      : { kind: 'fatal' }
  }
  if (error instanceof MalformedAnswerError) {
    return { kind: 'ambiguous', reason: `${error.status} answer without the expected fields` }
  }
  if (error instanceof TransportError) {
    return error.sent ? { kind: 'ambiguous', reason: error.reason } : { kind: 'retry', reason: error.reason }
  }
  return { kind: 'fatal' }
}

/** Katapult asked for a wait longer than MAX_WAIT_MS: the step stops rather than sleep that long. */
export class WaitTooLongError extends Error {
  constructor(label: string, reason: string, wait: Wait, cause: unknown) {
    super(
      `${label} failed (${reason}), and Katapult asked to wait ${formatSeconds(wait.ms)} before trying again, ` +
        `longer than the ${formatSeconds(MAX_WAIT_MS)} this action waits at most; try again later`,
      { cause },
    )
    this.name = 'WaitTooLongError'
  }
}

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
  resolveAmbiguous?: ((error: unknown) => Promise<T | undefined>) | undefined
}

export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const { label, maxAttempts, clock, log } = options
  for (let n = 1; ; n++) {
    let verdict: FailureVerdict
    let failure: unknown
    try {
      return await attempt(n)
    } catch (error) {
      failure = error
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
    const backoff = backoffDelay(n, clock.random)
    const wait = (verdict.kind === 'retry' ? verdict.wait : undefined) ?? {
      ms: backoff,
      description: `retrying in ${formatSeconds(backoff)} (backoff)`,
    }
    if (wait.ms > MAX_WAIT_MS) throw new WaitTooLongError(label, verdict.reason, wait, failure)
    log(`${label}: attempt ${n} of ${maxAttempts} failed (${verdict.reason}); ${wait.description}`)
    await clock.sleep(wait.ms)
  }
}
