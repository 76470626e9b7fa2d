// A clock for the retry policy that records its waits instead of waiting: sleeping moves its time
// on at once (and calls `onSleep`, e.g. to move the stand-in's clock on by as much).
import { type Clock, StepClock } from '../../src/katapult/step-clock.ts'

export function fakeClock(
  random = 0.5,
  start = 1_000_000,
  onSleep: (ms: number) => void = () => undefined,
): Clock & { waits: number[] } {
  let now = start
  const waits: number[] = []
  return {
    waits,
    now: () => now,
    sleep: (ms: number) => {
      waits.push(ms)
      now += ms
      onSleep(ms)
      return Promise.resolve()
    },
    random: () => random,
  }
}

/** A step's clock over a fake one, with a step-timeout (none by default). */
export function fakeStepClock(
  clock: Clock & { waits: number[] },
  limitMs = Number.POSITIVE_INFINITY,
): StepClock & { waits: number[] } {
  return Object.assign(new StepClock(clock, limitMs), { waits: clock.waits })
}
