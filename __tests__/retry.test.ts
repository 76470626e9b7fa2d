import { describe, expect, it } from '@jest/globals'
import { KatapultApiError, TransportError, UnexpectedResponseError, classifyFailure } from '../src/katapult/client.ts'
import {
  BASE_DELAY_MS,
  MAX_DELAY_MS,
  type FailureVerdict,
  type RetryClock,
  backoffDelay,
  parseRetryAfter,
  withRetries,
} from '../src/katapult/retry.ts'

/** A clock that records the waits instead of waiting. */
function fakeClock(random = 0.5): RetryClock & { waits: number[] } {
  let now = 1_000_000
  const waits: number[] = []
  return {
    waits,
    now: () => now,
    sleep: (ms) => {
      waits.push(ms)
      now += ms
      return Promise.resolve()
    },
    random: () => random,
  }
}

const rateLimited = (retryAfterMs?: number): KatapultApiError =>
  new KatapultApiError('POST /x', 429, { code: 'rate_limit_reached', detail: { total_permitted: 60 } }, retryAfterMs)

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

function options(clock: RetryClock, log: string[], extra: object = {}) {
  return {
    label: 'POST /x',
    maxAttempts: 4,
    clock,
    log: (line: string) => log.push(line),
    classify: classifyFailure,
    ...extra,
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
    ['429 rate_limit_reached', rateLimited(), 'retry'],
    ['503 service_unavailable', new KatapultApiError('x', 503, { code: 'service_unavailable' }, undefined), 'retry'],
    [
      '503 no_available_addresses',
      new KatapultApiError('x', 503, { code: 'no_available_addresses' }, undefined),
      'fatal',
    ],
    [
      '404 virtual_machine_not_found',
      new KatapultApiError('x', 404, { code: 'virtual_machine_not_found' }, undefined),
      'fatal',
    ],
    ['422 validation_error', new KatapultApiError('x', 422, { code: 'validation_error' }, undefined), 'fatal'],
    ["a proxy's 502 page", new UnexpectedResponseError('x', 502, 'Bad Gateway', 'text/html', '<html>'), 'ambiguous'],
    ['a truncated 200', new UnexpectedResponseError('x', 200, 'OK', 'application/json', '{"virt'), 'ambiguous'],
    ['a 404 page', new UnexpectedResponseError('x', 404, 'Not Found', 'text/html', 'nope'), 'fatal'],
    ['a reset after sending', new TransportError('x', 'ECONNRESET socket hang up', true), 'ambiguous'],
    ['a refused connection', new TransportError('x', 'ECONNREFUSED', false), 'retry'],
  ])('%s is %s', (_name, error, kind) => {
    expect(classifyFailure(error).kind).toBe(kind)
  })
})

describe('withRetries', () => {
  it('retries 429 with backoff and logs one line per retry: attempt n of N, the code, the wait', async () => {
    const clock = fakeClock(0.5)
    const log: string[] = []
    const { attempt, calls } = failing(rateLimited(), rateLimited())
    await expect(withRetries(attempt, options(clock, log))).resolves.toBe('done')
    expect(calls()).toBe(3)
    expect(clock.waits).toEqual([1500, 3000])
    expect(log).toEqual([
      'POST /x: attempt 1 of 4 failed (429 rate_limit_reached); retrying in 1.50s (backoff)',
      'POST /x: attempt 2 of 4 failed (429 rate_limit_reached); retrying in 3.00s (backoff)',
    ])
  })

  it('waits exactly as long as Retry-After says', async () => {
    const clock = fakeClock(0.5)
    const log: string[] = []
    const { attempt } = failing(rateLimited(7000), rateLimited(0))
    await withRetries(attempt, options(clock, log))
    expect(clock.waits).toEqual([7000, 0])
    expect(log[0]).toContain('retrying in 7.00s (Retry-After)')
  })

  it('gives up after max-attempts with the last error', async () => {
    const clock = fakeClock()
    const log: string[] = []
    const last = rateLimited()
    const { attempt, calls } = failing(rateLimited(), rateLimited(), rateLimited(), last)
    await expect(withRetries(attempt, options(clock, log))).rejects.toBe(last)
    expect(calls()).toBe(4)
    expect(log.at(-1)).toBe('POST /x: attempt 4 of 4 failed (429 rate_limit_reached); giving up')
  })

  it('makes one attempt only when max-attempts is 1', async () => {
    const { attempt, calls } = failing(rateLimited())
    await expect(withRetries(attempt, { ...options(fakeClock(), []), maxAttempts: 1 })).rejects.toBeInstanceOf(
      KatapultApiError,
    )
    expect(calls()).toBe(1)
  })

  it('does not retry other errors', async () => {
    const notFound = new KatapultApiError('x', 404, { code: 'virtual_machine_not_found' }, undefined)
    const { attempt, calls } = failing(notFound)
    await expect(withRetries(attempt, options(fakeClock(), []))).rejects.toBe(notFound)
    expect(calls()).toBe(1)
  })

  it('after an ambiguous failure, returns what the resolver found instead of resending', async () => {
    const { attempt, calls } = failing(new TransportError('x', 'ECONNRESET', true))
    const result = await withRetries(attempt, {
      ...options(fakeClock(), []),
      resolveAmbiguous: () => Promise.resolve('adopted'),
    })
    expect(result).toBe('adopted')
    expect(calls()).toBe(1)
  })

  it('resends after an ambiguous failure that the resolver found had no effect', async () => {
    const log: string[] = []
    const { attempt, calls } = failing(new TransportError('x', 'ECONNRESET', true))
    const result = await withRetries(attempt, {
      ...options(fakeClock(), log),
      resolveAmbiguous: () => Promise.resolve(undefined),
    })
    expect(result).toBe('done')
    expect(calls()).toBe(2)
    expect(log).toEqual([
      'POST /x: ECONNRESET; checking whether the request took effect before sending it again',
      'POST /x: it had not taken effect',
      'POST /x: attempt 1 of 4 failed (ECONNRESET); retrying in 1.50s (backoff)',
    ])
  })
})
