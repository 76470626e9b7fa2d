// Answers that are not what was asked for, as typed errors: Katapult's error document, a body
// that is not Katapult's JSON (a proxy's page), a success without the fields the action reads.
// What a user should do about them is the action's to say (action/failure-messages.ts).
import type { RateLimitReading } from './rate-limit.ts'
import { isRecord, nestsDeeperThan } from './json.ts'
import { quoteCut, quoteExcerpt } from './untrusted.ts'

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
 * A detail nested too deep to show is left out: the code and description still say what failed.
 */
export function readErrorDocument(body: unknown): ErrorDocument | undefined {
  const document = isRecord(body) && isRecord(body.error) ? body.error : body
  if (!isRecord(document) || typeof document.code !== 'string' || !ERROR_CODE.test(document.code)) return undefined
  const { detail } = document
  return {
    code: document.code,
    description: typeof document.description === 'string' ? document.description : '',
    detail: isRecord(detail) && !nestsDeeperThan(detail) ? detail : {},
  }
}

/** What an answer said besides its body: the rate limit and any Retry-After. */
export interface AnswerMeta {
  rateLimit: RateLimitReading | undefined
  retryAfterMs: number | undefined
}

/** Katapult's descriptions are a sentence; a longer one is cut, so that no answer floods the log. */
const MAX_DESCRIPTION = 500

/** Katapult answered with its error document. */
export class KatapultApiError extends Error {
  /** `METHOD /core/v1/…`: the request this answers. */
  readonly request: string
  readonly status: number
  readonly code: string
  readonly description: string
  readonly detail: Record<string, unknown>
  readonly meta: AnswerMeta
  constructor(request: string, status: number, document: ErrorDocument, meta: AnswerMeta) {
    const description = document.description ? `: ${quoteCut(document.description, MAX_DESCRIPTION)}` : ''
    super(`${request} answered ${status} ${document.code}${description}`)
    this.name = 'KatapultApiError'
    this.request = request
    this.status = status
    this.code = document.code
    this.description = document.description
    this.detail = document.detail
    this.meta = meta
  }
}

/** A 404: the object is not there, whoever removed it. */
export function isNotFound(error: unknown): boolean {
  return error instanceof KatapultApiError && error.status === 404
}

/**
 * The status line's standard text: the server's own reason phrase is not printed. Node's http
 * module, which holds the texts, is loaded only here, on a failure path (see transport.ts).
 */
export function statusText(status: number): string {
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
