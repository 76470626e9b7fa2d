// The post step: when `cleanup` is on, removes what the main step created, and only that.
// Cleanup never fails the job: what it cannot remove is named in a warning.
import * as core from '@actions/core'
import { describeFailure } from '../katapult/errors.ts'
import { maskApiToken, parseCleanupSettings } from '../action/inputs.ts'
import { deleteInterface, deleteIpAddress, detachInterface, getInterface } from '../katapult/endpoints.ts'
import { KatapultApiError, KatapultClient } from '../katapult/client.ts'
import { systemClock } from '../katapult/retry.ts'
import { STATE } from './state.ts'
import { waitForTask } from '../katapult/tasks.ts'

const read = (name: string): string => core.getInput(name)

type Outcome = 'removed' | 'already gone' | 'left behind'

/** Runs one removal; something already deleted elsewhere (404) counts as done. */
async function remove(what: string, action: () => Promise<void>): Promise<Outcome> {
  try {
    await action()
    core.info(`Removed ${what}`)
    return 'removed'
  } catch (error) {
    if (error instanceof KatapultApiError && error.status === 404) {
      core.info(`${what} was already gone`)
      return 'already gone'
    }
    core.warning(`Could not remove ${what}; it is left behind. ${describeFailure(error)}`)
    return 'left behind'
  }
}

export async function runCleanup(): Promise<void> {
  let client: KatapultClient | undefined
  try {
    maskApiToken(read, core.setSecret)
    const settings = parseCleanupSettings(read)
    if (!settings) return
    const interfaceId = core.getState(STATE.interfaceId)
    const created = core.getState(STATE.created) === 'true'
    const ipIds = JSON.parse(core.getState(STATE.allocatedIpIds) || '[]') as string[]
    if (!(created && interfaceId) && ipIds.length === 0) {
      core.info('Cleanup: this run created nothing, so there is nothing to remove')
      return
    }
    client = new KatapultClient(settings, systemClock, core.info, core.debug)
    const api = client
    const outcomes: [string, Outcome][] = []

    for (const ipId of ipIds) {
      outcomes.push([`IP address ${ipId}`, await remove(`IP address ${ipId}`, () => deleteIpAddress(api, ipId))])
    }
    if (created && interfaceId) {
      const what = `interface ${interfaceId}`
      // Katapult refuses to delete an attached interface (409 deletion_restricted).
      const outcome = await remove(what, async () => {
        const { state } = await getInterface(api, interfaceId)
        if (state === 'attached') {
          core.info(`Detaching ${what} before deleting it`)
          await waitForTask(api, systemClock, `Detaching ${what}`, await detachInterface(api, interfaceId))
        }
        await deleteInterface(api, interfaceId)
      })
      outcomes.push([what, outcome])
    }

    const line = `Cleanup: ${outcomes.map(([what, outcome]) => `${what} ${outcome}`).join('; ')}`
    core.info(line)
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(line, true).write()
  } catch (error) {
    core.warning(`Cleanup could not run, so anything this run created is left behind: ${describeFailure(error)}`)
  } finally {
    client?.close()
  }
}
