// Reading and checking the inputs every action of this repository shares: the connection to
// Katapult, the VM and network lookups, booleans and lists. Every problem is collected, so that
// the user fixes them all in one round, before any request is sent.
import type { ConnectionSettings } from '../katapult/client.ts'
import type { Lookup } from '../katapult/endpoints.ts'
import { quote } from '../katapult/untrusted.ts'

export type InputReader = (name: string) => string

export class InputError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'InputError'
    this.problems = problems
  }
}

export function throwIfAny(problems: readonly string[]): void {
  if (problems.length > 0) throw new InputError(problems)
}

/**
 * Masks the API token in the log: to be called before anything can print it. A secret pasted with
 * a line break is masked line by line too, since the runner masks each log line on its own.
 */
export function maskApiToken(read: InputReader, mask: (secret: string) => void): void {
  const token = read('api-token').trim()
  if (!token) return
  mask(token)
  const lines = token.split(/\r?\n|\r/).map((line) => line.trim())
  if (lines.length > 1) for (const line of lines) if (line) mask(line)
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

function parseApiBase(raw: string, problems: string[]): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problems.push(`api-url: ${quote(raw)} is not a URL; use e.g. https://api.katapult.io`)
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

/** Attempts a single request may take: each wait is at most two minutes, so 20 bound a step to 40. */
export const MAX_ATTEMPTS = 20
/** An hour: far longer than any answer takes, and well within what a timer can hold. */
export const MAX_REQUEST_TIMEOUT_S = 3600

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
  return {
    apiToken: parseApiToken(read, problems),
    apiBase: parseApiBase(readTrimmed(read, 'api-url') ?? 'https://api.katapult.io', problems),
    maxAttempts: parseNumber(read, 'max-attempts', '5', { max: MAX_ATTEMPTS, unit: 'attempts' }, problems),
    requestTimeoutMs: parseNumber(
      read,
      'request-timeout',
      '30',
      { max: MAX_REQUEST_TIMEOUT_S, unit: 'seconds' },
      problems,
    ),
  }
}

/** Which API object a lookup input fills, and under which key: `network-permalink` → network.permalink. */
type LookupInputs = Record<string, readonly [object: string, key: string]>

interface ObjectLookup {
  object: string
  lookup: Lookup
}

/**
 * Reads a group of mutually exclusive lookup inputs, e.g. virtual-machine-id | virtual-machine-fqdn,
 * as the API object and lookup of the one input given.
 */
function parseLookupGroup(
  read: InputReader,
  inputs: LookupInputs,
  required: boolean,
  problems: string[],
): ObjectLookup | undefined {
  const given = Object.entries(inputs).flatMap(([input, [object, key]]) => {
    const value = readTrimmed(read, input)
    return value === undefined ? [] : [{ input, object, lookup: { [key]: value } }]
  })
  if (given.length > 1 || (required && given.length === 0)) {
    const set = given.length === 0 ? 'none is set' : `${given.map(({ input }) => input).join(' and ')} are set`
    problems.push(`set ${required ? 'exactly' : 'at most'} one of ${Object.keys(inputs).join(', ')} (${set})`)
    return undefined
  }
  return given[0]
}

export function parseVirtualMachine(read: InputReader, problems: string[]): Lookup {
  const vm = {
    'virtual-machine-id': ['virtual_machine', 'id'],
    'virtual-machine-fqdn': ['virtual_machine', 'fqdn'],
  } as const
  return parseLookupGroup(read, vm, true, problems)?.lookup ?? {}
}

/** The network an interface is on: a network (by id or permalink) or a virtual network. */
export interface NetworkTarget {
  object: 'network' | 'virtual_network'
  lookup: Lookup
}

const NETWORK_INPUTS = {
  'network-id': ['network', 'id'],
  'network-permalink': ['network', 'permalink'],
  'virtual-network-id': ['virtual_network', 'id'],
} as const

export function parseNetworkTarget(read: InputReader, problems: string[]): NetworkTarget {
  const target = parseLookupGroup(read, NETWORK_INPUTS, true, problems)
  return { object: target?.object === 'virtual_network' ? 'virtual_network' : 'network', lookup: target?.lookup ?? {} }
}

export function parseSpeedProfile(read: InputReader, problems: string[]): Lookup {
  const speed = {
    'speed-profile-id': ['speed_profile', 'id'],
    'speed-profile-permalink': ['speed_profile', 'permalink'],
  } as const
  return parseLookupGroup(read, speed, true, problems)?.lookup ?? {}
}
