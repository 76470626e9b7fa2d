// A clock for the retry policy that records its waits instead of waiting: sleeping moves its time
// on at once (and calls `onSleep`, e.g. to move the stand-in's clock on by as much).
import type { RetryClock } from '../src/katapult/retry.ts'

export function fakeClock(
  random = 0.5,
  start = 1_000_000,
  onSleep: (ms: number) => void = () => undefined,
): RetryClock & { waits: number[] } {
  let now = start
  const waits: number[] = []
  return {
    waits,
    now: () => now,
    sleep: (ms) => {
      waits.push(ms)
      now += ms
      onSleep(ms)
      return Promise.resolve()
    },
    random: () => random,
  }
}
