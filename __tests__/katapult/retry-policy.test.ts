import { describe, expect, it } from '@jest/globals'
import { fakeClock, fakeStepClock } from '../support/fake-clock.ts'
import { type Clock, StepTimeoutError } from '../../src/katapult/step-clock.ts'
import {
  type AnswerMeta,
  KatapultApiError,
  MalformedAnswerError,
  UnexpectedResponseError,
} from '../../src/katapult/api-errors.ts'
import { ProxyError, TransportError, classifyTransportFailure } from '../../src/katapult/transport-errors.ts'
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

const NO_META: AnswerMeta = { rateLimit: undefined, retryAfterMs: undefined }
const page = (status: number): UnexpectedResponseError =>
  new UnexpectedResponseError('x', status, 'text/html', '<html>', NO_META)

/** A failure on the way, as the client raises it from Node's error. */
const transport = (code: string, sent: boolean, message = code): TransportError =>
  new TransportError('x', classifyTransportFailure(Object.assign(new Error(message), { code })), sent, {
    origin: 'https://api.katapult.io',
    proxy: undefined,
  })

const proxyRefused = (status: number): TransportError =>
  new TransportError(
    'x',
    classifyTransportFailure(new ProxyError('http://proxy:3128', 'api.katapult.io:443', { status })),
    false,
    {
      origin: 'https://api.katapult.io',
      proxy: 'http://proxy:3128',
    },
  )

const katapult = (status: number, code: string, meta: AnswerMeta = NO_META): KatapultApiError =>
  new KatapultApiError('POST /x', status, { code, description: '', detail: {} }, meta)

/** Katapult's 429 as api.katapult.io sends it: the budget spent, no Retry-After. */
function budgetSpent(clock: Clock, serverTime: number): KatapultApiError {
  const reading = { permitted: 1000, remaining: 0, serverTime, receivedAt: clock.now() }
  return katapult(429, 'rate_limit_reached', { rateLimit: reading, retryAfterMs: undefined })
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
  it.each<[string, Error, FailureVerdict['kind']]>([
    ['429 rate_limit_reached', katapult(429, 'rate_limit_reached'), 'retry'],
    ['503 service_unavailable', katapult(503, 'service_unavailable'), 'retry'],
    ['503 no_available_addresses', katapult(503, 'no_available_addresses'), 'fatal'],
    ['500 with a Katapult error document', katapult(500, 'internal_error'), 'ambiguous'],
    ['404 virtual_machine_not_found', katapult(404, 'virtual_machine_not_found'), 'fatal'],
    ['422 validation_error', katapult(422, 'validation_error'), 'fatal'],
    ["a proxy's 502 page", page(502), 'ambiguous'],
    ["a server's 500 page", page(500), 'ambiguous'],
    ["a limiter's 429 page", page(429), 'retry'],
    ['a truncated 200', new UnexpectedResponseError('x', 200, 'application/json', '{"virt', NO_META), 'ambiguous'],
    ['a 200 without the object', new MalformedAnswerError('x', 200, 'without a task object'), 'ambiguous'],
    ['a 404 page', page(404), 'fatal'],
    ['a reset after sending', transport('ECONNRESET', true, 'socket hang up'), 'ambiguous'],
    ['a refused connection', transport('ECONNREFUSED', false), 'retry'],
    ['a host name that does not resolve', transport('ENOTFOUND', false), 'retry'],
    ['an expired certificate', transport('CERT_HAS_EXPIRED', false), 'fatal'],
    ['a self-signed certificate', transport('DEPTH_ZERO_SELF_SIGNED_CERT', false), 'fatal'],
    ['a certificate for another host', transport('ERR_TLS_CERT_ALTNAME_INVALID', false), 'fatal'],
    ['plain HTTP where TLS was expected', transport('EPROTO', false, 'wrong version number'), 'fatal'],
    ['a proxy that wants credentials', proxyRefused(407), 'fatal'],
    ['a proxy that could not reach the API', proxyRefused(502), 'retry'],
    ['the step-timeout', new StepTimeoutError('the step reached its 300.0 s', true), 'fatal'],
  ])('%s is %s', (_name, error, kind) => {
    expect(classifyFailure(error).kind).toBe(kind)
  })
})

describe('mayHaveActed: only a definite answer says a request did nothing', () => {
  it.each<[string, boolean, Error]>([
    ['404 network_speed_profile_not_found', false, katapult(404, 'network_speed_profile_not_found')],
    ['422 validation_error', false, katapult(422, 'validation_error')],
    ['429 rate_limit_reached', false, katapult(429, 'rate_limit_reached')],
    ['503 service_unavailable', false, katapult(503, 'service_unavailable')],
    ['503 no_available_addresses', false, katapult(503, 'no_available_addresses')],
    ["a limiter's 429 page", false, page(429)],
    ['a refused connection', false, transport('ECONNREFUSED', false)],
    ['a certificate failure, even after the request was handed over', false, transport('CERT_HAS_EXPIRED', true)],
    ['a 500 with a Katapult error document', true, katapult(500, 'internal_error')],
    ["a proxy's 502 page", true, page(502)],
    ['a 200 without the object', true, new MalformedAnswerError('x', 200, 'without a task object')],
    ['a reset after sending', true, transport('ECONNRESET', true)],
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
    const { attempt, calls } = failing(katapult(503, 'service_unavailable'), katapult(429, 'rate_limit_reached'))
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
      katapult(429, 'rate_limit_reached', { rateLimit: undefined, retryAfterMs: ms })
    const { attempt } = failing(retryAfter(7000), retryAfter(0))
    await withRetries(attempt, options(clock, log))
    expect(clock.waits).toEqual([7000, 0])
    expect(log[0]).toContain('retrying in 7.0 s (Retry-After)')
  })

  it('refuses to wait longer than two minutes, with the reason and the wait asked for', async () => {
    const clock = fakeClock()
    const tooLong = katapult(503, 'service_unavailable', { rateLimit: undefined, retryAfterMs: 3_600_000 })
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
    const last = katapult(503, 'service_unavailable')
    const { attempt, calls } = failing(
      katapult(503, 'service_unavailable'),
      katapult(503, 'service_unavailable'),
      katapult(503, 'service_unavailable'),
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
    const refused = katapult(429, 'rate_limit_reached', {
      rateLimit: {
        permitted: 1000,
        remaining: 0,
        serverTime: Date.parse('2026-11-28T12:00:21Z'),
        receivedAt: clock.now(),
      },
      retryAfterMs: 1000,
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
    const { attempt, calls } = failing(katapult(503, 'service_unavailable'))
    const bounded = { ...options(clock, []), clock: fakeStepClock(clock, 1000) }
    await expect(withRetries(attempt, bounded)).rejects.toThrow(
      'step-timeout: waiting 1.5 s before sending POST /x would take the step past its 1.0 s (1.0 s left), so it stops here',
    )
    expect([calls(), clock.waits]).toEqual([1, []])
  })

  it('makes one attempt only when max-attempts is 1', async () => {
    const { attempt, calls } = failing(katapult(503, 'service_unavailable'))
    await expect(withRetries(attempt, { ...options(fakeClock(), []), maxAttempts: 1 })).rejects.toBeInstanceOf(
      KatapultApiError,
    )
    expect(calls()).toBe(1)
  })

  it('does not retry other errors', async () => {
    const notFound = katapult(404, 'virtual_machine_not_found')
    const { attempt, calls } = failing(notFound)
    await expect(withRetries(attempt, options(fakeClock(), []))).rejects.toBe(notFound)
    expect(calls()).toBe(1)
  })

  it('after an ambiguous failure, returns what the resolver found instead of resending', async () => {
    const { attempt, calls } = failing(transport('ECONNRESET', true))
    const result = await withRetries(attempt, {
      ...options(fakeClock(), []),
      resolveAmbiguous: () => Promise.resolve('adopted'),
    })
    expect(result).toBe('adopted')
    expect(calls()).toBe(1)
  })

  it('resends after an ambiguous failure that the resolver found had no effect', async () => {
    const log: string[] = []
    const { attempt, calls } = failing(transport('ECONNRESET', true))
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
