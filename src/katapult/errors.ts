// What can go wrong with one request, as typed errors, and the message a user can act on:
// Katapult's code and description, the detail that explains it, what to do. Never a stack trace.
import { isIP } from 'node:net'
import type { RateLimitReading } from './rate-limit.ts'
import { quote, quoteExcerpt, shownId } from './untrusted.ts'

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export interface ErrorDocument {
  code: string
  description: string
  detail: Record<string, unknown>
}

const ERROR_CODE = /^[a-z][a-z0-9_]{0,99}$/

/**
 * Katapult's error document. On the wire it is wrapped, `{"error":{"code","description","detail"}}`
 * (header `X-Api-Schema: json-error`); the published OpenAPI document shows the same fields at the
 * top level. Both are read, the wrapped form first. A body with neither is not Katapult's error.
 */
export function readErrorDocument(body: unknown): ErrorDocument | undefined {
  const document = isRecord(body) && isRecord(body.error) ? body.error : body
  if (!isRecord(document) || typeof document.code !== 'string' || !ERROR_CODE.test(document.code)) return undefined
  return {
    code: document.code,
    description: typeof document.description === 'string' ? document.description : '',
    detail: isRecord(document.detail) ? document.detail : {},
  }
}

/** What an answer said besides its body: the rate limit and any Retry-After. */
export interface AnswerMeta {
  rateLimit: RateLimitReading | undefined
  retryAfterMs: number | undefined
}

/** Katapult answered with its error document. */
export class KatapultApiError extends Error {
  readonly status: number
  readonly code: string
  readonly description: string
  readonly detail: Record<string, unknown>
  readonly meta: AnswerMeta
  constructor(request: string, status: number, document: ErrorDocument, meta: AnswerMeta) {
    const description = document.description ? `: ${quote(document.description)}` : ''
    super(`${request} answered ${status} ${document.code}${description}`)
    this.name = 'KatapultApiError'
    this.status = status
    this.code = document.code
    this.description = document.description
    this.detail = document.detail
    this.meta = meta
  }
}

/**
 * The status line's standard text: the server's own reason phrase is not printed. Node's http
 * module, which holds the texts, is loaded only here, on a failure path (see transport.ts).
 */
function statusText(status: number): string {
  const { STATUS_CODES } = process.getBuiltinModule('node:http')
  return STATUS_CODES[status] ?? 'Unknown Status'
}

/** An answer whose body is not Katapult's JSON: a proxy's error page, a truncated body. */
export class UnexpectedResponseError extends Error {
  readonly status: number
  readonly meta: AnswerMeta
  constructor(request: string, status: number, contentType: string, body: string, meta: AnswerMeta) {
    const type = /^[a-z0-9.+-]+\/[a-z0-9.+-]+/i.exec(contentType)?.[0] ?? 'no content type'
    super(
      `${request} answered ${status} ${statusText(status)} with a body that is not Katapult's JSON (${type}): ${quoteExcerpt(body)}`,
    )
    this.name = 'UnexpectedResponseError'
    this.status = status
    this.meta = meta
  }
}

/** A successful answer without the fields the action reads, or with fields of the wrong type. */
export class MalformedAnswerError extends Error {
  readonly status: number
  constructor(request: string, status: number, problem: string) {
    super(`${request}: Katapult answered ${status} ${problem}`)
    this.name = 'MalformedAnswerError'
    this.status = status
  }
}

/** No complete answer arrived: the connection failed, was reset, or the request timed out. */
export class TransportError extends Error {
  /** False when the request never left this machine, so it cannot have taken effect. */
  readonly sent: boolean
  readonly reason: string
  constructor(request: string, reason: string, sent: boolean) {
    super(`${request} got no complete answer: ${reason}`)
    this.name = 'TransportError'
    this.sent = sent
    this.reason = reason
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

const SCOPE_ADVICE =
  'Grant the token virtual_machines (or virtual_machines:network_interfaces with virtual_machines:read), ' +
  'plus ip_addresses for allocate-ips, ip-address and delete-ips, and tasks:read for attach, cleanup and detaching.'

function detailLines(error: KatapultApiError): string[] {
  const { detail } = error
  switch (error.code) {
    case 'validation_error':
    case 'deletion_restricted':
      return strings(detail.errors).map((message) => `- ${quote(message)}`)
    case 'object_in_trash': {
      const advice = 'Restore it from the trash in Katapult, or point the action at another object.'
      if (!isRecord(detail.trash_object)) return [advice]
      const trash = detail.trash_object
      const kind = typeof trash.object_type === 'string' ? quote(trash.object_type) : 'object'
      const keepUntil =
        typeof trash.keep_until === 'number' ? `, kept until ${new Date(trash.keep_until * 1000).toISOString()}` : ''
      return [
        `In the trash: ${kind} ${shownId(trash.object_id)} (trash object ${shownId(trash.id)}${keepUntil}).`,
        advice,
      ]
    }
    case 'unauthorized_network_for_api_token': {
      const address = typeof detail.ip_address === 'string' ? detail.ip_address : ''
      return [
        `The request came from ${isIP(address) ? address : 'an address'}, which this API token may not be used from.`,
        "Add the runner's address to the token's allowed networks, or use a token without that restriction.",
      ]
    }
    case 'scope_not_granted': {
      const scopes = strings(detail.scopes)
      return [
        `Missing scope${scopes.length === 1 ? '' : 's'}: ${scopes.length > 0 ? scopes.map(quote).join(', ') : '(not named)'}.`,
        SCOPE_ADVICE,
      ]
    }
    case 'permission_denied':
      return [
        ...(typeof detail.details === 'string' ? [quote(detail.details)] : []),
        "The token is valid but its user may not do this: check that the token's organisation owns the virtual machine (and the addresses), and the user's permissions in it.",
      ]
    case 'invalid_api_token':
    case 'missing_api_token':
      return ['Check the secret passed as api-token: it must be a current Katapult API token.']
    case 'rate_limit_reached':
      return typeof detail.total_permitted === 'number'
        ? [
            `The limit is ${detail.total_permitted} requests a minute, shared by every job and script that uses the organisation's tokens.`,
          ]
        : []
    default:
      if (typeof detail.details === 'string') return [quote(detail.details)]
      return Object.keys(detail).length > 0 ? [quoteExcerpt(JSON.stringify(detail), 400)] : []
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof KatapultApiError) {
    return [`Katapult API error: ${error.message}`, ...detailLines(error).map((line) => `  ${line}`)].join('\n')
  }
  return error instanceof Error ? error.message : String(error)
}
