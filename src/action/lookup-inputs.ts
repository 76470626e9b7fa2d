// The inputs that name Katapult's objects (the VM, the network or virtual network, the speed
// profile), each checked against Katapult's forms, with a hint when a value is another input's
// kind (`is a permalink: use network-permalink`), and read as the lookup object the API takes.
import { type Lookup } from '../katapult/lookups.ts'
import { type IdKind, idForm, isFqdn, isId, isPermalink, kindOfId } from '../katapult/ids.ts'
import { quote } from '../katapult/untrusted.ts'
import { type InputReader, readTrimmed } from './input-reading.ts'
import type { NetworkTarget } from './network-target.ts'

/** The API's lookup objects that inputs fill. */
export type LookupObject = 'virtual_machine' | 'network' | 'virtual_network' | 'speed_profile'

/** What a lookup input takes: an id of one kind, a permalink or an FQDN. */
type Form = { id: IdKind } | 'permalink' | 'fqdn'

interface LookupInput {
  object: LookupObject
  key: string
  form: Form
}

/** Every lookup input of the actions, by name: which API object and key it fills, and its form. */
const LOOKUP_INPUTS = {
  'virtual-machine-id': { object: 'virtual_machine', key: 'id', form: { id: 'virtualMachine' } },
  'virtual-machine-fqdn': { object: 'virtual_machine', key: 'fqdn', form: 'fqdn' },
  'network-id': { object: 'network', key: 'id', form: { id: 'network' } },
  'network-permalink': { object: 'network', key: 'permalink', form: 'permalink' },
  'virtual-network-id': { object: 'virtual_network', key: 'id', form: { id: 'virtualNetwork' } },
  'speed-profile-id': { object: 'speed_profile', key: 'id', form: { id: 'speedProfile' } },
  'speed-profile-permalink': { object: 'speed_profile', key: 'permalink', form: 'permalink' },
} as const satisfies Record<string, LookupInput>

type LookupInputName = keyof typeof LOOKUP_INPUTS

/** The input a lookup came from: `{ permalink }` under network came from network-permalink. */
export function lookupInput(object: LookupObject, lookup: Lookup): LookupInputName | undefined {
  const [key] = Object.keys(lookup)
  return (Object.keys(LOOKUP_INPUTS) as LookupInputName[]).find(
    (name) => LOOKUP_INPUTS[name].object === object && LOOKUP_INPUTS[name].key === key,
  )
}

/** The noun with its article: a network, an IP address. */
function withArticle(noun: string): string {
  return `${/^([aeiou]|IP)/i.test(noun) ? 'an' : 'a'} ${noun}`
}

const KIND_NAMES: Record<IdKind, string> = {
  virtualMachine: 'virtual machine',
  network: 'network',
  virtualNetwork: 'virtual network',
  speedProfile: 'speed profile',
  ipAddress: 'IP address',
  networkInterface: 'network interface',
  task: 'task',
  organization: 'organisation',
}

/** The input of `group` that takes an id of `kind`. */
function idInputOf(kind: IdKind, group: readonly string[]): string | undefined {
  return group.find((name) => {
    const form = (LOOKUP_INPUTS as Record<string, LookupInput | undefined>)[name]?.form
    return typeof form === 'object' && form.id === kind
  })
}

/** The input of `group` that looks up the same object as `name`, in the form `form`. */
function siblingOf(name: string, form: 'permalink' | 'fqdn', group: readonly string[]): string | undefined {
  const inputs = LOOKUP_INPUTS as Record<string, LookupInput | undefined>
  return group.find((other) => inputs[other]?.form === form && inputs[other].object === inputs[name]?.object)
}

const LIST_NETWORKS =
  'GET /core/v1/organizations/organization/available_networks?organization[sub_domain]=<your organisation> lists them with their ids'

/** Where a user finds an id of each kind that an input takes, for the message that refuses another value. */
const WHERE_TO_FIND: Partial<Record<IdKind, string>> = {
  network: LIST_NETWORKS,
  virtualNetwork: LIST_NETWORKS,
  speedProfile:
    'GET /core/v1/organizations/organization/network_speed_profiles?organization[sub_domain]=<your organisation> lists them with their ids',
  networkInterface: 'it is the id output of the step that created the interface',
  ipAddress: 'or give the address itself',
}

/** The input of `group` that takes a permalink of another object than `name` does (network-permalink, for virtual-network-id), and that object. */
function otherPermalinkInput(name: string, group: readonly string[]): { input: string; noun: string } | undefined {
  const inputs = LOOKUP_INPUTS as Record<string, LookupInput | undefined>
  for (const other of group) {
    const input = inputs[other]
    if (input?.form === 'permalink' && input.object !== inputs[name]?.object) {
      return { input: other, noun: input.object.replace('_', ' ') }
    }
  }
  return undefined
}

/**
 * An id input's value against its kind: undefined when it is one, else what it is and which input
 * of `group` takes it (`is a permalink: use network-permalink`), or where to find the id.
 */
export function idProblem(name: string, kind: IdKind, value: string, group: readonly string[]): string | undefined {
  if (isId(kind, value)) return undefined
  const other = kindOfId(value)
  if (other) {
    const input = idInputOf(other, group)
    const wrong = `is ${withArticle(KIND_NAMES[other])} id, not ${withArticle(KIND_NAMES[kind])} id (${idForm(kind)})`
    return `${wrong}${input ? `: use ${input}` : ''}`
  }
  const permalink = siblingOf(name, 'permalink', group)
  if (permalink && isPermalink(value)) return `is a permalink: use ${permalink}`
  const fqdn = siblingOf(name, 'fqdn', group)
  if (fqdn && value.includes('.') && isFqdn(value.replace(/\.$/, ''))) return `is an FQDN: use ${fqdn}`
  const notId = `is not ${withArticle(KIND_NAMES[kind])} id (${idForm(kind)})`
  if (fqdn) return `${notId}; to find the VM by its name, use ${fqdn} with its full name (e.g. web-1.example.com)`
  const elsewhere = otherPermalinkInput(name, group)
  const where = WHERE_TO_FIND[kind]
  if (elsewhere && isPermalink(value)) {
    return `${notId}: a ${elsewhere.noun}'s permalink goes in ${elsewhere.input}${where ? `; ${where}` : ''}`
  }
  return `${notId}${where ? `; ${where}` : ''}`
}

/** A lookup input's value in the form the API takes (an FQDN without DNS's final dot), or a problem. */
function checkLookup(name: string, form: Form, value: string, group: readonly string[]): string | { problem: string } {
  const problem = (text: string): { problem: string } => ({ problem: `${name}: ${quote(value)} ${text}` })
  if (typeof form === 'object') {
    const wrong = idProblem(name, form.id, value, group)
    return wrong ? problem(wrong) : value
  }
  const kind = kindOfId(value)
  if (kind) {
    const input = idInputOf(kind, group)
    return problem(
      `is ${withArticle(KIND_NAMES[kind])} id${input ? `: use ${input}` : `, not ${form === 'fqdn' ? 'an FQDN' : 'a permalink'}`}`,
    )
  }
  if (form === 'fqdn') {
    // DNS's absolute form (a final dot) names the same host.
    const fqdn = value.replace(/\.$/, '')
    return isFqdn(fqdn) ? fqdn : problem('is not an FQDN such as web-1.example.com')
  }
  return isPermalink(value)
    ? value
    : problem('is not a permalink (letters, digits, dots, dashes and underscores, e.g. uk-lon-01-public)')
}

interface GivenLookup {
  input: LookupInputName
  object: LookupObject
  lookup: Lookup
}

/**
 * Reads a group of mutually exclusive lookup inputs, e.g. virtual-machine-id | virtual-machine-fqdn,
 * as the API object and lookup of the one input given, its value checked against the input's form.
 */
function parseLookupGroup(
  read: InputReader,
  names: readonly LookupInputName[],
  required: boolean,
  problems: string[],
): GivenLookup | undefined {
  const given = names.flatMap((input) => {
    const value = readTrimmed(read, input)
    return value === undefined ? [] : [{ input, value }]
  })
  if (given.length > 1 || (required && given.length === 0)) {
    const set = given.length === 0 ? 'none is set' : `${given.map(({ input }) => input).join(' and ')} are set`
    problems.push(`set ${required ? 'exactly' : 'at most'} one of ${names.join(', ')} (${set})`)
    return undefined
  }
  const [only] = given
  if (!only) return undefined
  const { object, key, form } = LOOKUP_INPUTS[only.input]
  const checked = checkLookup(only.input, form, only.value, names)
  if (typeof checked !== 'string') {
    problems.push(checked.problem)
    return undefined
  }
  return { input: only.input, object, lookup: { [key]: checked } }
}

export const VIRTUAL_MACHINE_INPUTS = ['virtual-machine-id', 'virtual-machine-fqdn'] as const

export function parseVirtualMachine(read: InputReader, problems: string[]): Lookup {
  return parseLookupGroup(read, VIRTUAL_MACHINE_INPUTS, true, problems)?.lookup ?? {}
}

export const NETWORK_INPUTS = ['network-id', 'network-permalink', 'virtual-network-id'] as const

export function parseNetworkTarget(read: InputReader, problems: string[]): NetworkTarget | undefined {
  const target = parseLookupGroup(read, NETWORK_INPUTS, true, problems)
  if (!target) return undefined
  return { object: target.object === 'virtual_network' ? 'virtual_network' : 'network', lookup: target.lookup }
}

export function parseSpeedProfile(read: InputReader, problems: string[]): Lookup {
  return parseLookupGroup(read, ['speed-profile-id', 'speed-profile-permalink'], true, problems)?.lookup ?? {}
}
