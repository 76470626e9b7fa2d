// The organisation's rate-limit budget: so many requests per minute of the stand-in's clock,
// refilled when the minute turns, as api.katapult.io counts them. A test leaves only a few requests
// in it, as if other automation spent the rest, rather than sending a minute's worth itself.
import { ApiError } from './answers.ts'
import type { StandInClock } from './stand-in-clock.ts'

const MINUTE_MS = 60_000

export class Budget {
  readonly perMinute: number
  readonly #clock: StandInClock
  #minute = Number.NaN
  #remaining = 0

  constructor(clock: StandInClock, perMinute: number) {
    this.#clock = clock
    this.perMinute = perMinute
  }

  /** What was left when the budget was last counted; the minute may have turned since. */
  get remaining(): number {
    return this.#remaining
  }

  /** What is left in the clock's current minute. */
  remainingNow(): number {
    this.#refresh()
    return this.#remaining
  }

  /** Counts a request against this minute's budget; false when it is spent. */
  admit(): boolean {
    this.#refresh()
    if (this.#remaining === 0) return false
    this.#remaining--
    return true
  }

  /** Leaves `requests` in this minute's budget, as if other automation of the organisation spent the rest. */
  leave(requests: number): void {
    this.#refresh()
    this.#remaining = requests
  }

  /** Katapult's answer to a request the budget has no room for. */
  refusal(): ApiError {
    return new ApiError(429, 'rate_limit_reached', 'You have reached the rate limit for this type of request', {
      total_permitted: this.perMinute,
    })
  }

  #refresh(): void {
    const minute = Math.floor(this.#clock.now() / MINUTE_MS)
    if (minute !== this.#minute) {
      this.#minute = minute
      this.#remaining = this.perMinute
    }
  }
}
