// The shapes of the answers the action reads, checked field by field before anything uses them:
// a malformed answer becomes one clear message (`… answered 200 without a
// virtual_machine_network_interface object`), never `Cannot read properties of undefined`, and no
// output is set from half an answer. Ids (by kind: an interface's id is a `vmnet_…`), addresses,
// MACs and states are checked against strict patterns, which also makes them safe to print (see
// untrusted.ts); names stay free text.
import { isIP } from 'node:net'
import { isRecord } from './json.ts'
import { type IdKind, idForm, isId } from './ids.ts'

/** A field that is missing or not what the action reads: `problem` completes "answered 200 …". */
export class ShapeError extends Error {}

type Check<T> = (value: unknown, path: string) => T

function fail(path: string, expected: string, form = ''): never {
  throw new ShapeError(`without ${expected} at ${path}${form}`)
}

function id(kind: IdKind): Check<string> {
  return (value, path) =>
    typeof value === 'string' && isId(kind, value) ? value : fail(path, 'a Katapult id', ` (${idForm(kind)})`)
}

const text: Check<string> = (value, path) => (typeof value === 'string' ? value : fail(path, 'a string'))

const optionalText: Check<string | undefined> = (value, path) =>
  value === undefined || value === null ? undefined : text(value, path)

const ipAddress: Check<string> = (value, path) =>
  typeof value === 'string' && isIP(value) !== 0 ? value : fail(path, 'an IP address')

const MAC_ADDRESS = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i
const macAddress: Check<string> = (value, path) =>
  typeof value === 'string' && MAC_ADDRESS.test(value) ? value : fail(path, 'a MAC address')

/** `attached`, `detached`, and once `_none` on the wire: a lowercase word. */
const INTERFACE_STATE = /^[a-z_]{1,32}$/
const state: Check<string> = (value, path) =>
  typeof value === 'string' && INTERFACE_STATE.test(value) ? value : fail(path, 'an interface state')

function object(value: unknown, path: string): Record<string, unknown> {
  return isRecord(value) ? value : fail(path, 'an object')
}

function list<T>(check: Check<T>): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) fail(path, 'a list')
    return value.map((item, index) => check(item, `${path}[${index}]`))
  }
}

/** Present, and either null or what `check` accepts. */
function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, path) => {
    if (value === undefined) fail(path, 'an object or null')
    return value === null ? null : check(value, path)
  }
}

/** Absent, null, or what `check` accepts: for fields the action only shows. */
function optional<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === undefined || value === null ? null : check(value, path))
}

/** Reads `key` of the answer's top-level object with `check`. */
function member<T>(answer: unknown, key: string, check: Check<T>): T {
  if (!isRecord(answer) || !(key in answer)) throw new ShapeError(`without a ${key} object`)
  return check(answer[key], key)
}

export interface NamedRef {
  id: string
  name: string | undefined
}

function namedRef(kind: IdKind): Check<NamedRef> {
  return (value, path) => {
    const ref = object(value, path)
    return { id: id(kind)(ref.id, `${path}.id`), name: optionalText(ref.name, `${path}.name`) }
  }
}

export interface IpAddressRef {
  id: string
  address: string
}

const ipAddressRef: Check<IpAddressRef> = (value, path) => {
  const ip = object(value, path)
  return { id: id('ipAddress')(ip.id, `${path}.id`), address: ipAddress(ip.address, `${path}.address`) }
}

/** An object that lookups also find by permalink: a speed profile, a network. */
export interface PermalinkRef extends NamedRef {
  permalink: string | undefined
}

function permalinkRef(kind: IdKind): Check<PermalinkRef> {
  return (value, path) => ({
    ...namedRef(kind)(value, path),
    permalink: optionalText(object(value, path).permalink, `${path}.permalink`),
  })
}

/**
 * The list endpoint's shorter form of an interface. Its network is what duplicates are matched on,
 * so a listing without `network` and `virtual_network` is malformed, not "on no network".
 */
export interface InterfaceSummary {
  id: string
  name: string
  network: NamedRef | null
  virtual_network: NamedRef | null
}

const interfaceSummary: Check<InterfaceSummary> = (value, path) => {
  const nic = object(value, path)
  return {
    id: id('networkInterface')(nic.id, `${path}.id`),
    name: text(nic.name, `${path}.name`),
    network: nullable(namedRef('network'))(nic.network, `${path}.network`),
    virtual_network: nullable(namedRef('virtualNetwork'))(nic.virtual_network, `${path}.virtual_network`),
  }
}

/** `virtual_machine_network_interface` as the create, get and allocate_ip endpoints return it. */
export interface NetworkInterface extends InterfaceSummary {
  ip_addresses: IpAddressRef[]
  virtual_machine: NamedRef | null
  mac_address: string
  state: string
  speed_profile: PermalinkRef | null
  /** The object exactly as the API sent it, for the `interface` output. */
  raw: Record<string, unknown>
}

const networkInterface: Check<NetworkInterface> = (value, path) => {
  const nic = object(value, path)
  return {
    ...interfaceSummary(nic, path),
    ip_addresses: list(ipAddressRef)(nic.ip_addresses, `${path}.ip_addresses`),
    virtual_machine: optional(namedRef('virtualMachine'))(nic.virtual_machine, `${path}.virtual_machine`),
    mac_address: macAddress(nic.mac_address, `${path}.mac_address`),
    state: state(nic.state, `${path}.state`),
    speed_profile: optional(permalinkRef('speedProfile'))(nic.speed_profile, `${path}.speed_profile`),
    raw: nic,
  }
}

const TASK_STATUSES = ['pending', 'running', 'completed', 'failed'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

export interface Task {
  id: string
  status: TaskStatus
}

const task: Check<Task> = (value, path) => {
  const answer = object(value, path)
  const status = answer.status
  if (!TASK_STATUSES.includes(status as TaskStatus)) fail(`${path}.status`, `one of ${TASK_STATUSES.join(', ')}`)
  return { id: id('task')(answer.id, `${path}.id`), status: status as TaskStatus }
}

/** One page of a listing: its items, and what the answer says of the pages. */
export interface Page<T> {
  items: T[]
  /** Null for a "large set", whose size Katapult does not count, and when the answer leaves it out. */
  totalPages: number | null
  /** Undefined when the answer leaves it out. */
  perPage: number | undefined
}

function wholeNumberOrNull(value: unknown, path: string): number | null {
  if (value === null || value === undefined) return null
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail(path, 'a whole number')
}

function page<T>(key: string, item: Check<T>): (answer: unknown) => Page<T> {
  return (answer) => {
    const items = member(answer, key, list(item))
    const pagination = isRecord(answer) && isRecord(answer.pagination) ? answer.pagination : {}
    return {
      items,
      totalPages: wholeNumberOrNull(pagination.total_pages, 'pagination.total_pages'),
      perPage: wholeNumberOrNull(pagination.per_page, 'pagination.per_page') ?? undefined,
    }
  }
}

/** The VM, as far as this action reads it: its organisation, for listing what the organisation has. */
export interface VirtualMachine {
  id: string
  organizationId: string
}

const virtualMachine: Check<VirtualMachine> = (value, path) => {
  const vm = object(value, path)
  return {
    id: id('virtualMachine')(vm.id, `${path}.id`),
    organizationId: id('organization')(object(vm.organization, `${path}.organization`).id, `${path}.organization.id`),
  }
}

/** What the organisation may use, for saying what exists when a lookup finds nothing. */
export interface AvailableNetworks {
  networks: PermalinkRef[]
  virtualNetworks: PermalinkRef[]
}

// One reader per answer the action reads.
export const readInterface = (answer: unknown): NetworkInterface =>
  member(answer, 'virtual_machine_network_interface', networkInterface)
export const readInterfacePage = page('virtual_machine_network_interfaces', interfaceSummary)
export const readTask = (answer: unknown): Task => member(answer, 'task', task)
export const readIpAddress = (answer: unknown): IpAddressRef => member(answer, 'ip_address', ipAddressRef)
export const readNetwork = (answer: unknown): NamedRef => member(answer, 'network', namedRef('network'))
export const readVirtualMachine = (answer: unknown): VirtualMachine => member(answer, 'virtual_machine', virtualMachine)
export const readSpeedProfilePage = page('network_speed_profiles', permalinkRef('speedProfile'))
export const readAvailableNetworks = (answer: unknown): AvailableNetworks => ({
  networks: member(answer, 'networks', list(permalinkRef('network'))),
  virtualNetworks: member(answer, 'virtual_networks', list(permalinkRef('virtualNetwork'))),
})
