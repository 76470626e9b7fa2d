// One HTTP request and its complete answer, bounded as a whole: the limit (request-timeout, or
// the step's deadline when nearer) covers connecting, a proxy's CONNECT, the TLS handshake,
// sending and the whole answer. A failure says where it stopped and whether the request can have
// reached Katapult (transport-errors.ts).
import type { ClientRequest } from 'node:http'
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import type { AnswerMeta } from './api-errors.ts'
import { readRateLimit } from './rate-limit.ts'
import { parseRetryAfter } from './retry-policy.ts'
import type { Transport } from './transport.ts'
import { TransportError, classifyTransportFailure } from './transport-errors.ts'

/** A complete answer, before it is read. */
export interface Answer {
  label: string
  status: number
  contentType: string
  text: string
  meta: AnswerMeta
}

export interface Outgoing {
  method: string
  url: URL
  headers: Record<string, string | number>
  payload: string | undefined
  /** `METHOD /path`, for messages. */
  label: string
}

export interface Deadline {
  limitMs: number
  /** The error for running out of time: `sent` says whether the request went out, `stage` where it stood. */
  expired: (sent: boolean, stage: string) => Error
  /** The clock the rate-limit reading is timed by. */
  now: () => number
}

export const MAX_BODY_BYTES = 8 * 1024 * 1024

/**
 * Where a request that ran out of time stood, as the end of "… within 30 s" says it. Read from the
 * request's state when the time runs out, so that an exchange that ends in time pays nothing for it.
 */
function stalledAt(request: ClientRequest, transport: Transport, host: string, sent: boolean): string {
  const socket = request.socket as (Socket & Partial<TLSSocket>) | null
  if (!socket) {
    // Through a proxy, the socket comes once the proxy has answered the CONNECT.
    const { proxy } = transport.destination
    return proxy ? `the proxy ${proxy} did not answer the CONNECT to ${host}` : `could not connect to ${host}`
  }
  if (socket.connecting) return `could not connect to ${host}`
  // A TLS socket is authorised once its handshake has verified the server's certificate.
  if (socket.encrypted && !socket.authorized) return `the TLS handshake with ${host} did not finish`
  return sent ? 'no complete answer' : 'the request could not be sent'
}

export function exchange(transport: Transport, outgoing: Outgoing, deadline: Deadline): Promise<Answer> {
  const { label, url } = outgoing
  const host = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`
  return new Promise<Answer>((resolve, reject) => {
    let sent = false
    let settled = false
    const request = transport.request(url, {
      method: outgoing.method,
      agent: transport.agent,
      headers: outgoing.headers,
    })
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      reject(error)
    }
    // The whole exchange's deadline: a socket idle timeout alone never fires on a trickling
    // answer, and a request whose socket never came (a proxy that does not answer its CONNECT)
    // gets no error event from being destroyed, so the promise is settled here first.
    const timer = setTimeout(() => {
      const error = deadline.expired(sent, stalledAt(request, transport, host, sent))
      fail(error)
      request.destroy(error)
    }, deadline.limitMs)
    request.setNoDelay(true)
    request.on('finish', () => {
      sent = true
    })
    const onTransportError = (error: Error): void => {
      fail(new TransportError(label, classifyTransportFailure(error), sent, transport.destination))
    }
    request.on('error', onTransportError)
    request.on('response', (response) => {
      const chunks: Buffer[] = []
      let size = 0
      response.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_BODY_BYTES) request.destroy(new Error(`answer larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`))
        else chunks.push(chunk)
      })
      response.on('error', onTransportError)
      response.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        const receivedAt = deadline.now()
        resolve({
          label,
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'] ?? '',
          text: Buffer.concat(chunks).toString('utf8'),
          meta: {
            rateLimit: readRateLimit(response.headers, receivedAt),
            retryAfterMs: parseRetryAfter(response.headers['retry-after'], receivedAt),
          },
        })
      })
    })
    request.end(outgoing.payload)
  })
}
