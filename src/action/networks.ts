// Which of a VM's interfaces are on the network an input names: shared by the create action (to
// reuse one, and to find what a lost create made) and the delete action (to find the one to delete).
import type { InterfaceSummary } from '../katapult/answers.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { getNetworkId } from '../katapult/endpoints.ts'
import type { NetworkTarget } from './inputs.ts'

/**
 * Keeps the interfaces on the requested network. The list shows networks by id only, so a
 * permalink is resolved to its id, once, and only when there is something to compare.
 */
export function onNetwork(
  client: KatapultClient,
  target: NetworkTarget,
): (candidates: InterfaceSummary[]) => Promise<InterfaceSummary[]> {
  let networkId: Promise<string> | undefined
  return async (candidates) => {
    const { id, permalink } = target.lookup
    if (target.object === 'virtual_network') return candidates.filter((nic) => nic.virtual_network?.id === id)
    if (candidates.length === 0) return candidates
    networkId ??= permalink === undefined ? Promise.resolve(id ?? '') : getNetworkId(client, permalink)
    const wanted = await networkId
    return candidates.filter((nic) => nic.network?.id === wanted)
  }
}
