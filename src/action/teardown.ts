// Removing an interface, and running removals that must not fail a step: shared by the post step's
// cleanup and the delete action. Something already deleted elsewhere counts as gone: the goal is
// that it is gone. What this step's own lost request did counts as this step's (see Removal).
import type { KatapultClient } from '../katapult/client.ts'
import { type Removal, deleteInterface, detachInterface, getInterface } from '../katapult/endpoints.ts'
import { isNotFound } from '../katapult/api-errors.ts'
import { waitForTask } from '../katapult/tasks.ts'
import { describeFailure } from './failure-messages.ts'

/** Detaches the interface if it is attached (Katapult refuses to delete it then), then deletes it. */
export async function removeInterface(
  client: KatapultClient,
  id: string,
  log: (message: string) => void,
): Promise<Removal> {
  let state: string
  try {
    ;({ state } = await getInterface(client, id))
  } catch (error) {
    if (isNotFound(error)) return 'gone'
    throw error
  }
  if (state === 'attached') {
    log(`Detaching interface ${id} before deleting it`)
    const task = await detachInterface(client, id)
    if (task) await waitForTask(client, `Detaching interface ${id}`, task)
  }
  return deleteInterface(client, id)
}

/**
 * Runs a removal for a step that must not fail on it: what cannot be removed becomes a warning.
 * Returns what happened, e.g. `removed`, `already gone`, `left behind`.
 */
export async function tryRemoval(
  what: string,
  removal: () => Promise<Removal>,
  { done, log, warn }: { done: string; log: (message: string) => void; warn: (message: string) => void },
): Promise<string> {
  try {
    const removed = (await removal()) === 'removed'
    log(removed ? `${what} ${done}` : `${what} was already gone`)
    return removed ? done : 'already gone'
  } catch (error) {
    warn(`Could not remove ${what}; it is left behind. ${describeFailure(error)}`)
    return 'left behind'
  }
}
