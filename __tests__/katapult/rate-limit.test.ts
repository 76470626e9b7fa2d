// Katapult's per-minute budget as the wire shows it: read from X-Ratelimit-* and Date, waited out
// until the server's next minute, with a spread.
import { describe, expect, it } from '@jest/globals'
import {
  RateLimitWindow,
  type RateLimitReading,
  readRateLimit,
  untilNextMinute,
} from '../../src/katapult/rate-limit.ts'
import { fakeClock } from '../support/fake-clock.ts'

describe('the per-minute rate limit', () => {
  it('reads X-Ratelimit-Permitted, X-Ratelimit-Remaining and Date', () => {
    expect(
      readRateLimit(
        { 'x-ratelimit-permitted': '1000', 'x-ratelimit-remaining': '0', date: 'Fri, 14 Aug 2026 20:37:19 GMT' },
        5,
      ),
    ).toEqual({ permitted: 1000, remaining: 0, serverTime: Date.parse('2026-08-14T20:37:19Z'), receivedAt: 5 })
    expect(readRateLimit({ 'x-ratelimit-permitted': '1000' }, 0)).toBeUndefined()
    expect(readRateLimit({ 'x-ratelimit-permitted': '1000', 'x-ratelimit-remaining': 'lots' }, 0)).toBeUndefined()
  })

  const reading = (serverTime: number | undefined, receivedAt = 0): RateLimitReading => ({
    permitted: 1000,
    remaining: 0,
    serverTime,
    receivedAt,
  })

  it("waits until the server's next minute, counting the time since the answer arrived", () => {
    const at = Date.parse('2026-08-14T20:37:19Z')
    expect(untilNextMinute(reading(at), 0)).toBe(41_000)
    expect(untilNextMinute(reading(at), 1500)).toBe(39_500)
    expect(untilNextMinute(reading(at), 60_000)).toBe(0)
  })

  it('without a Date header, waits a whole minute, which always holds a turn', () => {
    expect(untilNextMinute(reading(undefined), 0)).toBe(60_000)
  })

  it('adds a random spread of up to 3 s, and describes the wait', () => {
    const clock = fakeClock(0.5, 0)
    const window = new RateLimitWindow(clock)
    window.note(reading(Date.parse('2026-08-14T20:37:19Z')))
    expect(window.wait()).toEqual({
      ms: 42_500,
      description: 'rate limit: 0 of 1000 left this minute; waiting 42.5 s for the next minute',
    })
  })

  it('forgets the wait once the budget has turned over or an answer shows budget left', () => {
    const clock = fakeClock(0, 0)
    const window = new RateLimitWindow(clock)
    window.note(reading(Date.parse('2026-08-14T20:37:59Z')))
    void clock.sleep(1000)
    expect(window.wait()).toBeUndefined()
    window.note(reading(Date.parse('2026-08-14T20:38:10Z'), clock.now()))
    window.note({ ...reading(undefined), remaining: 3 })
    expect(window.wait()).toBeUndefined()
  })
})
