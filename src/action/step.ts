// What every step of every action here does around its own work: mask the token before anything
// can print it, hold the step to its step-timeout, turn any failure into one message a user can
// act on, and close the connections.
import * as core from '@actions/core'
import { type ConnectionSettings, KatapultClient } from '../katapult/client.ts'
import { StepClock, systemClock } from '../katapult/clock.ts'
import { describeFailure } from '../katapult/errors.ts'
import { type InputReader, maskApiToken } from './inputs.ts'

export const readInput: InputReader = (name) => core.getInput(name)

export type Connect = (settings: ConnectionSettings) => KatapultClient

/** Runs `work`; a failure is passed to `report` (core.setFailed, or a warning in a post step). */
export async function runStep(
  work: (connect: Connect) => Promise<void>,
  report: (message: string) => void,
): Promise<void> {
  let client: KatapultClient | undefined
  try {
    maskApiToken(readInput, core.setSecret)
    await work((settings) => {
      client = new KatapultClient(settings, new StepClock(systemClock, settings.stepTimeoutMs), core.info, core.debug)
      return client
    })
  } catch (error) {
    report(describeFailure(error))
  } finally {
    client?.close()
  }
}
