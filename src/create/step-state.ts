// What the main step tells the post step. Everything that lets the post step find what this run
// may have made is saved before the request that may make it (see lost-requests.ts): a job cancelled
// while the create is in flight still leaves the post step enough to find the interface. The state
// is text that a step can write, so the post step checks every value against the same forms the
// inputs and answers are checked with (katapult/ids.ts) before it sends anything based on it.
import { parseAddress } from '../katapult/addresses.ts'
import { isRecord, parseJson } from '../katapult/json.ts'
import { type Lookup } from '../katapult/lookups.ts'
import { isFqdn, isId, isPermalink } from '../katapult/ids.ts'
import { quoteExcerpt } from '../katapult/untrusted.ts'
import type { PendingAllocation, PendingCreate } from './lost-requests.ts'

const STATE = {
  interfaceId: 'interface-id',
  created: 'created',
  allocatedIpIds: 'allocated-ip-ids',
  reservedIpIds: 'reserved-ip-ids',
  pendingCreate: 'pending-create',
  pendingAllocation: 'pending-allocation',
} as const

export interface SavedState {
  interfaceId: string | undefined
  created: boolean
  allocatedIpIds: string[]
  reservedIpIds: string[]
  pendingCreate: PendingCreate | undefined
  pendingAllocation: PendingAllocation | undefined
}

/**
 * Writes the state as the main step learns it; each call is one file command, at once. It also
 * keeps what it wrote, for the main step to say what exists when it fails.
 */
export class StateWriter {
  readonly saved: SavedState = {
    interfaceId: undefined,
    created: false,
    allocatedIpIds: [],
    reservedIpIds: [],
    pendingCreate: undefined,
    pendingAllocation: undefined,
  }
  readonly #save: (name: string, value: string) => void

  constructor(save: (name: string, value: string) => void) {
    this.#save = save
  }

  /** A create about to be sent (or, undefined, one that Katapult refused). */
  pendingCreate(pending: PendingCreate | undefined): void {
    this.saved.pendingCreate = pending
    this.#save(STATE.pendingCreate, pending ? JSON.stringify(pending) : '')
  }

  /** The interface is known: saved before the pending create is cleared, so that no moment has neither. */
  interfaceKnown(id: string, created: boolean): void {
    Object.assign(this.saved, { interfaceId: id, created })
    this.#save(STATE.interfaceId, id)
    this.#save(STATE.created, String(created))
    this.pendingCreate(undefined)
  }

  pendingAllocation(pending: PendingAllocation | undefined): void {
    this.saved.pendingAllocation = pending
    this.#save(STATE.pendingAllocation, pending ? JSON.stringify(pending) : '')
  }

  allocated(ipId: string): void {
    this.saved.allocatedIpIds.push(ipId)
    this.#save(STATE.allocatedIpIds, JSON.stringify(this.saved.allocatedIpIds))
    this.pendingAllocation(undefined)
  }

  reserved(ipId: string): void {
    this.saved.reservedIpIds.push(ipId)
    this.#save(STATE.reservedIpIds, JSON.stringify(this.saved.reservedIpIds))
    this.pendingAllocation(undefined)
  }
}

const json = (text: string): unknown => parseJson(text)?.value

type TextCheck = (text: string) => boolean

const interfaceId: TextCheck = (text) => isId('networkInterface', text)
const ipId: TextCheck = (text) => isId('ipAddress', text)

function ids(value: unknown, test: TextCheck): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && test(item))
    ? (value as string[])
    : undefined
}

function oneKeyLookup(value: unknown, keys: Record<string, TextCheck>): Lookup | undefined {
  if (!isRecord(value)) return undefined
  const entries = Object.entries(value)
  const [entry] = entries
  if (entries.length !== 1 || !entry) return undefined
  const [key, item] = entry
  return typeof item === 'string' && keys[key]?.(item) ? { [key]: item } : undefined
}

function pendingCreate(value: unknown): PendingCreate | undefined {
  if (!isRecord(value) || !isRecord(value.network)) return undefined
  const virtualMachine = oneKeyLookup(value.virtualMachine, {
    id: (text) => isId('virtualMachine', text),
    fqdn: isFqdn,
  })
  const object = value.network.object
  if (object !== 'network' && object !== 'virtual_network') return undefined
  const lookup = oneKeyLookup(
    value.network.lookup,
    object === 'network'
      ? { id: (text) => isId('network', text), permalink: isPermalink }
      : { id: (text) => isId('virtualNetwork', text) },
  )
  const before = ids(value.before, interfaceId)
  if (!virtualMachine || !lookup || !before) return undefined
  return { virtualMachine, network: { object, lookup }, before }
}

function pendingAllocation(value: unknown): PendingAllocation | undefined {
  if (!isRecord(value)) return undefined
  const { interfaceId: id, version } = value
  const before = ids(value.before, ipId)
  if (typeof id !== 'string' || !interfaceId(id) || !before) return undefined
  if (version === 'ipv4' || version === 'ipv6') return { interfaceId: id, before, version }
  const address: TextCheck = (text) => {
    const parsed = parseAddress(text)
    return parsed !== undefined && 'address' in parsed && parsed.address === text
  }
  const reserved = oneKeyLookup(value.reserved, { id: ipId, address })
  return reserved ? { interfaceId: id, before, reserved } : undefined
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
    interfaceId: check(STATE.interfaceId, (text) => (interfaceId(text) ? text : undefined), undefined),
    created: check(STATE.created, (text) => (text === 'true' ? true : text === 'false' ? false : undefined), false),
    allocatedIpIds: check(STATE.allocatedIpIds, (text) => ids(json(text), ipId), []),
    reservedIpIds: check(STATE.reservedIpIds, (text) => ids(json(text), ipId), []),
    pendingCreate: check(STATE.pendingCreate, (text) => pendingCreate(json(text)), undefined),
    pendingAllocation: check(STATE.pendingAllocation, (text) => pendingAllocation(json(text)), undefined),
  }
}
