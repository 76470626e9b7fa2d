// The Katapult endpoints this action uses, typed from the Core API's OpenAPI document.
import type { AddressVersion, Lookup } from '../action/inputs.ts'
import type { KatapultClient } from './client.ts'

export interface NamedRef {
  id: string
  name?: string
}

export interface IpAddressRef {
  id: string
  address: string
}

/** `virtual_machine_network_interface` as the create and get endpoints return it. */
export interface NetworkInterface {
  id: string
  name: string
  virtual_machine?: NamedRef
  network: NamedRef | null
  virtual_network: NamedRef | null
  mac_address: string
  state: string
  ip_addresses: IpAddressRef[]
  speed_profile?: NamedRef & { permalink?: string }
}

/** The list endpoint's shorter form of an interface. */
export type InterfaceSummary = Pick<NetworkInterface, 'id' | 'name' | 'network' | 'virtual_network' | 'ip_addresses'>

export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed'

export interface Task {
  id: string
  name?: string
  status: TaskStatus
  progress?: number
}

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

const PER_PAGE = 100

export async function listInterfaces(client: KatapultClient, virtualMachine: Lookup): Promise<InterfaceSummary[]> {
  const interfaces: InterfaceSummary[] = []
  for (let page = 1; ; page++) {
    const answer = await client.request<{
      virtual_machine_network_interfaces: InterfaceSummary[]
      pagination?: { total_pages?: number | null }
    }>('GET', VM_INTERFACES_PATH, {
      query: { ...lookupQuery('virtual_machine', virtualMachine), page, per_page: PER_PAGE },
    })
    const batch = answer.virtual_machine_network_interfaces
    interfaces.push(...batch)
    // total_pages is null for a "large set"; a short page is then the last one.
    const totalPages = answer.pagination?.total_pages
    if (totalPages == null ? batch.length < PER_PAGE : page >= totalPages) return interfaces
  }
}

export async function getInterface(client: KatapultClient, id: string): Promise<NetworkInterface> {
  const answer = await client.request<{ virtual_machine_network_interface: NetworkInterface }>('GET', INTERFACE_PATH, {
    query: { 'virtual_machine_network_interface[id]': id },
  })
  return answer.virtual_machine_network_interface
}

export async function getNetworkId(client: KatapultClient, permalink: string): Promise<string> {
  const answer = await client.request<{ network: NamedRef }>('GET', '/networks/network', {
    query: { 'network[permalink]': permalink },
  })
  return answer.network.id
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
  const answer = await client.request<{ virtual_machine_network_interface: NetworkInterface }>(
    'POST',
    VM_INTERFACES_PATH,
    { body, resolveAmbiguous: async () => wrap('virtual_machine_network_interface', await findCreated()) },
  )
  return answer.virtual_machine_network_interface
}

function wrap<K extends string, V>(key: K, value: V | undefined): Record<K, V> | undefined {
  return value === undefined ? undefined : ({ [key]: value } as Record<K, V>)
}

export async function attachInterface(client: KatapultClient, id: string): Promise<Task> {
  const answer = await client.request<{ task: Task }>('POST', `${INTERFACE_PATH}/attach`, {
    body: { virtual_machine_network_interface: { id } },
  })
  return answer.task
}

export async function detachInterface(client: KatapultClient, id: string): Promise<Task> {
  const answer = await client.request<{ task: Task }>('POST', `${INTERFACE_PATH}/detach`, {
    body: { virtual_machine_network_interface: { id } },
  })
  return answer.task
}

/** Allocates a new address; `findAllocated` plays the part of createInterface's `findCreated`. */
export async function allocateNewIp(
  client: KatapultClient,
  id: string,
  version: AddressVersion,
  findAllocated: () => Promise<IpAddressRef | undefined>,
): Promise<IpAddressRef> {
  const answer = await client.request<{ ip_address: IpAddressRef }>('POST', `${INTERFACE_PATH}/allocate_new_ip`, {
    body: { virtual_machine_network_interface: { id }, address_version: version },
    resolveAmbiguous: async () => wrap('ip_address', await findAllocated()),
  })
  return answer.ip_address
}

export async function deleteIpAddress(client: KatapultClient, id: string): Promise<void> {
  await client.request('DELETE', '/ip_addresses/ip_address', { body: { ip_address: { id } } })
}

export async function deleteInterface(client: KatapultClient, id: string): Promise<void> {
  await client.request('DELETE', INTERFACE_PATH, { body: { virtual_machine_network_interface: { id } } })
}

export async function getTask(client: KatapultClient, id: string): Promise<Task> {
  const answer = await client.request<{ task: Task }>('GET', '/tasks/task', { query: { 'task[id]': id } })
  return answer.task
}
