// The Katapult Core API over HTTP: one attempt per `#send`, every failure turned into a typed error
// that says whether the request may have taken effect, and `request` to send with retries, never
// into a rate-limit budget that an earlier answer said was spent, and never past the step's deadline.
import { ShapeError } from './answers.ts'
import { type StepClock, StepTimeoutError } from './clock.ts'
import {
  type AnswerMeta,
  KatapultApiError,
  MalformedAnswerError,
  TransportError,
  UnexpectedResponseError,
  readErrorDocument,
} from './errors.ts'
import { RateLimitWindow, readRateLimit } from './rate-limit.ts'
import { type FailureVerdict, classifyFailure, nextWait, parseRetryAfter, withRetries } from './retry.ts'
import { type Transport, connect } from './transport.ts'
import { redactToken } from './untrusted.ts'
import pkg from '../../package.json' with { type: 'json' }

export const USER_AGENT = `katapult-network-interface-action/${pkg.version}`

export interface ConnectionSettings {
  apiToken: string
  /** `{api-url}/core/v1`, without a trailing slash. */
  apiBase: string
  maxAttempts: number
  requestTimeoutMs: number
  stepTimeoutMs: number
}

export type Query = Record<string, string | number>

export interface RequestOptions<T> {
  query?: Query
  body?: unknown
  /** Checks a successful answer's shape and returns what the caller reads of it. */
  read: (answer: unknown) => T
  /** For a request that is not idempotent: how to tell whether an ambiguous attempt took effect. */
  resolveAmbiguous?: () => Promise<T | undefined>
  /** A POST that is safe to send again: a repeat of one that took effect gets an `alreadySo` answer. */
  repeatable?: boolean
  /**
   * An answer that says the object already is as asked (a 404 to a DELETE, `…_already_detached`):
   * the request succeeds with `value`. `byThisStep` is true when an earlier attempt of this request
   * got no answer, since that attempt is what made it so.
   */
  alreadySo?: { test: (error: KatapultApiError) => boolean; value: (byThisStep: boolean, error: KatapultApiError) => T }
}

/** A complete answer, before it is read. */
interface Answer {
  label: string
  status: number
  contentType: string
  text: string
  meta: AnswerMeta
}

const MAX_BODY_BYTES = 8 * 1024 * 1024
const IDEMPOTENT = new Set(['GET', 'DELETE'])

export class KatapultClient {
  /** The step's clock: every wait of the step, the client's and its callers', goes through it. */
  readonly clock: StepClock
  readonly #settings: ConnectionSettings
  readonly #log: (message: string) => void
  readonly #debug: (message: string) => void
  #connecting: Promise<Transport> | undefined
  #transport: Transport | undefined
  readonly #window: RateLimitWindow

  constructor(
    settings: ConnectionSettings,
    clock: StepClock,
    log: (message: string) => void,
    debug: (message: string) => void,
  ) {
    this.#settings = settings
    this.clock = clock
    this.#log = log
    this.#debug = debug
    this.#window = new RateLimitWindow(clock)
  }

  /** Sends a request, retrying what can safely be retried, and returns what `read` makes of the answer. */
  async request<T>(method: string, path: string, options: RequestOptions<T>): Promise<T> {
    const label = `${method} ${new URL(this.#settings.apiBase + path).pathname}`
    const repeatable = IDEMPOTENT.has(method) || options.repeatable === true
    const { alreadySo } = options
    let lostAttempt = false
    return withRetries(
      async (attempt) => {
        try {
          return await this.#send(method, path, options, attempt)
        } catch (error) {
          if (alreadySo && error instanceof KatapultApiError && alreadySo.test(error)) {
            return alreadySo.value(lostAttempt, error)
          }
          throw error
        }
      },
      {
        label,
        maxAttempts: this.#settings.maxAttempts,
        clock: this.clock,
        log: this.#log,
        classify: (error: unknown): FailureVerdict => {
          const verdict = classifyFailure(error)
          if (verdict.kind !== 'ambiguous') return verdict
          lostAttempt = true
          // A request that is safe to repeat is simply sent again, unless the answer was whole but
          // not what was asked for: another copy of it would be no better.
          if (repeatable) {
            return error instanceof MalformedAnswerError
              ? { kind: 'fatal' }
              : { kind: 'retry', reason: verdict.reason, retryAfterMs: undefined }
          }
          // Anything else is resent only after its caller found out what the lost attempt did.
          return options.resolveAmbiguous ? verdict : { kind: 'fatal' }
        },
        waitBefore: (failure, failedAttempts) =>
          nextWait(failure, failedAttempts, this.#window.wait(), () => this.clock.random()),
        resolveAmbiguous: options.resolveAmbiguous,
      },
    )
  }

  /** Closes kept-alive connections so that the process can exit at once. */
  close(): void {
    this.#transport?.close()
  }

  async #send<T>(method: string, path: string, options: RequestOptions<T>, attempt: number): Promise<T> {
    const answer = await this.#exchange(method, path, options, attempt)
    this.#window.note(answer.meta.rateLimit)
    return this.#read(answer, options)
  }

  /** One request and its complete answer, or a TransportError when none arrived. */
  async #exchange(method: string, path: string, options: RequestOptions<unknown>, attempt: number): Promise<Answer> {
    // Connected on the first request: a step that fails on its inputs makes no agent or proxy tunnel.
    const transport = await (this.#connecting ??= connect(this.#settings.apiBase, USER_AGENT).then(
      (connected) => (this.#transport = connected),
    ))
    const url = new URL(`${this.#settings.apiBase}${path}`)
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value))
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
    const label = `${method} ${url.pathname}`
    const started = this.clock.now()
    // Each request ends by request-timeout, and the step's deadline comes first if it is nearer.
    const limitMs = Math.min(this.#settings.requestTimeoutMs, this.clock.remainingMs())
    if (limitMs <= 0) throw this.clock.cutOff(label, false)

    return new Promise<Answer>((resolve, reject) => {
      let sent = false
      let settled = false
      const fail = (error: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.#debug(`${label} attempt ${attempt}: ${error.message} after ${this.clock.now() - started} ms`)
        reject(error)
      }
      const request = transport.request(url, {
        method,
        agent: transport.agent,
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
      // request-timeout is at most an hour, well within what a timer can hold.
      const timer = setTimeout(() => {
        request.destroy(
          limitMs < this.#settings.requestTimeoutMs
            ? this.clock.cutOff(label, sent)
            : new Error(`no complete answer within ${this.#settings.requestTimeoutMs / 1000}s (request-timeout)`),
        )
      }, limitMs)
      request.setNoDelay(true)
      request.on('finish', () => {
        sent = true
      })
      const onTransportError = (error: NodeJS.ErrnoException): void => {
        if (error instanceof StepTimeoutError) fail(error)
        else fail(new TransportError(label, error.code ? `${error.code} ${error.message}` : error.message, sent))
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
          const receivedAt = this.clock.now()
          this.#debug(`${label} → ${status} (attempt ${attempt}, ${receivedAt - started} ms)`)
          resolve({
            label,
            status,
            contentType: response.headers['content-type'] ?? '',
            text: Buffer.concat(chunks).toString('utf8'),
            meta: {
              rateLimit: readRateLimit(response.headers, receivedAt),
              retryAfterMs: parseRetryAfter(response.headers['retry-after'], receivedAt),
            },
          })
        })
      })
      request.end(payload)
    })
  }

  /**
   * Turns a complete answer into what the caller reads, or into the error it stands for. The text
   * of a failed answer loses the token before anything quotes it: a page may echo the request.
   */
  #read<T>({ label, status, contentType, text, meta }: Answer, options: RequestOptions<T>): T {
    const succeeded = status >= 200 && status < 300
    const shown = succeeded ? text : redactToken(text, this.#settings.apiToken)
    let body: unknown
    try {
      body = JSON.parse(shown)
    } catch {
      throw new UnexpectedResponseError(label, status, contentType, redactToken(text, this.#settings.apiToken), meta)
    }
    if (succeeded) {
      try {
        return options.read(body)
      } catch (error) {
        if (error instanceof ShapeError) throw new MalformedAnswerError(label, status, error.message)
        throw error
      }
    }
    const document = readErrorDocument(body)
    if (!document) throw new UnexpectedResponseError(label, status, contentType, shown, meta)
    throw new KatapultApiError(label, status, document, meta)
  }
}
