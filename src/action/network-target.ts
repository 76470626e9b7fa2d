// The network an interface is on, as the inputs name it, and which of a VM's interfaces are on it:
// shared by the create action (to reuse one, and to find what a lost create made) and the delete
// action (to find the one to delete).
import type { InterfaceSummary } from '../katapult/answer-shapes.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { getNetworkId } from '../katapult/endpoints.ts'
import { type Lookup, lookupValue } from '../katapult/lookups.ts'
import { quote } from '../katapult/untrusted.ts'

/** A network (by id or permalink) or a virtual network (by id). */
export interface NetworkTarget {
  object: 'network' | 'virtual_network'
  lookup: Lookup
}

/** `virtual network "vnet_…"` or `network "uk-lon-01-public"`, for messages. */
export function describeNetwork(target: NetworkTarget): string {
  return `${target.object.replace('_', ' ')} ${quote(lookupValue(target.lookup))}`
}

/**
 * Keeps the interfaces on the requested network. The list shows networks by id only, so a
 * permalink is resolved to its id, once, and only when there is something to compare.
 */
export function keepOnNetwork(
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
