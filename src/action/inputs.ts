// Reading and checking the inputs every action of this repository shares: the connection to
// Katapult, the VM and network lookups (each value checked against Katapult's forms, with a hint
// when it is the other lookup's kind), booleans, lists, and `with:` keys that are near misses of
// an input. Every problem is collected, so that the user fixes them all in one round, before any
// request is sent.
import type { ConnectionSettings } from '../katapult/client.ts'
import type { Lookup } from '../katapult/endpoints.ts'
import { type IdKind, idForm, isFqdn, isId, isPermalink, kindOfId } from '../katapult/ids.ts'
import { quote } from '../katapult/untrusted.ts'
import { editDistance } from './near-miss.ts'

export type InputReader = (name: string) => string

/** Fails the step with every problem at once, one a line. */
export function throwIfAny(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
}

/** Trims, and treats an empty or whitespace-only value as unset. */
export function readTrimmed(read: InputReader, name: string): string | undefined {
  const value = read(name).trim()
  return value === '' ? undefined : value
}

/** A newline- or comma-separated list, as toolkit actions take them: items trimmed, blanks dropped. */
export function readList(read: InputReader, name: string): string[] {
  return read(name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

// The spellings of YAML 1.2's core schema, as @actions/core's getBooleanInput accepts them.
const TRUE_WORDS = new Set(['true', 'True', 'TRUE'])
const FALSE_WORDS = new Set(['false', 'False', 'FALSE'])

export function parseBoolean(read: InputReader, name: string, problems: string[]): boolean {
  const raw = readTrimmed(read, name) ?? 'false'
  if (TRUE_WORDS.has(raw)) return true
  if (!FALSE_WORDS.has(raw)) problems.push(`${name}: ${quote(raw)} is not a boolean; use true or false`)
  return false
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

export const DEFAULT_API_ORIGIN = 'https://api.katapult.io'

/** The credentials part of a URL, `user:password@`, found even in one too malformed to parse. */
export const URL_CREDENTIALS = /^((?:[a-z][a-z0-9+.-]*:)?\/\/)?([^/?#]*)@/i

function parseApiBase(raw: string, problems: string[]): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    const shown = raw.replace(URL_CREDENTIALS, '$1***@')
    problems.push(`api-url: ${quote(shown)} is not a URL; use e.g. ${DEFAULT_API_ORIGIN}`)
    return ''
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) {
    problems.push(
      `api-url: ${url.origin} would send the API token unencrypted; use https:// (http:// is accepted only for loopback hosts such as 127.0.0.1)`,
    )
  } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`api-url: ${url.protocol} is not supported; use https://`)
  }
  if (url.username || url.password || url.search || url.hash) {
    problems.push('api-url: give only the scheme, host and optional path, without credentials, query or fragment')
  }
  // A URL pasted with the API's own /core/v1 path still means the same API.
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/core\/v1$/, '')}/core/v1`
}

/** Reads a bounded whole number, or a bounded number of seconds as milliseconds. */
function parseNumber(
  read: InputReader,
  name: string,
  fallback: string,
  { max, unit }: { max: number; unit: 'attempts' | 'seconds' },
  problems: string[],
): number {
  const raw = readTrimmed(read, name) ?? fallback
  const pattern = unit === 'attempts' ? /^\d+$/ : /^\d+(\.\d+)?$/
  const value = Number(raw)
  if (!pattern.test(raw) || value <= 0 || value > max) {
    const kind = unit === 'attempts' ? 'a whole number from 1' : 'a number of seconds above 0 and up'
    problems.push(`${name}: ${quote(raw)} is not ${kind} to ${max}`)
    return 1
  }
  return unit === 'seconds' ? value * 1000 : value
}

/** Attempts a single request may take: each wait is at most two minutes, and step-timeout bounds them all. */
export const MAX_ATTEMPTS = 20
/** An hour: far longer than any answer takes, and well within what a timer can hold. */
export const MAX_REQUEST_TIMEOUT_S = 3600
/** An hour, as for request-timeout; the default of 5 minutes holds a minute's wait for the rate limit and tasks. */
export const MAX_STEP_TIMEOUT_S = 3600

function parseApiToken(read: InputReader, problems: string[]): string {
  const token = readTrimmed(read, 'api-token')
  if (token === undefined) {
    problems.push(
      'api-token: required; pass a Katapult API token from a secret, e.g. ${{ secrets.KATAPULT_API_TOKEN }}',
    )
  } else if (/[\r\n]/.test(token)) {
    problems.push('api-token: the secret holds more than one line; store the API token alone, on one line')
  } else if (!/^[\x21-\x7e]+$/.test(token)) {
    problems.push(
      'api-token: holds a space or a character outside printable ASCII, which an Authorization header cannot carry; check that the secret holds only the API token',
    )
  }
  return token ?? ''
}

export function readConnection(read: InputReader, problems: string[]): ConnectionSettings {
  const seconds = (name: string, fallback: string, max: number): number =>
    parseNumber(read, name, fallback, { max, unit: 'seconds' }, problems)
  return {
    apiToken: parseApiToken(read, problems),
    apiBase: parseApiBase(readTrimmed(read, 'api-url') ?? DEFAULT_API_ORIGIN, problems),
    maxAttempts: parseNumber(read, 'max-attempts', '5', { max: MAX_ATTEMPTS, unit: 'attempts' }, problems),
    requestTimeoutMs: seconds('request-timeout', '30', MAX_REQUEST_TIMEOUT_S),
    stepTimeoutMs: seconds('step-timeout', '300', MAX_STEP_TIMEOUT_S),
  }
}

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

/**
 * An id input's value against its kind: undefined when it is one, else what it is and which input
 * of `group` takes it (`is a permalink: use network-permalink`).
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
  const byName = fqdn ? `; to find the VM by its name, use ${fqdn} with its full name (e.g. web-1.example.com)` : ''
  return `is not ${withArticle(KIND_NAMES[kind])} id (${idForm(kind)})${byName}`
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

export function parseVirtualMachine(read: InputReader, problems: string[]): Lookup {
  return parseLookupGroup(read, ['virtual-machine-id', 'virtual-machine-fqdn'], true, problems)?.lookup ?? {}
}

/** The network an interface is on: a network (by id or permalink) or a virtual network. */
export interface NetworkTarget {
  object: 'network' | 'virtual_network'
  lookup: Lookup
}

const NETWORK_INPUTS = ['network-id', 'network-permalink', 'virtual-network-id'] as const

export function parseNetworkTarget(read: InputReader, problems: string[]): NetworkTarget | undefined {
  const target = parseLookupGroup(read, NETWORK_INPUTS, true, problems)
  if (!target) return undefined
  return { object: target.object === 'virtual_network' ? 'virtual_network' : 'network', lookup: target.lookup }
}

export function parseSpeedProfile(read: InputReader, problems: string[]): Lookup {
  return parseLookupGroup(read, ['speed-profile-id', 'speed-profile-permalink'], true, problems)?.lookup ?? {}
}

/** Shorthands users write for the words of the inputs' names. */
const SHORTHANDS: Record<string, string> = {
  vm: 'virtual-machine',
  vnet: 'virtual-network',
  net: 'network',
  speed: 'speed-profile',
  ip: 'ip-address',
  nic: 'interface',
}

/** The inputs a key probably means: the same words, a shorthand spelt out, or a near-miss spelling. */
function probablyMeant(key: string, inputs: readonly string[]): string[] {
  const words = key.toLowerCase().replace(/[_\s]+/g, '-')
  const spelt = words
    .split('-')
    .map((word) => SHORTHANDS[word] ?? word)
    .join('-')
  const forms = [words, spelt]
  const exact = inputs.filter((input) => forms.includes(input))
  if (exact.length > 0) return exact
  const completions = inputs.filter((input) => forms.some((form) => input.startsWith(`${form}-`)))
  if (completions.length > 0) return completions
  return inputs.filter((input) => editDistance(input, words) <= 2)
}

/**
 * The runner passes every `with:` key to the action as an INPUT_… variable, inputs or not, and
 * only warns about the unknown ones far above the step's own log. A key that is a near miss of an
 * input (`network_permalink`, `speed-profile`, `vm-id`) is a problem, named with the input it
 * probably means; any other unknown key is left to the runner's warning.
 */
export function misspeltInputs(keys: readonly string[], inputs: readonly string[], problems: string[]): void {
  const known = new Set(inputs.map((input) => input.replace(/ /g, '_').toLowerCase()))
  for (const key of keys) {
    if (known.has(key)) continue
    const meant = probablyMeant(key, inputs)
    if (meant.length > 0) {
      problems.push(`with: ${quote(key)} is not an input of this action; did you mean ${meant.join(' or ')}?`)
    }
  }
}
