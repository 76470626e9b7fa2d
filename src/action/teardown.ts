// Removing what an action made, shared by the post step's cleanup and (later) a teardown action.
// Something already deleted elsewhere (404) counts as removed: the goal is that it is gone.
import { KatapultApiError } from '../katapult/errors.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { deleteInterface, deleteIpAddress, detachInterface, getInterface } from '../katapult/endpoints.ts'
import { systemClock } from '../katapult/retry.ts'
import { waitForTask } from '../katapult/tasks.ts'
import { describeFailure } from '../katapult/errors.ts'

export type Outcome = 'removed' | 'already gone' | 'left behind'

/** True when it removed the thing, false when the thing was already gone. */
async function unlessGone(action: () => Promise<void>): Promise<boolean> {
  try {
    await action()
    return true
  } catch (error) {
    if (error instanceof KatapultApiError && error.status === 404) return false
    throw error
  }
}

/** Releases an IP address from the organisation. */
export function releaseAddress(client: KatapultClient, ipId: string): Promise<boolean> {
  return unlessGone(() => deleteIpAddress(client, ipId))
}

/** Detaches the interface if it is attached (Katapult refuses to delete it then), then deletes it. */
export function removeInterface(client: KatapultClient, id: string, log: (message: string) => void): Promise<boolean> {
  return unlessGone(async () => {
    const { state } = await getInterface(client, id)
    if (state === 'attached') {
      log(`Detaching interface ${id} before deleting it`)
      await waitForTask(client, systemClock, `Detaching interface ${id}`, await detachInterface(client, id))
    }
    await deleteInterface(client, id)
  })
}

/** Runs a removal for a step that must not fail on it: what cannot be removed becomes a warning. */
export async function tryRemoval(
  what: string,
  removal: () => Promise<boolean>,
  log: (message: string) => void,
  warn: (message: string) => void,
): Promise<Outcome> {
  try {
    const removed = await removal()
    log(removed ? `Removed ${what}` : `${what} was already gone`)
    return removed ? 'removed' : 'already gone'
  } catch (error) {
    warn(`Could not remove ${what}; it is left behind. ${describeFailure(error)}`)
    return 'left behind'
  }
}
