// The Katapult endpoints the actions use, each with the reader that checks its answer's shape, and
// what its "already so" answers mean.
import type { AddressVersion } from './addresses.ts'
import {
  type AvailableNetworks,
  type InterfaceSummary,
  type IpAddressRef,
  type NetworkInterface,
  type Page,
  type PermalinkRef,
  type Task,
  type VirtualMachine,
  readAvailableNetworks,
  readInterface,
  readInterfacePage,
  readIpAddress,
  readNetwork,
  readSpeedProfilePage,
  readTask,
  readVirtualMachine,
} from './answer-shapes.ts'
import type { KatapultClient, Query } from './client.ts'
import { isNotFound } from './api-errors.ts'
import { INTERFACE_PATH, VM_INTERFACES_PATH } from './paths.ts'
import { type Lookup, lookupQuery } from './lookups.ts'

/**
 * What a removal did: `removed` by this step, or `gone` already (deleted or detached by something
 * else). A 404 after an attempt of this step that got no answer is this step's own removal.
 */
export type Removal = 'removed' | 'gone'

export interface CreateBody {
  virtual_machine: Lookup
  network?: Lookup
  virtual_network?: Lookup
  speed_profile: Lookup
}

/** Katapult's largest page. */
const PER_PAGE = 200
/** Pages of PER_PAGE, far more than a VM has interfaces: a listing that goes on is Katapult's pagination gone wrong. */
export const MAX_PAGES = 25

/**
 * Every page of a listing. It ends at an empty page, at the last page the answer counts, or at a
 * page shorter than a full one. A full page is as long as the answer's per_page, or, when the
 * answer counts no pages and gives no per_page (a "large set"), as long as the first page was:
 * Katapult may page by fewer than the 200 asked for.
 */
async function listAll<T>(
  client: KatapultClient,
  what: string,
  path: string,
  query: Query,
  read: (answer: unknown) => Page<T>,
): Promise<T[]> {
  const items: T[] = []
  let firstPageSize: number | undefined
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await client.request('GET', path, { query: { ...query, page, per_page: PER_PAGE }, read })
    items.push(...answer.items)
    if (answer.items.length === 0 || (answer.totalPages !== null && page >= answer.totalPages)) return items
    firstPageSize ??= answer.items.length
    const fullPage = answer.perPage ?? (answer.totalPages === null ? firstPageSize : undefined)
    if (fullPage !== undefined && answer.items.length < fullPage) return items
  }
  throw new Error(
    `GET /core/v1${path}: the listing of ${what} ran past ${MAX_PAGES} pages of ${PER_PAGE}, more than there can be; ` +
      'the action stops rather than page on. Try again later, or report it to Katapult.',
  )
}

export function listInterfaces(client: KatapultClient, virtualMachine: Lookup): Promise<InterfaceSummary[]> {
  const query = lookupQuery('virtual_machine', virtualMachine)
  return listAll(client, "the VM's interfaces", VM_INTERFACES_PATH, query, readInterfacePage)
}

export function getVirtualMachine(client: KatapultClient, virtualMachine: Lookup): Promise<VirtualMachine> {
  return client.request('GET', '/virtual_machines/virtual_machine', {
    query: lookupQuery('virtual_machine', virtualMachine),
    read: readVirtualMachine,
  })
}

export function listSpeedProfiles(client: KatapultClient, organizationId: string): Promise<PermalinkRef[]> {
  const query = { 'organization[id]': organizationId }
  const path = '/organizations/organization/network_speed_profiles'
  return listAll(client, "the organisation's speed profiles", path, query, readSpeedProfilePage)
}

export function getAvailableNetworks(client: KatapultClient, organizationId: string): Promise<AvailableNetworks> {
  return client.request('GET', '/organizations/organization/available_networks', {
    query: { 'organization[id]': organizationId },
    read: readAvailableNetworks,
  })
}

export async function getInterface(client: KatapultClient, id: string): Promise<NetworkInterface> {
  return client.request('GET', INTERFACE_PATH, {
    query: { 'virtual_machine_network_interface[id]': id },
    read: readInterface,
  })
}

/** The interface, or undefined when Katapult says there is none with that id (deleted elsewhere). */
export async function getInterfaceUnlessGone(
  client: KatapultClient,
  id: string,
): Promise<NetworkInterface | undefined> {
  try {
    return await getInterface(client, id)
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

export async function getNetworkId(client: KatapultClient, permalink: string): Promise<string> {
  const network = await client.request('GET', '/networks/network', {
    query: { 'network[permalink]': permalink },
    read: readNetwork,
  })
  return network.id
}

/**
 * Creates an interface. `findCreated` tells, after an ambiguous failure, which interface the
 * lost attempt created, if any: the POST is resent only when it created none.
 */
export async function createInterface(
  client: KatapultClient,
  body: CreateBody,
  findCreated: () => Promise<NetworkInterface | undefined>,
): Promise<NetworkInterface> {
  return client.request('POST', VM_INTERFACES_PATH, { body, read: readInterface, resolveAmbiguous: findCreated })
}

/** Attaches the interface: the task to wait for, or undefined when it is attached already. */
export async function attachInterface(client: KatapultClient, id: string): Promise<Task | undefined> {
  return client.request<Task | undefined>('POST', `${INTERFACE_PATH}/attach`, {
    body: { virtual_machine_network_interface: { id } },
    read: readTask,
    alreadyAsAsked: {
      test: (error) => error.code === 'virtual_machine_network_interface_already_attached',
      value: () => undefined,
    },
  })
}

/**
 * Detaches the interface: the task to wait for, or undefined when it is detached already. Safe to
 * send again: a repeat of a detach that took effect is answered "already detached".
 */
export async function detachInterface(client: KatapultClient, id: string): Promise<Task | undefined> {
  return client.request<Task | undefined>('POST', `${INTERFACE_PATH}/detach`, {
    body: { virtual_machine_network_interface: { id } },
    read: readTask,
    repeatable: true,
    alreadyAsAsked: {
      // Katapult's Terraform provider tolerates not_attached here too.
      test: (error) =>
        error.code === 'virtual_machine_network_interface_already_detached' ||
        error.code === 'virtual_machine_network_interface_not_attached',
      value: () => undefined,
    },
  })
}

/** Allocates a new address; `findAllocated` plays the part of createInterface's `findCreated`. */
export async function allocateNewIp(
  client: KatapultClient,
  id: string,
  version: AddressVersion,
  findAllocated: () => Promise<IpAddressRef | undefined>,
): Promise<IpAddressRef> {
  return client.request('POST', `${INTERFACE_PATH}/allocate_new_ip`, {
    body: { virtual_machine_network_interface: { id }, address_version: version },
    read: readIpAddress,
    resolveAmbiguous: findAllocated,
  })
}

/**
 * Allocates an address the organisation already holds (`{ id }` or `{ address }`) to the interface,
 * and returns the interface as it is afterwards. `findAllocated` plays the part of createInterface's
 * `findCreated`.
 */
export async function allocateIp(
  client: KatapultClient,
  id: string,
  ipAddress: Lookup,
  findAllocated: () => Promise<NetworkInterface | undefined>,
): Promise<NetworkInterface> {
  return client.request('POST', `${INTERFACE_PATH}/allocate_ip`, {
    body: { virtual_machine_network_interface: { id }, ip_address: ipAddress },
    read: readInterface,
    resolveAmbiguous: findAllocated,
  })
}

/**
 * Takes an address off whatever it is allocated to; the organisation keeps it. Safe to send again:
 * a repeat of one that took effect is answered no_allocation. An address that no longer exists
 * (404) is gone whatever this step did, since unallocating never deletes one.
 */
export async function unallocateIp(client: KatapultClient, id: string): Promise<Removal> {
  return client.request<Removal>('POST', '/ip_addresses/ip_address/unallocate', {
    body: { ip_address: { id } },
    read: () => 'removed',
    repeatable: true,
    alreadyAsAsked: {
      test: (error) => error.code === 'no_allocation' || isNotFound(error),
      value: (lostAttemptDidIt, error) => (lostAttemptDidIt && !isNotFound(error) ? 'removed' : 'gone'),
    },
  })
}

export async function updateSpeedProfile(
  client: KatapultClient,
  id: string,
  speedProfile: Lookup,
): Promise<Task | undefined> {
  return client.request<Task | undefined>('PATCH', `${INTERFACE_PATH}/update_speed_profile`, {
    body: { virtual_machine_network_interface: { id }, speed_profile: speedProfile },
    read: readTask,
    alreadyAsAsked: { test: (error) => error.code === 'speed_profile_already_assigned', value: () => undefined },
  })
}

/** Releases an address from the organisation. */
export async function deleteIpAddress(client: KatapultClient, id: string): Promise<Removal> {
  return client.request<Removal>('DELETE', '/ip_addresses/ip_address', {
    body: { ip_address: { id } },
    read: () => 'removed',
    alreadyAsAsked: { test: isNotFound, value: (lostAttemptDidIt) => (lostAttemptDidIt ? 'removed' : 'gone') },
  })
}

export async function deleteInterface(client: KatapultClient, id: string): Promise<Removal> {
  return client.request<Removal>('DELETE', INTERFACE_PATH, {
    body: { virtual_machine_network_interface: { id } },
    read: () => 'removed',
    alreadyAsAsked: { test: isNotFound, value: (lostAttemptDidIt) => (lostAttemptDidIt ? 'removed' : 'gone') },
  })
}

export async function getTask(client: KatapultClient, id: string): Promise<Task> {
  return client.request('GET', '/tasks/task', { query: { 'task[id]': id }, read: readTask })
}
