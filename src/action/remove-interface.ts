// Removing an interface: shared by the post step's cleanup and the delete action. Something
// already deleted elsewhere counts as gone: the goal is that it is gone. What this step's own
// lost request did counts as this step's (see Removal).
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
  if (!found) return 'gone'
  if (found.state === 'attached') {
    log(`Detaching interface ${id} before deleting it`)
    const task = await detachInterface(client, id)
    if (task) await waitForTask(client, `Detaching interface ${id}`, task)
  }
  return deleteInterface(client, id)
}
