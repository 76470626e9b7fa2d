// What the main step tells the post step. Everything that lets the post step find what this run
// may have made is saved before the request that may make it: a job cancelled while the create
// is in flight still leaves the post step enough to find the interface. The state is text that a
// step can write, so the post step checks every value before it sends anything based on it.
import { isIP } from 'node:net'
import type { NetworkTarget } from '../action/inputs.ts'
import { isRecord } from '../katapult/errors.ts'
import type { AddressVersion, Lookup } from '../katapult/endpoints.ts'
import { quoteExcerpt } from '../katapult/untrusted.ts'

export const STATE = {
  interfaceId: 'interface-id',
  created: 'created',
  allocatedIpIds: 'allocated-ip-ids',
  reservedIpIds: 'reserved-ip-ids',
  pendingCreate: 'pending-create',
  pendingAllocation: 'pending-allocation',
} as const

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

export interface SavedState {
  interfaceId: string | undefined
  created: boolean
  allocatedIpIds: string[]
  reservedIpIds: string[]
  pendingCreate: PendingCreate | undefined
  pendingAllocation: PendingAllocation | undefined
}

/** Writes the state as the main step learns it; each call is one file command, at once. */
export class StateWriter {
  readonly #save: (name: string, value: string) => void
  readonly #allocated: string[] = []
  readonly #reserved: string[] = []

  constructor(save: (name: string, value: string) => void) {
    this.#save = save
  }

  beforeCreate(pending: PendingCreate): void {
    this.#save(STATE.pendingCreate, JSON.stringify(pending))
  }

  /** The interface is known: saved before the pending create is cleared, so that no moment has neither. */
  interfaceKnown(id: string, created: boolean): void {
    this.#save(STATE.interfaceId, id)
    this.#save(STATE.created, String(created))
    this.#save(STATE.pendingCreate, '')
  }

  beforeAllocation(pending: PendingAllocation): void {
    this.#save(STATE.pendingAllocation, JSON.stringify(pending))
  }

  allocated(ipId: string): void {
    this.#allocated.push(ipId)
    this.#save(STATE.allocatedIpIds, JSON.stringify(this.#allocated))
    this.#save(STATE.pendingAllocation, '')
  }

  reserved(ipId: string): void {
    this.#reserved.push(ipId)
    this.#save(STATE.reservedIpIds, JSON.stringify(this.#reserved))
    this.#save(STATE.pendingAllocation, '')
  }
}

const INTERFACE_ID = /^vmnet_[A-Za-z0-9]{1,64}$/
const IP_ID = /^ip_[A-Za-z0-9]{1,64}$/
const IP_ADDRESS = { test: (text: string): boolean => isIP(text) !== 0 }
const VM_ID = /^vm_[A-Za-z0-9]{1,64}$/
const NETWORK_ID = /^(netw|vnet)_[A-Za-z0-9]{1,64}$/
/** A host name, or a network permalink: letters, digits, dots and dashes. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function ids(value: unknown, pattern: RegExp): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && pattern.test(item))
    ? (value as string[])
    : undefined
}

function oneKeyLookup(value: unknown, keys: Record<string, { test: (text: string) => boolean }>): Lookup | undefined {
  if (!isRecord(value)) return undefined
  const entries = Object.entries(value)
  const [entry] = entries
  if (entries.length !== 1 || !entry) return undefined
  const [key, item] = entry
  return typeof item === 'string' && keys[key]?.test(item) ? { [key]: item } : undefined
}

function pendingCreate(value: unknown): PendingCreate | undefined {
  if (!isRecord(value) || !isRecord(value.network)) return undefined
  const virtualMachine = oneKeyLookup(value.virtualMachine, { id: VM_ID, fqdn: NAME })
  const object = value.network.object
  const lookup = oneKeyLookup(value.network.lookup, { id: NETWORK_ID, permalink: NAME })
  const before = ids(value.before, INTERFACE_ID)
  if (!virtualMachine || (object !== 'network' && object !== 'virtual_network') || !lookup || !before) return undefined
  return { virtualMachine, network: { object, lookup }, before }
}

function pendingAllocation(value: unknown): PendingAllocation | undefined {
  if (!isRecord(value)) return undefined
  const { interfaceId, version } = value
  const before = ids(value.before, IP_ID)
  if (typeof interfaceId !== 'string' || !INTERFACE_ID.test(interfaceId) || !before) return undefined
  if (version === 'ipv4' || version === 'ipv6') return { interfaceId, before, version }
  const reserved = oneKeyLookup(value.reserved, { id: IP_ID, address: IP_ADDRESS })
  return reserved ? { interfaceId, before, reserved } : undefined
}

/**
 * Reads the state back. A value that is not what the main step writes is named in a warning and
 * not used; the rest of the state is still used, so the interface's own cleanup still runs.
 */
export function readState(get: (name: string) => string, warn: (message: string) => void): SavedState {
  const check = <T>(name: string, parse: (text: string) => T | undefined, fallback: T): T => {
    const text = get(name)
    if (text === '') return fallback
    const value = parse(text)
    if (value !== undefined) return value
    warn(`The step's state ${name} holds ${quoteExcerpt(text, 80)}, which this action never saves; it is ignored.`)
    return fallback
  }
  return {
    interfaceId: check(STATE.interfaceId, (text) => (INTERFACE_ID.test(text) ? text : undefined), undefined),
    created: check(STATE.created, (text) => (text === 'true' ? true : text === 'false' ? false : undefined), false),
    allocatedIpIds: check(STATE.allocatedIpIds, (text) => ids(parseJson(text), IP_ID), []),
    reservedIpIds: check(STATE.reservedIpIds, (text) => ids(parseJson(text), IP_ID), []),
    pendingCreate: check(STATE.pendingCreate, (text) => pendingCreate(parseJson(text)), undefined),
    pendingAllocation: check(STATE.pendingAllocation, (text) => pendingAllocation(parseJson(text)), undefined),
  }
}
