// The inputs that say how to reach Katapult, which every step of both actions reads: the token,
// api-url, and the bounds on each request and on the step.
import type { ConnectionSettings } from '../katapult/client.ts'
import { quote } from '../katapult/untrusted.ts'
import { type InputReader, readTrimmed } from './input-reading.ts'

/** The URL parser gives host names in lower case. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/

export const DEFAULT_API_ORIGIN = 'https://api.katapult.io'

/**
 * The credentials part of a URL, `user:password@`, found even in one too malformed to parse: up to
 * the last `@`, since a password pasted as it is may hold `/`, `?` or `#`.
 */
export const URL_CREDENTIALS = /^((?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/)?(.*)@/

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

/**
 * The numeric connection inputs, their defaults and bounds: the one source that both action.yml
 * files, the README and docs/ are checked against (__tests__/repository/).
 */
export const NUMBER_INPUTS = {
  /** Attempts a single request may take: each wait is at most two minutes, and step-timeout bounds them all. */
  'max-attempts': { default: 5, max: 20, unit: 'attempts' },
  /** At most an hour: far longer than any answer takes, and well within what a timer can hold. */
  'request-timeout': { default: 30, max: 3600, unit: 'seconds' },
  /** The default holds a minute's wait for the rate limit, and tasks; at most an hour, as for request-timeout. */
  'step-timeout': { default: 300, max: 3600, unit: 'seconds' },
} as const

/** Reads a bounded whole number, or a bounded number of seconds as milliseconds. */
function parseNumber(read: InputReader, name: keyof typeof NUMBER_INPUTS, problems: string[]): number {
  const { default: fallback, max, unit } = NUMBER_INPUTS[name]
  const raw = readTrimmed(read, name) ?? String(fallback)
  const pattern = unit === 'attempts' ? /^\d+$/ : /^\d+(\.\d+)?$/
  const value = Number(raw)
  if (!pattern.test(raw) || value <= 0 || value > max) {
    const kind = unit === 'attempts' ? 'a whole number from 1' : 'a number of seconds above 0 and up'
    problems.push(`${name}: ${quote(raw)} is not ${kind} to ${max}`)
    return 1
  }
  return unit === 'seconds' ? value * 1000 : value
}

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
    apiBase: parseApiBase(readTrimmed(read, 'api-url') ?? DEFAULT_API_ORIGIN, problems),
    maxAttempts: parseNumber(read, 'max-attempts', problems),
    requestTimeoutMs: parseNumber(read, 'request-timeout', problems),
    stepTimeoutMs: parseNumber(read, 'step-timeout', problems),
  }
}
