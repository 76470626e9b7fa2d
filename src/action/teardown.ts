// Removing what an action made, shared by the post step's cleanup and the delete action.
// Something already deleted elsewhere (404) counts as removed: the goal is that it is gone.
import { KatapultApiError } from '../katapult/errors.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { deleteInterface, deleteIpAddress, detachInterface, getInterface, unallocateIp } from '../katapult/endpoints.ts'
import { systemClock } from '../katapult/retry.ts'
import { waitForTask } from '../katapult/tasks.ts'
import { describeFailure } from '../katapult/errors.ts'

/** True when it removed the thing, false when the thing was already gone (or, `alsoGone`, in that state). */
async function unlessGone(action: () => Promise<void>, alsoGone?: string): Promise<boolean> {
  try {
    await action()
    return true
  } catch (error) {
    if (error instanceof KatapultApiError && (error.status === 404 || error.code === alsoGone)) return false
    throw error
  }
}

/** Takes an address off its interface; the organisation keeps it. */
export function unallocateAddress(client: KatapultClient, ipId: string): Promise<boolean> {
  return unlessGone(() => unallocateIp(client, ipId), 'no_allocation')
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

/**
 * Runs a removal for a step that must not fail on it: what cannot be removed becomes a warning.
 * Returns what happened, e.g. `removed`, `already gone`, `left behind`.
 */
export async function tryRemoval(
  what: string,
  removal: () => Promise<boolean>,
  { done, log, warn }: { done: string; log: (message: string) => void; warn: (message: string) => void },
): Promise<string> {
  try {
    const removed = await removal()
    log(removed ? `${what} ${done}` : `${what} was already gone`)
    return removed ? done : 'already gone'
  } catch (error) {
    warn(`Could not remove ${what}; it is left behind. ${describeFailure(error)}`)
    return 'left behind'
  }
}
