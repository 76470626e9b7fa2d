// The Katapult endpoints the actions use, each with the reader that checks its answer's shape.
import {
  type InterfaceSummary,
  type IpAddressRef,
  type NetworkInterface,
  type Task,
  readInterface,
  readInterfacePage,
  readIpAddress,
  readNetwork,
  readNothing,
  readTask,
} from './answers.ts'
import type { KatapultClient } from './client.ts'

/** One of the API's lookup objects, holding exactly one key: `{ id: 'vm_…' }`, `{ fqdn: '…' }`. */
export type Lookup = Readonly<Record<string, string>>

export type AddressVersion = 'ipv4' | 'ipv6'

export interface CreateBody {
  virtual_machine: Lookup
  network?: Lookup
  virtual_network?: Lookup
  speed_profile: Lookup
}

const INTERFACE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface'
export const VM_INTERFACES_PATH = '/virtual_machines/virtual_machine/network_interfaces'

/** `{ id: 'x' }` under `virtual_machine` becomes `virtual_machine[id]=x`, the API's query form. */
export function lookupQuery(object: string, lookup: Lookup): Record<string, string> {
  return Object.fromEntries(Object.entries(lookup).map(([key, value]) => [`${object}[${key}]`, value]))
}

/** Katapult's largest page. */
const PER_PAGE = 200
/** 5,000 interfaces, far more than a VM has: a listing that goes on is Katapult's pagination gone wrong. */
export const MAX_PAGES = 25

export async function listInterfaces(client: KatapultClient, virtualMachine: Lookup): Promise<InterfaceSummary[]> {
  const interfaces: InterfaceSummary[] = []
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await client.request('GET', VM_INTERFACES_PATH, {
      query: { ...lookupQuery('virtual_machine', virtualMachine), page, per_page: PER_PAGE },
      read: readInterfacePage,
    })
    const batch = answer.interfaces
    interfaces.push(...batch)
    // An empty page ends the listing whatever total_pages says; so does the last counted page.
    if (batch.length === 0 || (answer.totalPages !== null && page >= answer.totalPages)) return interfaces
    // A short page is the last, judged by the page size the answer reports (or, for a "large set"
    // that counts no pages, by the size asked for).
    const shortPage = batch.length < (answer.perPage ?? PER_PAGE)
    if (shortPage && (answer.perPage !== undefined || answer.totalPages === null)) return interfaces
  }
  throw new Error(
    `GET /core/v1${VM_INTERFACES_PATH}: the listing of the VM's interfaces ran past ${MAX_PAGES} pages of ${PER_PAGE}, ` +
      'more than a VM has; the action stops rather than page on. Try again later, or report it to Katapult.',
  )
}

export async function getInterface(client: KatapultClient, id: string): Promise<NetworkInterface> {
  return client.request('GET', INTERFACE_PATH, {
    query: { 'virtual_machine_network_interface[id]': id },
    read: readInterface,
  })
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

export async function attachInterface(client: KatapultClient, id: string): Promise<Task> {
  return client.request('POST', `${INTERFACE_PATH}/attach`, {
    body: { virtual_machine_network_interface: { id } },
    read: readTask,
  })
}

export async function detachInterface(client: KatapultClient, id: string): Promise<Task> {
  return client.request('POST', `${INTERFACE_PATH}/detach`, {
    body: { virtual_machine_network_interface: { id } },
    read: readTask,
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

/** Takes an address off whatever it is allocated to; the organisation keeps it. */
export async function unallocateIp(client: KatapultClient, id: string): Promise<void> {
  await client.request('POST', '/ip_addresses/ip_address/unallocate', {
    body: { ip_address: { id } },
    read: readNothing,
  })
}

export async function updateSpeedProfile(client: KatapultClient, id: string, speedProfile: Lookup): Promise<Task> {
  return client.request('PATCH', `${INTERFACE_PATH}/update_speed_profile`, {
    body: { virtual_machine_network_interface: { id }, speed_profile: speedProfile },
    read: readTask,
  })
}

/** Releases an address from the organisation. */
export async function deleteIpAddress(client: KatapultClient, id: string): Promise<void> {
  await client.request('DELETE', '/ip_addresses/ip_address', { body: { ip_address: { id } }, read: readNothing })
}

export async function deleteInterface(client: KatapultClient, id: string): Promise<void> {
  await client.request('DELETE', INTERFACE_PATH, {
    body: { virtual_machine_network_interface: { id } },
    read: readNothing,
  })
}

export async function getTask(client: KatapultClient, id: string): Promise<Task> {
  return client.request('GET', '/tasks/task', { query: { 'task[id]': id }, read: readTask })
}
