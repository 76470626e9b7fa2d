// What every step of every action here does around its own work: mask the secrets before
// anything can print them, hand the work a runner that scrubs them from everything it shows, hold
// the step to its step-timeout, turn any failure into one message a user can act on, and close
// the connections.
import { type ConnectionSettings, KatapultClient } from '../katapult/client.ts'
import { type Clock, StepClock } from '../katapult/step-clock.ts'
import { describeFailure } from './failure-messages.ts'
import type { Runner } from './runner.ts'
import type { ActionName } from './scopes.ts'
import { maskSecrets, scrubbing } from './secrets.ts'

export interface Step {
  /** The runner, scrubbing the secrets from whatever it is given. */
  runner: Runner
  /** The client for the step's connection, on the step's clock (bounded by step-timeout). */
  connect: (settings: ConnectionSettings) => KatapultClient
}

/**
 * Runs `work` as a step; a failure is passed to `report` (the runner's setFailed, or a warning in
 * a post step, which must not fail the job).
 */
export async function runStep(
  { runner: actual, clock, action }: { runner: Runner; clock: Clock; action: ActionName },
  work: (step: Step) => Promise<void>,
  report: (runner: Runner, message: string) => void,
): Promise<void> {
  let runner = actual
  let client: KatapultClient | undefined
  try {
    runner = scrubbing(actual, maskSecrets(actual))
    await work({
      runner,
      connect: (settings) => {
        const log = (message: string): void => {
          runner.info(message)
        }
        const debug = (message: string): void => {
          runner.debug(message)
        }
        client = new KatapultClient(settings, new StepClock(clock, settings.stepTimeoutMs), log, debug)
        return client
      },
    })
  } catch (error) {
    report(runner, describeFailure(error, action))
  } finally {
    client?.close()
  }
}
