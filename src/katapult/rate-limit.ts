// Katapult's rate limit as the wire shows it (not as the published document describes it): every
// answer carries `X-Ratelimit-Permitted` and `X-Ratelimit-Remaining`, the budget is per calendar
// minute of the server's clock (the `Date` header), and a refusal carries no Retry-After. Once the
// budget is spent, nothing succeeds before the server's next minute, so that is when to send.
import type { IncomingHttpHeaders } from 'node:http'
import { type Clock, type Wait, formatSeconds } from './step-clock.ts'

export interface RateLimitReading {
  permitted: number
  remaining: number
  /** The server's clock when it answered (the Date header, to the second), if it sent one. */
  serverTime: number | undefined
  /** This machine's clock when the answer arrived. */
  receivedAt: number
}

function wholeNumber(header: string | string[] | undefined): number | undefined {
  return typeof header === 'string' && /^\d{1,9}$/.test(header.trim()) ? Number(header) : undefined
}

export function readRateLimit(headers: IncomingHttpHeaders, receivedAt: number): RateLimitReading | undefined {
  const permitted = wholeNumber(headers['x-ratelimit-permitted'])
  const remaining = wholeNumber(headers['x-ratelimit-remaining'])
  if (permitted === undefined || remaining === undefined) return undefined
  const date = headers.date === undefined ? Number.NaN : Date.parse(headers.date)
  return { permitted, remaining, serverTime: Number.isNaN(date) ? undefined : date, receivedAt }
}

const MINUTE_MS = 60_000
/**
 * A random extra wait of up to this much after the minute turns, so that a matrix of jobs refused
 * in the same minute does not send all at once at :00.
 */
export const WINDOW_SPREAD_MS = 3000

/**
 * How long after `now` (this machine's clock) the server's next minute starts. The Date header is
 * truncated to the second, so the server's real time is at or after what it says: waiting until
 * the minute after it never comes too early. Without a Date, a whole minute always holds a turn.
 */
export function untilNextMinute(reading: RateLimitReading, now: number): number {
  if (reading.serverTime === undefined) return MINUTE_MS
  const nextMinute = (Math.floor(reading.serverTime / MINUTE_MS) + 1) * MINUTE_MS
  const serverNow = reading.serverTime + (now - reading.receivedAt)
  return Math.max(0, nextMinute - serverNow)
}

/** Remembers a spent budget, so that no request is sent into a certain 429. */
export class RateLimitWindow {
  readonly #clock: Clock
  #resumeAt: number | undefined
  #permitted = 0

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Notes what an answer said of the budget. */
  note(reading: RateLimitReading | undefined): void {
    if (reading === undefined) return
    if (reading.remaining > 0) {
      this.#resumeAt = undefined
      return
    }
    const now = this.#clock.now()
    this.#permitted = reading.permitted
    this.#resumeAt = now + untilNextMinute(reading, now) + Math.floor(this.#clock.random() * WINDOW_SPREAD_MS)
  }

  /** The wait until the budget is back, if the last answer said it was spent. */
  wait(): Wait | undefined {
    if (this.#resumeAt === undefined) return undefined
    const ms = this.#resumeAt - this.#clock.now()
    if (ms <= 0) {
      this.#resumeAt = undefined
      return undefined
    }
    return {
      ms,
      description: `rate limit: 0 of ${this.#permitted} left this minute; waiting ${formatSeconds(ms)} for the next minute`,
    }
  }
}
