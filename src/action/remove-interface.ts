// Removing an interface: shared by the post step's cleanup and the delete action. Something
// already deleted elsewhere counts as gone: the goal is that it is gone. What this step's own
// lost request did counts as this step's (see Removal).
import type { NetworkInterface } from '../katapult/answer-shapes.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { type Removal, deleteInterface, detachInterface, getInterfaceUnlessGone } from '../katapult/endpoints.ts'
import { waitForTask } from '../katapult/tasks.ts'

/** Detaches the interface if it is attached (Katapult refuses to delete it then), then deletes it. */
export async function removeInterface(
  client: KatapultClient,
  id: string,
  log: (message: string) => void,
): Promise<Removal> {
  const found = await getInterfaceUnlessGone(client, id)
  return found ? removeFound(client, found, log) : 'gone'
}

/** The same, for an interface just read. */
export async function removeFound(
  client: KatapultClient,
  found: Pick<NetworkInterface, 'id' | 'state'>,
  log: (message: string) => void,
): Promise<Removal> {
  const { id } = found
  if (found.state === 'attached') {
    log(`Detaching interface ${id} before deleting it`)
    const task = await detachInterface(client, id)
    if (task) await waitForTask(client, `Detaching interface ${id}`, task)
  }
  return deleteInterface(client, id)
}
