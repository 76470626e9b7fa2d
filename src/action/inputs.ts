// Reads the step's inputs and turns them into a validated configuration. Every problem is
// collected so that the user fixes them all in one round, before any request is sent.

export type InputReader = (name: string) => string

/** One of the API's lookup objects, holding exactly the one key the user gave. */
export type Lookup = Readonly<Record<string, string>>

export type AddressVersion = 'ipv4' | 'ipv6'

export interface ConnectionSettings {
  apiToken: string
  /** `{api-url}/core/v1`, without a trailing slash. */
  apiBase: string
  maxAttempts: number
  requestTimeoutMs: number
}

export interface CreateSettings extends ConnectionSettings {
  virtualMachine: Lookup
  network: Lookup | undefined
  virtualNetwork: Lookup | undefined
  speedProfile: Lookup
  reuseExisting: boolean
  attach: boolean
  allocateIps: AddressVersion[]
  cleanup: boolean
}

export class InputError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'InputError'
    this.problems = problems
  }
}

/** Masks the API token in the log: to be called before anything can print it. */
export function maskApiToken(read: InputReader, mask: (secret: string) => void): void {
  const token = read('api-token').trim()
  if (token) mask(token)
}

/** Trims, and treats an empty or whitespace-only value as unset. */
function readTrimmed(read: InputReader, name: string): string | undefined {
  const value = read(name).trim()
  return value === '' ? undefined : value
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

function parseApiBase(raw: string, problems: string[]): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problems.push(`api-url: "${raw}" is not a URL; use e.g. https://api.katapult.io`)
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

function parseWholeNumber(read: InputReader, name: string, fallback: string, problems: string[]): number {
  const raw = readTrimmed(read, name) ?? fallback
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    problems.push(`${name}: "${raw}" is not a whole number of at least 1`)
    return 1
  }
  return Number(raw)
}

function parseSeconds(read: InputReader, name: string, fallback: string, problems: string[]): number {
  const raw = readTrimmed(read, name) ?? fallback
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) <= 0) {
    problems.push(`${name}: "${raw}" is not a number of seconds greater than 0`)
    return 1
  }
  return Number(raw) * 1000
}

// The spellings of YAML 1.2's core schema, as @actions/core's getBooleanInput accepts them.
const TRUE_WORDS = new Set(['true', 'True', 'TRUE'])
const FALSE_WORDS = new Set(['false', 'False', 'FALSE'])

function parseBoolean(read: InputReader, name: string, problems: string[]): boolean {
  const raw = readTrimmed(read, name) ?? 'false'
  if (TRUE_WORDS.has(raw)) return true
  if (!FALSE_WORDS.has(raw)) problems.push(`${name}: "${raw}" is not a boolean; use true or false`)
  return false
}

/**
 * Reads a lookup group, e.g. virtual-machine-id | virtual-machine-fqdn, as the API's lookup object
 * with the one key given.
 */
function parseLookup(
  read: InputReader,
  keys: Record<string, string>,
  required: boolean,
  problems: string[],
): Lookup | undefined {
  const given = Object.entries(keys).flatMap(([input, apiKey]) => {
    const value = readTrimmed(read, input)
    return value === undefined ? [] : [[input, apiKey, value] as const]
  })
  const names = Object.keys(keys).join(', ')
  if (given.length > 1 || (required && given.length === 0)) {
    problems.push(`${required ? 'set exactly one of' : 'set at most one of'} ${names} (${describeGiven(given)})`)
    return undefined
  }
  const [only] = given
  return only ? { [only[1]]: only[2] } : undefined
}

function describeGiven(given: readonly (readonly [string, string, string])[]): string {
  return given.length === 0 ? 'none is set' : `${given.map(([input]) => input).join(' and ')} are set`
}

function parseAddressVersions(read: InputReader, problems: string[]): AddressVersion[] {
  const items = (readTrimmed(read, 'allocate-ips') ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
  const versions = new Set<AddressVersion>()
  for (const item of items) {
    const lower = item.toLowerCase()
    if (lower === 'ipv4' || lower === 'ipv6') versions.add(lower)
    else problems.push(`allocate-ips: "${item}" is not an address family; use a comma-separated list of ipv4, ipv6`)
  }
  return [...versions]
}

function readConnection(read: InputReader, problems: string[]): ConnectionSettings {
  const apiToken = readTrimmed(read, 'api-token')
  if (apiToken === undefined) {
    problems.push(
      'api-token: required; pass a Katapult API token from a secret, e.g. ${{ secrets.KATAPULT_API_TOKEN }}',
    )
  }
  return {
    apiToken: apiToken ?? '',
    apiBase: parseApiBase(readTrimmed(read, 'api-url') ?? 'https://api.katapult.io', problems),
    maxAttempts: parseWholeNumber(read, 'max-attempts', '5', problems),
    requestTimeoutMs: parseSeconds(read, 'request-timeout', '30', problems),
  }
}

function throwIfAny(problems: readonly string[]): void {
  if (problems.length > 0) throw new InputError(problems)
}

/** The inputs the post step needs: where to connect, and whether to clean up at all. */
export function parseCleanupSettings(read: InputReader): (ConnectionSettings & { cleanup: true }) | undefined {
  const problems: string[] = []
  if (!parseBoolean(read, 'cleanup', problems)) {
    throwIfAny(problems)
    return undefined
  }
  const connection = readConnection(read, problems)
  throwIfAny(problems)
  return { ...connection, cleanup: true }
}

export function parseCreateSettings(read: InputReader): CreateSettings {
  const problems: string[] = []
  const connection = readConnection(read, problems)
  const virtualMachine = parseLookup(
    read,
    { 'virtual-machine-id': 'id', 'virtual-machine-fqdn': 'fqdn' },
    true,
    problems,
  )
  const network = parseLookup(read, { 'network-id': 'id', 'network-permalink': 'permalink' }, false, problems)
  const virtualNetwork = parseLookup(read, { 'virtual-network-id': 'id' }, false, problems)
  const speedProfile = parseLookup(
    read,
    { 'speed-profile-id': 'id', 'speed-profile-permalink': 'permalink' },
    true,
    problems,
  )
  if (network && virtualNetwork) {
    problems.push(
      'set either network-id / network-permalink or virtual-network-id, not both: an interface is on a network or on a virtual network',
    )
  }
  const reuseExisting = parseBoolean(read, 'reuse-existing', problems)
  if (reuseExisting && !network && !virtualNetwork) {
    problems.push(
      'reuse-existing: set network-id, network-permalink or virtual-network-id too, so that an existing interface can be matched to the network you want',
    )
  }
  const settings = {
    ...connection,
    virtualMachine: virtualMachine ?? {},
    network,
    virtualNetwork,
    speedProfile: speedProfile ?? {},
    reuseExisting,
    attach: parseBoolean(read, 'attach', problems),
    allocateIps: parseAddressVersions(read, problems),
    cleanup: parseBoolean(read, 'cleanup', problems),
  }
  throwIfAny(problems)
  return settings
}
