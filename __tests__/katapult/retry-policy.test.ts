// The retry policy as a step's log shows it: which failures are tried again, how long each wait
// is and why, when it gives up, and which failures may have acted on Katapult.
import { describe, expect, it } from '@jest/globals'
import { type Clock, StepTimeoutError } from '../../src/katapult/step-clock.ts'
import { KatapultApiError, MalformedAnswerError, UnexpectedResponseError } from '../../src/katapult/api-errors.ts'
import { RateLimitWindow } from '../../src/katapult/rate-limit.ts'
import {
  BASE_DELAY_MS,
  MAX_DELAY_MS,
  type FailureVerdict,
  backoffDelay,
  classifyFailure,
  mayHaveActed,
  nextWait,
  WaitTooLongError,
  parseRetryAfter,
  withRetries,
} from '../../src/katapult/retry-policy.ts'
import { htmlPage, katapultError, NO_META, proxyRefusal, transportFailure } from '../support/client-errors.ts'
import { fakeClock, fakeStepClock } from '../support/fake-clock.ts'

/** Katapult's 429 as api.katapult.io sends it: the budget spent, no Retry-After. */
function budgetSpent(clock: Clock, serverTime: number): KatapultApiError {
  const reading = { permitted: 1000, remaining: 0, serverTime, receivedAt: clock.now() }
  return katapultError(429, 'rate_limit_reached', { meta: { rateLimit: reading, retryAfterMs: undefined } })
}

/** An attempt function that fails with the given errors in turn, then succeeds. */
function failing(...errors: Error[]): { attempt: () => Promise<string>; calls: () => number } {
  let calls = 0
  return {
    attempt: () => {
      const error = errors[calls++]
      return error ? Promise.reject(error) : Promise.resolve('done')
    },
    calls: () => calls,
  }
}

/** An attempt whose failures note their rate-limit reading as they arrive, as the client's answers do. */
function answeredBy(window: RateLimitWindow, attempt: () => Promise<string>): () => Promise<string> {
  return () =>
    attempt().catch((error: unknown) => {
      if (error instanceof KatapultApiError) window.note(error.meta.rateLimit)
      throw error
    })
}

/** withRetries as the client uses it: the one wait decision over a rate-limit window. */
function options(clock: Clock & { waits: number[] }, log: string[], window = new RateLimitWindow(clock)) {
  return {
    label: 'POST /x',
    maxAttempts: 4,
    clock: fakeStepClock(clock),
    log: (line: string) => log.push(line),
    classify: classifyFailure,
    waitBefore: (failure: Parameters<typeof nextWait>[0], failed: number) =>
      nextWait(failure, failed, window.wait(), () => clock.random()),
  }
}

describe('backoffDelay', () => {
  it('draws the wait uniformly below a ceiling that doubles from 3s', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, () => 0.9999))).toEqual([2999, 5999, 11998, 23997])
    expect(backoffDelay(3, () => 0.25)).toBe(BASE_DELAY_MS)
    expect(backoffDelay(2, () => 0)).toBe(0)
  })

  it('caps the ceiling at 30s', () => {
    expect(backoffDelay(20, () => 0.9999)).toBe(MAX_DELAY_MS - 3)
  })
})

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000)
    expect(parseRetryAfter(' 0 ', 0)).toBe(0)
    const now = Date.parse('Fri, 27 Nov 2026 10:00:00 GMT')
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:12 GMT', now)).toBe(12_000)
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0)
  })

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(undefined, 0)).toBeUndefined()
    expect(parseRetryAfter('soon', 0)).toBeUndefined()
  })
})

describe('classifyFailure', () => {
  it.each<[string, FailureVerdict['kind'], Error]>([
    ['429 rate_limit_reached', 'retry', katapultError(429, 'rate_limit_reached')],
    ['503 service_unavailable', 'retry', katapultError(503, 'service_unavailable')],
    ['503 no_available_addresses', 'fatal', katapultError(503, 'no_available_addresses')],
    ['500 with a Katapult error document', 'ambiguous', katapultError(500, 'internal_error')],
    ['404 virtual_machine_not_found', 'fatal', katapultError(404, 'virtual_machine_not_found')],
    ['422 validation_error', 'fatal', katapultError(422, 'validation_error')],
    ["a proxy's 502 page", 'ambiguous', htmlPage(502)],
    ["a server's 500 page", 'ambiguous', htmlPage(500)],
    ["a limiter's 429 page", 'retry', htmlPage(429)],
    ['a truncated 200', 'ambiguous', new UnexpectedResponseError('x', 200, 'application/json', '{"virt', NO_META)],
    ['a 200 without the object', 'ambiguous', new MalformedAnswerError('x', 200, 'without a task object')],
    ['a 404 page', 'fatal', htmlPage(404)],
    ['a reset after sending', 'ambiguous', transportFailure('ECONNRESET', true, 'socket hang up')],
    ['a refused connection', 'retry', transportFailure('ECONNREFUSED', false)],
    ['a host name that does not resolve', 'retry', transportFailure('ENOTFOUND', false)],
    ['an expired certificate', 'fatal', transportFailure('CERT_HAS_EXPIRED', false)],
    ['a self-signed certificate', 'fatal', transportFailure('DEPTH_ZERO_SELF_SIGNED_CERT', false)],
    ['a certificate for another host', 'fatal', transportFailure('ERR_TLS_CERT_ALTNAME_INVALID', false)],
    ['plain HTTP where TLS was expected', 'fatal', transportFailure('EPROTO', false, 'wrong version number')],
    ['a proxy that wants credentials', 'fatal', proxyRefusal(407)],
    ['a proxy that could not reach the API', 'retry', proxyRefusal(502)],
    ['the step-timeout', 'fatal', new StepTimeoutError('the step reached its 300.0 s', true)],
  ])('%s is %s', (_name, kind, error) => {
    expect(classifyFailure(error).kind).toBe(kind)
  })
})

describe('mayHaveActed: only a definite answer says a request did nothing', () => {
  it.each<[string, boolean, Error]>([
    ['404 network_speed_profile_not_found', false, katapultError(404, 'network_speed_profile_not_found')],
    ['422 validation_error', false, katapultError(422, 'validation_error')],
    ['429 rate_limit_reached', false, katapultError(429, 'rate_limit_reached')],
    ['503 service_unavailable', false, katapultError(503, 'service_unavailable')],
    ['503 no_available_addresses', false, katapultError(503, 'no_available_addresses')],
    ["a limiter's 429 page", false, htmlPage(429)],
    ['a refused connection', false, transportFailure('ECONNREFUSED', false)],
    [
      'a certificate failure, even after the request was handed over',
      false,
      transportFailure('CERT_HAS_EXPIRED', true),
    ],
    ['a 500 with a Katapult error document', true, katapultError(500, 'internal_error')],
    ["a proxy's 502 page", true, htmlPage(502)],
    ['a 200 without the object', true, new MalformedAnswerError('x', 200, 'without a task object')],
    ['a reset after sending', true, transportFailure('ECONNRESET', true)],
    ['a request the step-timeout cut off after sending', true, new StepTimeoutError('x', true)],
    [
      'a refusal with a Retry-After beyond two minutes',
      false,
      new WaitTooLongError('x', '429', { ms: 1e7, description: '' }, undefined),
    ],
    ['a failure the policy does not know', true, new Error('listing failed too')],
  ])('%s: may have acted %s', (_name, acted, error) => {
    expect(mayHaveActed(error)).toBe(acted)
  })
})

describe('nextWait: one decision for the next wait', () => {
  const retry = (retryAfterMs?: number) => ({ kind: 'retry' as const, reason: '429 rate_limit_reached', retryAfterMs })
  const budget = {
    ms: 39_100,
    description: 'rate limit: 0 of 1000 left this minute; waiting 39.1 s for the next minute',
  }

  it('takes the longer of Retry-After and the budget’s minute, described by its own reason', () => {
    expect(nextWait(retry(1000), 1, budget, () => 0.5)).toEqual(budget)
    expect(nextWait(retry(60_000), 1, budget, () => 0.5)).toEqual({
      ms: 60_000,
      description: 'retrying in 60.0 s (Retry-After)',
    })
  })

  it('backs off when there is neither, and before the first attempt waits only for a spent budget', () => {
    expect(nextWait(retry(), 2, undefined, () => 0.5)).toEqual({ ms: 3000, description: 'retrying in 3.0 s (backoff)' })
    expect(nextWait(undefined, 0, budget, () => 0.5)).toBe(budget)
    expect(nextWait(undefined, 0, undefined, () => 0.5)).toBeUndefined()
  })
})

describe('withRetries', () => {
  it('retries with backoff and logs one line per retry: attempt n of N, the reason, the wait', async () => {
    const clock = fakeClock(0.5)
    const log: string[] = []
    const { attempt, calls } = failing(
      katapultError(503, 'service_unavailable'),
      katapultError(429, 'rate_limit_reached'),
    )
    await expect(withRetries(attempt, options(clock, log))).resolves.toBe('done')
    expect(calls()).toBe(3)
    expect(clock.waits).toEqual([1500, 3000])
    expect(log).toEqual([
      'POST /x: attempt 1 of 4 failed (503 service_unavailable); retrying in 1.5 s (backoff)',
      'POST /x: attempt 2 of 4 failed (429 rate_limit_reached); retrying in 3.0 s (backoff)',
    ])
  })

  it("waits for the server's next minute when the 429 says the budget is spent: one wait, not the retry budget", async () => {
    const clock = fakeClock(0)
    const window = new RateLimitWindow(clock)
    // 50 s left in the server's minute.
    const refused = budgetSpent(clock, Date.parse('2026-11-28T12:00:10Z'))
    const log: string[] = []
    const { attempt, calls } = failing(refused)
    await expect(withRetries(answeredBy(window, attempt), options(clock, log, window))).resolves.toBe('done')
    expect(calls()).toBe(2)
    expect(clock.waits).toEqual([50_000])
    expect(log).toEqual([
      'POST /x: attempt 1 of 4 failed (429 rate_limit_reached); rate limit: 0 of 1000 left this minute; waiting 50.0 s for the next minute',
    ])
  })

  it('waits exactly as long as Retry-After says, before anything else', async () => {
    const clock = fakeClock(0.5)
    const log: string[] = []
    const retryAfter = (ms: number): KatapultApiError =>
      katapultError(429, 'rate_limit_reached', { meta: { rateLimit: undefined, retryAfterMs: ms } })
    const { attempt } = failing(retryAfter(7000), retryAfter(0))
    await withRetries(attempt, options(clock, log))
    expect(clock.waits).toEqual([7000, 0])
    expect(log[0]).toContain('retrying in 7.0 s (Retry-After)')
  })

  it('refuses to wait longer than two minutes, with the reason and the wait asked for', async () => {
    const clock = fakeClock()
    const tooLong = katapultError(503, 'service_unavailable', {
      meta: { rateLimit: undefined, retryAfterMs: 3_600_000 },
    })
    const { attempt, calls } = failing(tooLong)
    const failure = withRetries(attempt, options(clock, []))
    await expect(failure).rejects.toBeInstanceOf(WaitTooLongError)
    await expect(failure).rejects.toThrow(
      'POST /x failed (503 service_unavailable), and Katapult asked to wait 3600.0 s before trying again, longer than the 120.0 s this action waits at most',
    )
    expect(calls()).toBe(1)
    expect(clock.waits).toEqual([])
  })

  it('gives up after max-attempts with the last error', async () => {
    const clock = fakeClock()
    const log: string[] = []
    const last = katapultError(503, 'service_unavailable')
    const { attempt, calls } = failing(
      katapultError(503, 'service_unavailable'),
      katapultError(503, 'service_unavailable'),
      katapultError(503, 'service_unavailable'),
      last,
    )
    await expect(withRetries(attempt, options(clock, log))).rejects.toBe(last)
    expect(calls()).toBe(4)
    expect(log.at(-1)).toBe('POST /x: attempt 4 of 4 failed (503 service_unavailable); giving up')
  })

  it('a 429 with Retry-After and a spent budget is one wait, for the longer, logged once', async () => {
    const clock = fakeClock(0)
    const window = new RateLimitWindow(clock)
    // 39 s left in the server's minute; Retry-After says 1 s.
    const refused = katapultError(429, 'rate_limit_reached', {
      meta: {
        rateLimit: {
          permitted: 1000,
          remaining: 0,
          serverTime: Date.parse('2026-11-28T12:00:21Z'),
          receivedAt: clock.now(),
        },
        retryAfterMs: 1000,
      },
    })
    const log: string[] = []
    const { attempt, calls } = failing(refused)
    await expect(withRetries(answeredBy(window, attempt), options(clock, log, window))).resolves.toBe('done')
    expect(calls()).toBe(2)
    expect(clock.waits).toEqual([39_000])
    expect(log).toEqual([
      'POST /x: attempt 1 of 4 failed (429 rate_limit_reached); rate limit: 0 of 1000 left this minute; waiting 39.0 s for the next minute',
    ])
  })

  it('stops at the step-timeout instead of sleeping past it', async () => {
    const clock = fakeClock(0.5)
    const { attempt, calls } = failing(katapultError(503, 'service_unavailable'))
    const bounded = { ...options(clock, []), clock: fakeStepClock(clock, 1000) }
    await expect(withRetries(attempt, bounded)).rejects.toThrow(
      'step-timeout: waiting 1.5 s before sending POST /x would take the step past its 1.0 s (1.0 s left), so it stops here',
    )
    expect([calls(), clock.waits]).toEqual([1, []])
  })

  it('makes one attempt only when max-attempts is 1', async () => {
    const { attempt, calls } = failing(katapultError(503, 'service_unavailable'))
    await expect(withRetries(attempt, { ...options(fakeClock(), []), maxAttempts: 1 })).rejects.toBeInstanceOf(
      KatapultApiError,
    )
    expect(calls()).toBe(1)
  })

  it('does not retry other errors', async () => {
    const notFound = katapultError(404, 'virtual_machine_not_found')
    const { attempt, calls } = failing(notFound)
    await expect(withRetries(attempt, options(fakeClock(), []))).rejects.toBe(notFound)
    expect(calls()).toBe(1)
  })

  it('after an ambiguous failure, returns what the resolver found instead of resending', async () => {
    const { attempt, calls } = failing(transportFailure('ECONNRESET', true))
    const result = await withRetries(attempt, {
      ...options(fakeClock(), []),
      resolveAmbiguous: () => Promise.resolve('adopted'),
    })
    expect(result).toBe('adopted')
    expect(calls()).toBe(1)
  })

  it('resends after an ambiguous failure that the resolver found had no effect', async () => {
    const log: string[] = []
    const { attempt, calls } = failing(transportFailure('ECONNRESET', true))
    const result = await withRetries(attempt, {
      ...options(fakeClock(), log),
      resolveAmbiguous: () => Promise.resolve(undefined),
    })
    expect(result).toBe('done')
    expect(calls()).toBe(2)
    expect(log).toEqual([
      'POST /x: ECONNRESET; checking whether the request took effect before sending it again',
      'POST /x: it had not taken effect',
      'POST /x: attempt 1 of 4 failed (ECONNRESET); retrying in 1.5 s (backoff)',
    ])
  })
})
