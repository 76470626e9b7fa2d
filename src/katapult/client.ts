// The Katapult Core API over HTTP: `request` sends with retries, never into a rate-limit budget
// that an earlier answer said was spent, and never past the step's deadline; each attempt is one
// exchange (exchange.ts), and its answer is read here into what the caller asked for, or into the
// error it stands for, saying whether the request may have taken effect.
import { KatapultApiError, MalformedAnswerError, UnexpectedResponseError, readErrorDocument } from './api-errors.ts'
import { ShapeError } from './answer-shapes.ts'
import { type StepClock, formatSeconds } from './step-clock.ts'
import { type Answer, exchange } from './exchange.ts'
import { nestsDeeperThan, parseJson } from './json.ts'
import { RateLimitWindow } from './rate-limit.ts'
import { type FailureVerdict, classifyFailure, nextWait, withRetries } from './retry-policy.ts'
import { type Transport, connect } from './transport.ts'
import { TransportError } from './transport-errors.ts'
import pkg from '../../package.json' with { type: 'json' }

const USER_AGENT = `katapult-network-interface-action/${pkg.version}`

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
  /** A POST that is safe to send again: a repeat of one that took effect gets an `alreadyAsAsked` answer. */
  repeatable?: boolean
  /**
   * An answer that says the object already is as asked (a 404 to a DELETE, `…_already_detached`):
   * the request succeeds with `value`. `lostAttemptDidIt` is true when an earlier attempt of this request
   * got no answer, since that attempt is what made it so.
   */
  alreadyAsAsked?: {
    test: (error: KatapultApiError) => boolean
    value: (lostAttemptDidIt: boolean, error: KatapultApiError) => T
  }
}

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
    const { alreadyAsAsked } = options
    let lostAttempt = false
    return withRetries(
      async (attempt) => {
        try {
          return await this.#send(method, path, options, attempt)
        } catch (error) {
          if (alreadyAsAsked && error instanceof KatapultApiError && alreadyAsAsked.test(error)) {
            return alreadyAsAsked.value(lostAttempt, error)
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

  /** One attempt: one exchange, on the connection made by the first request. */
  async #exchange(method: string, path: string, options: RequestOptions<unknown>, attempt: number): Promise<Answer> {
    // Connected on the first request: a step that fails on its inputs makes no agent or proxy tunnel.
    const transport = await (this.#connecting ??= connect(this.#settings.apiBase, USER_AGENT).then(
      (connected) => (this.#transport = connected),
    ))
    const url = new URL(`${this.#settings.apiBase}${path}`)
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value))
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
    const label = `${method} ${url.pathname}`
    const { requestTimeoutMs } = this.#settings
    // Each request ends by request-timeout, and the step's deadline comes first if it is nearer.
    const limitMs = Math.min(requestTimeoutMs, this.clock.remainingMs())
    if (limitMs <= 0) throw this.clock.cutOff(label, false)
    const started = this.clock.now()
    try {
      const answer = await exchange(
        transport,
        {
          method,
          url,
          label,
          payload,
          headers: {
            Authorization: `Bearer ${this.#settings.apiToken}`,
            Accept: 'application/json',
            'User-Agent': USER_AGENT,
            ...(payload === undefined
              ? {}
              : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
          },
        },
        {
          limitMs,
          now: () => this.clock.now(),
          expired: (sent, stage) =>
            limitMs < requestTimeoutMs
              ? this.clock.cutOff(label, sent, sent ? undefined : stage)
              : new TransportError(
                  label,
                  {
                    kind: 'timeout',
                    reason: `${stage} within ${formatSeconds(requestTimeoutMs)} (request-timeout)`,
                    final: false,
                  },
                  sent,
                  transport.destination,
                ),
        },
      )
      this.#debug(`${label} → ${answer.status} (attempt ${attempt}, ${this.clock.now() - started} ms)`)
      return answer
    } catch (error) {
      this.#debug(`${label} attempt ${attempt}: ${(error as Error).message} after ${this.clock.now() - started} ms`)
      throw error
    }
  }

  /**
   * Turns a complete answer into what the caller reads, or into the error it stands for. The body
   * is parsed as it came: the token is scrubbed from what the step prints (action/secrets.ts), not
   * from the body, whose JSON a short token would break.
   */
  #read<T>({ label, status, contentType, text, meta }: Answer, options: RequestOptions<T>): T {
    const parsed = parseJson(text)
    if (!parsed) throw new UnexpectedResponseError(label, status, contentType, text, meta)
    const succeeded = status >= 200 && status < 300
    if (succeeded) {
      if (nestsDeeperThan(parsed.value)) {
        throw new MalformedAnswerError(label, status, "with JSON nested deeper than any answer of Katapult's")
      }
      try {
        return options.read(parsed.value)
      } catch (error) {
        if (error instanceof ShapeError) throw new MalformedAnswerError(label, status, error.message)
        throw error
      }
    }
    const document = readErrorDocument(parsed.value)
    if (!document) throw new UnexpectedResponseError(label, status, contentType, text, meta)
    throw new KatapultApiError(label, status, document, meta)
  }
}
