// The Katapult Core API over HTTP: one attempt per `send`, every failure turned into a typed error
// that says whether the request may have taken effect, and `request` to send with retries.
import * as http from 'node:http'
import * as https from 'node:https'
import { HttpClient } from '@actions/http-client'
import type { ConnectionSettings } from '../action/inputs.ts'
import { type FailureVerdict, type RetryClock, parseRetryAfter, withRetries } from './retry.ts'
import pkg from '../../package.json' with { type: 'json' }

export const USER_AGENT = `katapult-network-interface-action/${pkg.version}`

/** Katapult answered with its JSON error document. */
export class KatapultApiError extends Error {
  readonly status: number
  readonly code: string
  readonly description: string
  readonly detail: Record<string, unknown>
  readonly retryAfterMs: number | undefined
  constructor(
    request: string,
    status: number,
    body: { code: string; description?: unknown; detail?: unknown },
    retryAfterMs: number | undefined,
  ) {
    const description = typeof body.description === 'string' ? body.description : ''
    super(`${request} answered ${status} ${body.code}${description ? `: ${description}` : ''}`)
    this.name = 'KatapultApiError'
    this.status = status
    this.code = body.code
    this.description = description
    this.detail = isRecord(body.detail) ? body.detail : {}
    this.retryAfterMs = retryAfterMs
  }
}

/** An answer that is not Katapult's JSON: a proxy's error page, a truncated body. */
export class UnexpectedResponseError extends Error {
  readonly status: number
  constructor(request: string, status: number, statusText: string, contentType: string, body: string) {
    const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, 200)
    super(
      `${request} answered ${status} ${statusText} with a body that is not Katapult's JSON (${contentType || 'no content type'}): ` +
        (excerpt ? `"${excerpt}${body.length > 200 ? '…' : ''}"` : '(empty)'),
    )
    this.name = 'UnexpectedResponseError'
    this.status = status
  }
}

/** No complete answer arrived: the connection failed, was reset, or the request timed out. */
export class TransportError extends Error {
  /** False when the request never left this machine, so it cannot have taken effect. */
  readonly sent: boolean
  constructor(request: string, reason: string, sent: boolean) {
    super(`${request} got no complete answer: ${reason}`)
    this.name = 'TransportError'
    this.sent = sent
  }
}

const RETRYABLE_CODES = new Set(['rate_limit_reached', 'service_unavailable'])
/** Gateway errors from a proxy in front of Katapult: the request may have reached it. */
const GATEWAY_STATUSES = new Set([502, 503, 504])

/** How one failed attempt bears on the next; see FailureVerdict. */
export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof KatapultApiError) {
    // Katapult refuses these before acting, so resending can never duplicate anything.
    return RETRYABLE_CODES.has(error.code)
      ? { kind: 'retry', reason: `${error.status} ${error.code}`, retryAfterMs: error.retryAfterMs }
      : { kind: 'fatal' }
  }
  if (error instanceof UnexpectedResponseError) {
    const mayHaveActed = GATEWAY_STATUSES.has(error.status) || (error.status >= 200 && error.status < 300)
    return mayHaveActed
      ? { kind: 'ambiguous', reason: `${error.status} answer that is not Katapult's JSON` }
      : { kind: 'fatal' }
  }
  if (error instanceof TransportError) {
    return error.sent
      ? { kind: 'ambiguous', reason: error.message.replace(/^.*got no complete answer: /, '') }
      : { kind: 'retry', reason: error.message.replace(/^.*got no complete answer: /, ''), retryAfterMs: undefined }
  }
  return { kind: 'fatal' }
}

export type Query = Record<string, string | number>

export interface RequestOptions<T> {
  query?: Query
  body?: unknown
  /** For a request that is not idempotent: how to tell whether an ambiguous attempt took effect. */
  resolveAmbiguous?: (error: unknown) => Promise<T | undefined>
}

type Json = Record<string, unknown>

const MAX_BODY_BYTES = 8 * 1024 * 1024

export class KatapultClient {
  readonly #settings: ConnectionSettings
  readonly #clock: RetryClock
  readonly #log: (message: string) => void
  readonly #debug: (message: string) => void
  readonly #agent: http.Agent

  constructor(
    settings: ConnectionSettings,
    clock: RetryClock,
    log: (message: string) => void,
    debug: (message: string) => void,
  ) {
    this.#settings = settings
    this.#clock = clock
    this.#log = log
    this.#debug = debug
    // http-client's agent: keep-alive, and the runner's https_proxy / no_proxy honoured the way
    // every toolkit action honours them (a CONNECT tunnel through the proxy).
    this.#agent = new HttpClient(USER_AGENT, [], { keepAlive: true }).getAgent(settings.apiBase)
  }

  /** Sends a request, retrying what can safely be retried, and returns Katapult's JSON answer. */
  async request<T = Json>(method: string, path: string, options: RequestOptions<T> = {}): Promise<T> {
    const label = `${method} ${new URL(this.#settings.apiBase + path).pathname}`
    const retryOptions = {
      label,
      maxAttempts: this.#settings.maxAttempts,
      clock: this.#clock,
      log: this.#log,
      classify: (error: unknown): FailureVerdict => {
        const verdict = classifyFailure(error)
        // A request that may have acted is resent only where that cannot act twice: idempotent
        // methods, or a request whose caller first finds out what the lost attempt did.
        const mayResend = method === 'GET' || method === 'DELETE' || options.resolveAmbiguous !== undefined
        return verdict.kind === 'ambiguous' && !mayResend ? { kind: 'fatal' } : verdict
      },
      resolveAmbiguous: options.resolveAmbiguous,
    }
    return withRetries((attempt) => this.#send<T>(method, path, options, attempt), retryOptions)
  }

  /** Closes kept-alive connections so that the process can exit at once. */
  close(): void {
    // The proxy's tunnelling agent is no http.Agent and keeps no idle connections to close.
    if (this.#agent instanceof http.Agent) this.#agent.destroy()
  }

  #send<T>(method: string, path: string, options: RequestOptions<T>, attempt: number): Promise<T> {
    const url = new URL(`${this.#settings.apiBase}${path}`)
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value))
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
    const label = `${method} ${url.pathname}`
    const started = this.#clock.now()
    const transport = url.protocol === 'https:' ? https : http

    return new Promise<T>((resolve, reject) => {
      let sent = false
      let settled = false
      const fail = (error: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.#debug(`${label} attempt ${attempt}: ${error.message} after ${this.#clock.now() - started} ms`)
        reject(error)
      }
      const request = transport.request(url, {
        method,
        agent: this.#agent,
        headers: {
          Authorization: `Bearer ${this.#settings.apiToken}`,
          Accept: 'application/json',
          'User-Agent': USER_AGENT,
          ...(payload === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
        },
      })
      // A whole-request deadline: a socket idle timeout alone never fires on a trickling answer.
      const timer = setTimeout(() => {
        request.destroy(
          new Error(`no complete answer within ${this.#settings.requestTimeoutMs / 1000}s (request-timeout)`),
        )
      }, this.#settings.requestTimeoutMs)
      request.setNoDelay(true)
      request.on('finish', () => {
        sent = true
      })
      const onTransportError = (error: NodeJS.ErrnoException): void => {
        fail(new TransportError(label, error.code ? `${error.code} ${error.message}` : error.message, sent))
      }
      request.on('error', onTransportError)
      request.on('response', (response) => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_BODY_BYTES) request.destroy(new Error('answer larger than 8 MiB'))
          else chunks.push(chunk)
        })
        response.on('error', onTransportError)
        response.on('end', () => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          const status = response.statusCode ?? 0
          this.#debug(`${label} → ${status} (attempt ${attempt}, ${this.#clock.now() - started} ms)`)
          const text = Buffer.concat(chunks).toString('utf8')
          const contentType = response.headers['content-type'] ?? ''
          let body: unknown
          try {
            body = JSON.parse(text)
          } catch {
            body = undefined
          }
          if (status >= 200 && status < 300 && isRecord(body)) {
            resolve(body as T)
          } else if (isRecord(body) && typeof body.code === 'string') {
            const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.#clock.now())
            reject(new KatapultApiError(label, status, body as { code: string }, retryAfterMs))
          } else {
            reject(new UnexpectedResponseError(label, status, response.statusMessage ?? '', contentType, text))
          }
        })
      })
      request.end(payload)
    })
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
