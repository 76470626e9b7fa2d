// The errors the Katapult client raises, built as it builds them, for the tests of what reads
// them (the retry policy, the failure messages): Katapult's error answer, a page that is not
// Katapult's JSON, and a request that got no complete answer.
import { type AnswerMeta, KatapultApiError, UnexpectedResponseError } from '../../src/katapult/api-errors.ts'
import {
  type Destination,
  ProxyError,
  TransportError,
  classifyTransportFailure,
} from '../../src/katapult/transport-errors.ts'

/** The request the errors name unless a test gives another. */
const SOME_REQUEST = 'POST /core/v1/x'

/** An answer's headers that say nothing: no rate-limit reading, no Retry-After. */
export const NO_META: AnswerMeta = { rateLimit: undefined, retryAfterMs: undefined }

const DIRECT: Destination = { origin: 'https://api.katapult.io', proxy: undefined }

/** Katapult's error answer: its status and code, a description "about <code>" unless given, and its detail. */
export function katapultError(
  status: number,
  code: string,
  answer: { request?: string; description?: string; detail?: object; meta?: AnswerMeta } = {},
): KatapultApiError {
  return new KatapultApiError(
    answer.request ?? SOME_REQUEST,
    status,
    { code, description: answer.description ?? `about ${code}`, detail: { ...answer.detail } },
    answer.meta ?? NO_META,
  )
}

/** An answer that is not Katapult's JSON: a proxy's, a limiter's or a server's HTML page. */
export function htmlPage(status: number, body = '<html>'): UnexpectedResponseError {
  return new UnexpectedResponseError(SOME_REQUEST, status, 'text/html', body, NO_META)
}

/** Node's error as a socket or the TLS layer raises it: a message and a code. */
export function nodeError(code: string, message = code): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code })
}

/** A request that got no complete answer, from Node's error; `sent` when it had left this machine. */
export function transportFailure(
  code: string,
  sent: boolean,
  message = code,
  where: { request?: string; destination?: Destination } = {},
): TransportError {
  return new TransportError(
    where.request ?? SOME_REQUEST,
    classifyTransportFailure(nodeError(code, message)),
    sent,
    where.destination ?? DIRECT,
  )
}

/** A proxy that answered the CONNECT with `status` instead of opening the tunnel to Katapult. */
export function proxyRefusal(status: number): TransportError {
  const proxy = 'http://proxy:3128'
  return new TransportError(
    SOME_REQUEST,
    classifyTransportFailure(new ProxyError(proxy, 'api.katapult.io:443', { status })),
    false,
    { ...DIRECT, proxy },
  )
}
