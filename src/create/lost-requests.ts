// What a request that got no answer made. A create or an allocation is recorded in the step's
// state before it is sent, with what existed then; a definite answer (a success, or a refusal that
// says nothing was done) clears the record, and only a request that may have acted without an
// answer leaves it. What appeared since then is that request's effect, by one rule: none means it
// made nothing, one is its own, several mean something else is creating too, and none of them is
// taken. The main step resolves this while it retries; the post step resolves what is still open.
import { type NetworkTarget, keepOnNetwork } from '../action/network-target.ts'
import { type AddressVersion, addressVersion, isAddress } from '../katapult/addresses.ts'
import type { InterfaceSummary, IpAddressRef, NetworkInterface } from '../katapult/answer-shapes.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { getInterface, listInterfaces } from '../katapult/endpoints.ts'
import { VM_INTERFACES_PATH } from '../katapult/paths.ts'
import { type Lookup, lookupQuery, lookupValue } from '../katapult/lookups.ts'
import { describeFailure } from '../action/failure-messages.ts'
import { listIds, quote } from '../katapult/untrusted.ts'
import { mayHaveActed } from '../katapult/retry-policy.ts'

type Log = (message: string) => void

/** A create request sent but not answered yet: what the post step needs to find its interface. */
export interface PendingCreate {
  virtualMachine: Lookup
  network: NetworkTarget
  /** The ids of the VM's interfaces before the request. */
  before: string[]
}

/**
 * An address allocation sent but not answered yet: a new address of a family (allocate_new_ip),
 * or an address the organisation holds (allocate_ip), which cleanup only unallocates.
 */
export type PendingAllocation = {
  interfaceId: string
  /** The ids of the interface's addresses before the request. */
  before: string[]
} & ({ version: AddressVersion } | { reserved: Lookup })

/**
 * Sends a request that may make something, its record saved before it leaves. A definite failure
 * clears the record at once: Katapult said it did nothing, so nothing that appears later is its
 * effect. A success is recorded by the caller, which clears the record in the same breath.
 */
export async function sendRecorded<T, R>(
  record: R,
  save: (record: R | undefined) => void,
  send: () => Promise<T>,
): Promise<T> {
  save(record)
  try {
    return await send()
  } catch (error) {
    if (!mayHaveActed(error)) save(undefined)
    throw error
  }
}

/**
 * What appeared since a request was sent; `another-vm` when the VM the request named has none of
 * the interfaces it had then (see interfacesSince), so that nothing on it can be this run's.
 */
type WhatAppeared<T> =
  { count: 'none' } | { count: 'one'; item: T } | { count: 'several'; items: T[] } | { count: 'another-vm' }

/** The one rule: none, one (the request's own), or several (someone else's too, so none is taken). */
function whatAppeared<T>(items: T[]): WhatAppeared<T> {
  const [first] = items
  if (!first) return { count: 'none' }
  return items.length === 1 ? { count: 'one', item: first } : { count: 'several', items }
}

async function interfacesSince(
  client: KatapultClient,
  pending: PendingCreate,
): Promise<WhatAppeared<InterfaceSummary>> {
  const known = new Set(pending.before)
  const after = await listInterfaces(client, pending.virtualMachine)
  // A VM keeps the interface it was built with: when none of those it had is there any more, its
  // FQDN now names another VM (a rebuilt one), whose interfaces are all "new" and none of them ours.
  if (known.size > 0 && !after.some((nic) => known.has(nic.id))) return { count: 'another-vm' }
  return whatAppeared(await keepOnNetwork(client, pending.network)(after.filter((nic) => !known.has(nic.id))))
}

async function addressesSince(client: KatapultClient, pending: PendingAllocation): Promise<WhatAppeared<IpAddressRef>> {
  const known = new Set(pending.before)
  const { ip_addresses: addresses } = await getInterface(client, pending.interfaceId)
  return whatAppeared(
    addresses.filter(
      (ip) =>
        !known.has(ip.id) &&
        ('version' in pending ? addressVersion(ip.address) === pending.version : isAddress(ip, pending.reserved)),
    ),
  )
}

/**
 * What to do with an interface nobody expected. reuse-existing adopts one only on a virtual
 * network (action/ownership.ts); on a network the interface is removed by its id.
 */
function unexpectedAdvice(network: NetworkTarget): string {
  return network.object === 'virtual_network'
    ? 'delete or reuse any interface you do not expect (re-running with reuse-existing: true adopts it)'
    : 'delete any interface you do not expect with the delete action and its interface-id (on a network, reuse-existing adopts nothing)'
}

/** Why the interfaces of the VM a lost create named are none of this run's. */
function anotherVm(pending: PendingCreate): string {
  return (
    `VM ${quote(lookupValue(pending.virtualMachine))} has none of the interfaces it had when the request was sent ` +
    '(its own included): the name now belongs to another VM, and this run cannot tell what the request made'
  )
}

function listingHint(pending: PendingCreate): string {
  const query = new URLSearchParams(lookupQuery('virtual_machine', pending.virtualMachine)).toString()
  return `GET /core/v1${VM_INTERFACES_PATH}?${decodeURIComponent(query)}`
}

/**
 * For the main step's retries: the interface that a create which got no answer made (adopted:
 * handed to `adopt` to be saved as this run's, then fetched in full), or undefined when it made
 * none and may be sent again.
 */
export async function adoptCreated(
  client: KatapultClient,
  pending: PendingCreate,
  log: Log,
  adopt: (id: string) => void,
): Promise<NetworkInterface | undefined> {
  let appeared: WhatAppeared<InterfaceSummary>
  try {
    appeared = await interfacesSince(client, pending)
  } catch (error) {
    throw new Error(
      'The create request failed in a way that may have created the interface, and listing the ' +
        "VM's interfaces to find out failed too, so this run cannot tell whether it exists " +
        '(the post step looks again). ' +
        `Check before re-running: ${listingHint(pending)} ` +
        "(or the VM's network page in the Katapult console), and " +
        `${unexpectedAdvice(pending.network)}. Listing failed with: ${describeFailure(error)}`,
      { cause: error },
    )
  }
  if (appeared.count === 'several') {
    throw new Error(
      `After an ambiguous failure, ${appeared.items.length} new interfaces appeared on the requested network ` +
        `(${listIds(appeared.items.map((nic) => nic.id))}), so something else is creating interfaces on this VM ` +
        'at the same time and this run cannot tell which one is its own. None was adopted; remove the extra ones, ' +
        'and give the jobs that create on this VM a concurrency group (see the README).',
    )
  }
  if (appeared.count === 'another-vm') throw new Error(`${anotherVm(pending)}, so none was adopted.`)
  if (appeared.count === 'none') {
    log('No new interface appeared on the VM: the lost request created nothing')
    return undefined
  }
  const { id } = appeared.item
  log(`Interface ${id} appeared on the VM: the lost request did create it, so it is adopted`)
  adopt(id)
  try {
    return await getInterface(client, id)
  } catch (error) {
    throw new Error(
      `Interface ${id} was created, but fetching it failed, so the step cannot output it. ${describeFailure(error)}`,
      { cause: error },
    )
  }
}

/** For the main step's retries: the address a lost allocation put on the interface, or undefined. */
export async function adoptAllocated(
  client: KatapultClient,
  pending: PendingAllocation,
): Promise<IpAddressRef | undefined> {
  const appeared = await addressesSince(client, pending)
  if (appeared.count === 'several') {
    throw new Error(
      `After an ambiguous failure, ${appeared.items.length} new addresses appeared on interface ${pending.interfaceId} ` +
        `(${listIds(appeared.items.map((ip) => ip.id))}), so this run cannot tell which one is its own; none was adopted.`,
    )
  }
  return appeared.count === 'one' ? appeared.item : undefined
}

/**
 * What this run made, as the post step removes it: an interface it created, new addresses it
 * allocated, and the organisation's addresses it put on the interface (only unallocated).
 */
export interface MadeByThisRun {
  interfaceId: string | undefined
  allocatedIpIds: string[]
  reservedIpIds: string[]
}

/** For the post step: the interface a create that got no answer made, if it can be told apart. */
async function lostCreateMade(client: KatapultClient, pending: PendingCreate, log: Log, warn: Log): Promise<string[]> {
  const appeared = await interfacesSince(client, pending)
  if (appeared.count === 'several') {
    warn(
      `A create request of this run got no answer, and ${appeared.items.length} interfaces appeared on the network since ` +
        `(${listIds(appeared.items.map((nic) => nic.id))}): this run cannot tell which is its own, so none is removed.`,
    )
  } else if (appeared.count === 'another-vm') {
    warn(`A create request of this run got no answer, but ${anotherVm(pending)}, so none is removed.`)
  } else if (appeared.count === 'one') {
    log(`The create request that got no answer did create interface ${appeared.item.id}`)
    return [appeared.item.id]
  } else {
    log('The create request that got no answer created nothing')
  }
  return []
}

/** For the post step: the address an allocation that got no answer made, if it can be told apart. */
async function lostAllocationMade(
  client: KatapultClient,
  pending: PendingAllocation,
  log: Log,
  warn: Log,
): Promise<string[]> {
  const appeared = await addressesSince(client, pending)
  if (appeared.count === 'several') {
    warn(
      `An allocation of this run got no answer, and ${appeared.items.length} addresses appeared on the interface since ` +
        `(${listIds(appeared.items.map((ip) => ip.id))}): this run cannot tell which is its own, so none is removed.`,
    )
  } else if (appeared.count === 'one') {
    log(`The allocation that got no answer did allocate ${appeared.item.address} (${appeared.item.id})`)
    return [appeared.item.id]
  } else {
    log('The allocation that got no answer allocated nothing')
  }
  return []
}

/**
 * For the post step: what the requests whose answers never came made. What cannot be told apart
 * from another creator's work, or could not be looked for, is named in a warning and left alone;
 * what the run knows it made is removed all the same.
 */
export async function findWhatLostRequestsMade(
  client: KatapultClient,
  open: { create: PendingCreate | undefined; allocation: PendingAllocation | undefined },
  log: Log,
  warn: Log,
): Promise<MadeByThisRun> {
  const lookFor = async (what: string, made: () => Promise<string[]>): Promise<string[]> => {
    try {
      return await made()
    } catch (error) {
      warn(
        `${what} of this run got no answer, and looking for what it made failed, so that is left behind. ${describeFailure(error, 'create')}`,
      )
      return []
    }
  }
  const { create, allocation } = open
  const [interfaceId] = create ? await lookFor('A create request', () => lostCreateMade(client, create, log, warn)) : []
  const addresses = allocation
    ? await lookFor('An allocation', () => lostAllocationMade(client, allocation, log, warn))
    : []
  const reserved = allocation !== undefined && 'reserved' in allocation
  return {
    interfaceId,
    allocatedIpIds: reserved ? [] : addresses,
    reservedIpIds: reserved ? addresses : [],
  }
}
