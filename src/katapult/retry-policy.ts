// The retry policy: which failures may have taken effect, which are tried again, the one decision
// of how long to wait before the next attempt, and the bound on every wait. Clock, sleep and
// randomness are injected so that it can be tested without real waiting.
import { type StepClock, StepTimeoutError, type Wait, formatSeconds } from './step-clock.ts'
import { KatapultApiError, MalformedAnswerError, UnexpectedResponseError } from './api-errors.ts'
import { TransportError } from './transport-errors.ts'

/**
 * Longer than the usual 1 s: a matrix of jobs refused together must drain through a limiter in
 * front of Katapult within its attempts (docs/behaviour.md, Errors and retries), and a lone retry
 * after a blip can spare a second or two.
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

/**
 * A refused request that Katapult asked to wait for longer than MAX_WAIT_MS: the step stops rather
 * than sleep that long. The request did nothing (every wait follows a definite refusal).
 */
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

/**
 * A request that got no answer, whose effect could not be checked: the check failed definitely
 * (a 403 on the listing, say), which says nothing of the request itself, so it may have acted.
 */
export class UncheckedRequestError extends Error {
  constructor(label: string, reason: string, cause: unknown) {
    super(`${label} got no answer (${reason}), and checking whether it took effect failed`, { cause })
    this.name = 'UncheckedRequestError'
  }
}

/** Katapult's 5xx answers that say it did not act: 503 service_unavailable, and allocate_new_ip finding no address. */
const DEFINITE_SERVER_REFUSALS = new Set(['service_unavailable', 'no_available_addresses'])

/**
 * Whether a failed request may have taken effect. Only a definite answer says it did not: any
 * 4xx (429 included), Katapult's 503 service_unavailable, and a request that never left this
 * machine. Any other 5xx, a 2xx that is not what was asked for, a connection lost after sending,
 * or a failure this policy does not know may have acted.
 */
export function mayHaveActed(error: unknown): boolean {
  if (error instanceof KatapultApiError) return error.status >= 500 && !DEFINITE_SERVER_REFUSALS.has(error.code)
  if (error instanceof UnexpectedResponseError) return error.status >= 500 || error.status < 400
  if (error instanceof TransportError || error instanceof StepTimeoutError) return error.sent
  return !(error instanceof WaitTooLongError)
}

/** What a failed attempt means for the next one. */
export type FailureVerdict =
  | { kind: 'fatal' }
  /** Refused before acting: safe to send again, after Retry-After when the answer had one. */
  | { kind: 'retry'; reason: string; retryAfterMs: number | undefined }
  /** The request may or may not have taken effect; the caller must find out before resending. */
  | { kind: 'ambiguous'; reason: string }

/** A failure after which another attempt may follow. */
export type RetryableFailure = Exclude<FailureVerdict, { kind: 'fatal' }>

/**
 * How one failed attempt bears on the next. Katapult refuses `429 rate_limit_reached` and
 * `503 service_unavailable` before acting, and so does a limiter's 429 page in front of it: those
 * are sent again. What may have acted is ambiguous; any other refusal is final.
 */
export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof StepTimeoutError) return { kind: 'fatal' }
  if (error instanceof KatapultApiError) {
    const reason = `${error.status} ${error.code}`
    if (error.code === 'rate_limit_reached' || error.code === 'service_unavailable') {
      return { kind: 'retry', reason, retryAfterMs: error.meta.retryAfterMs }
    }
    return mayHaveActed(error) ? { kind: 'ambiguous', reason } : { kind: 'fatal' }
  }
  if (error instanceof UnexpectedResponseError) {
    const reason = `${error.status} answer that is not Katapult's JSON`
    if (error.status === 429) return { kind: 'retry', reason, retryAfterMs: error.meta.retryAfterMs }
    return mayHaveActed(error) ? { kind: 'ambiguous', reason } : { kind: 'fatal' }
  }
  if (error instanceof MalformedAnswerError) {
    return { kind: 'ambiguous', reason: `${error.status} answer without the expected fields` }
  }
  if (error instanceof TransportError) {
    if (error.final) return { kind: 'fatal' }
    return error.sent
      ? { kind: 'ambiguous', reason: error.reason }
      : { kind: 'retry', reason: error.reason, retryAfterMs: undefined }
  }
  return { kind: 'fatal' }
}

/**
 * The one decision of how long to wait before an attempt. Before the first, only for a budget
 * that an earlier answer said was spent. After a failure, the longer of Retry-After and the
 * budget's next minute, since sending before either would only be refused again; with neither,
 * backoff.
 */
export function nextWait(
  failure: RetryableFailure | undefined,
  failedAttempts: number,
  budget: Wait | undefined,
  random: () => number,
): Wait | undefined {
  if (failure === undefined) return budget
  const retryAfterMs = failure.kind === 'retry' ? failure.retryAfterMs : undefined
  const retryAfter =
    retryAfterMs === undefined
      ? undefined
      : { ms: retryAfterMs, description: `retrying in ${formatSeconds(retryAfterMs)} (Retry-After)` }
  const [longest] = [retryAfter, budget].filter((wait) => wait !== undefined).sort((a, b) => b.ms - a.ms)
  if (longest) return longest
  const ms = backoffDelay(failedAttempts, random)
  return { ms, description: `retrying in ${formatSeconds(ms)} (backoff)` }
}

export interface RetryOptions<T> {
  label: string
  maxAttempts: number
  clock: StepClock
  log: (message: string) => void
  classify: (error: unknown) => FailureVerdict
  /** The wait before an attempt, after `failure` (undefined before the first one). */
  waitBefore: (failure: RetryableFailure | undefined, failedAttempts: number) => Wait | undefined
  /**
   * Finds out what an ambiguous attempt did: the result it produced, or undefined when it had no
   * effect and may be sent again. Without it, an ambiguous failure is simply retried, which is
   * right only for requests that are safe to repeat.
   */
  resolveAmbiguous?: ((error: unknown) => Promise<T | undefined>) | undefined
}

export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const { label, maxAttempts, clock, log } = options
  let failure: RetryableFailure | undefined
  let lastError: unknown
  for (let n = 1; ; n++) {
    const wait = options.waitBefore(failure, n - 1)
    if (wait) {
      // Only a Retry-After can ask for this much: the budget's next minute is always nearer.
      if (wait.ms > MAX_WAIT_MS) throw new WaitTooLongError(label, failure?.reason ?? '', wait, lastError)
      log(
        failure
          ? `${label}: attempt ${n - 1} of ${maxAttempts} failed (${failure.reason}); ${wait.description}`
          : `${wait.description} before ${label}`,
      )
      await clock.sleep(wait.ms, `waiting ${formatSeconds(wait.ms)} before sending ${label}`)
    }
    try {
      return await attempt(n)
    } catch (error) {
      lastError = error
      const verdict = options.classify(error)
      if (verdict.kind === 'fatal') throw error
      failure = verdict
      if (failure.kind === 'ambiguous' && options.resolveAmbiguous) {
        const { reason } = failure
        log(`${label}: ${reason}; checking whether the request took effect before sending it again`)
        const resolved = await options.resolveAmbiguous(error).catch((checkError: unknown) => {
          // The check's own definite failure must not read as a definite answer to the request.
          throw mayHaveActed(checkError) ? checkError : new UncheckedRequestError(label, reason, checkError)
        })
        if (resolved !== undefined) return resolved
        log(`${label}: it had not taken effect`)
      }
      if (n >= maxAttempts) {
        log(`${label}: attempt ${n} of ${maxAttempts} failed (${failure.reason}); giving up`)
        throw error
      }
    }
  }
}
