// When no complete answer arrived: where it stopped (the proxy, the connection, the TLS handshake,
// the answer), whether the request can have reached Katapult, and whether trying again can help.
// A certificate, host-name or protocol failure is settled before anything is sent and no retry
// changes it; a refused connection or a name that does not resolve sent nothing either, but may
// be a moment's trouble.
import { statusText } from './api-errors.ts'
import { quoteCut } from './untrusted.ts'

/** Where the requests go: api-url's origin, and the proxy's (without credentials) when one is used. */
export interface Destination {
  origin: string
  proxy: string | undefined
}

export type TransportFailureKind =
  /** Nothing accepted the connection, or the host name does not resolve. */
  | 'unreachable'
  /** The server's certificate is not trusted. */
  | 'untrusted'
  /** The server's certificate is for another host. */
  | 'wrong-host'
  /** The server does not speak TLS there, or the handshake failed. */
  | 'not-tls'
  /** The proxy could not be reached, or refused the tunnel. */
  | 'proxy'
  /** request-timeout ran out. */
  | 'timeout'
  /** The connection broke. */
  | 'lost'

/** How the tunnel (proxy-tunnel.ts) makes its errors: the proxy, the target, and the answer or the cause. */
export type ProxyFailure = (
  proxy: string,
  target: string,
  failure: { status: number } | { cause: NodeJS.ErrnoException },
) => Error

/** A failure at the proxy, before anything reached Katapult: raised by the tunnel (proxy-tunnel.ts). */
export class ProxyError extends Error {
  /** The proxy's answer to the CONNECT, when it gave one. */
  readonly status: number | undefined
  constructor(proxy: string, target: string, failure: { status: number } | { cause: NodeJS.ErrnoException }) {
    super(
      'status' in failure
        ? `the proxy ${proxy} refused the CONNECT to ${target}: ${failure.status} ${statusText(failure.status)}`
        : `${failure.cause.code ?? 'error'}: could not reach the proxy ${proxy} (${failure.cause.message})`,
    )
    this.name = 'ProxyError'
    this.status = 'status' in failure ? failure.status : undefined
  }
}

/** The certificate checks OpenSSL names, and Node's own for a host name the certificate does not cover. */
const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
])

interface Classified {
  kind: TransportFailureKind
  reason: string
  /** No retry can help. */
  final: boolean
}

/**
 * OpenSSL's refusals of a certificate that Node reports without one of the codes above (`UNSPECIFIED
 * CA signature digest algorithm too weak`, `ee key too small`).
 */
const CERTIFICATE_MESSAGE = /certificate|signature digest|key too small|too weak/i

/** What a Node error on the way to Katapult means. */
export function classifyTransportFailure(error: Error & { code?: string }): Classified {
  const code = error.code ?? ''
  // Node's message can quote the server's certificate (its names): text from the other end.
  const message =
    /^[\x20-\x7e]*$/.test(error.message) && !/::|##\[/.test(error.message)
      ? error.message
      : quoteCut(error.message, 300)
  const reason = code && !message.startsWith(code) ? `${code} ${message}` : message
  if (error instanceof ProxyError) {
    // A proxy that wants credentials will want them next time too.
    return { kind: 'proxy', reason: message, final: error.status === 407 }
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return { kind: 'wrong-host', reason, final: true }
  }
  if (CERTIFICATE_CODES.has(code) || ((code === '' || code === 'UNSPECIFIED') && CERTIFICATE_MESSAGE.test(message))) {
    return { kind: 'untrusted', reason, final: true }
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    const plain = /wrong version number|packet length too long|http request/i.test(error.message)
    return {
      kind: 'not-tls',
      reason: plain ? `${code}: the server answered in plain HTTP, not TLS` : `${code}: the TLS handshake failed`,
      final: true,
    }
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
    return { kind: 'unreachable', reason, final: false }
  }
  return { kind: 'lost', reason, final: false }
}

/** No complete answer arrived: the connection failed, was reset, or the request timed out. */
export class TransportError extends Error {
  /** False when the request never left this machine, so it cannot have taken effect. */
  readonly sent: boolean
  readonly kind: TransportFailureKind
  /** No retry can help: a certificate, host name, protocol or proxy credentials that are wrong. */
  readonly final: boolean
  readonly reason: string
  readonly destination: Destination
  constructor(request: string, failure: Classified, sent: boolean, destination: Destination) {
    super(`${request} got no complete answer: ${failure.reason}`)
    this.name = 'TransportError'
    // What no retry changes (a certificate, a protocol, the proxy's refusal) stops a request
    // before it is sent, whatever the socket had taken in.
    this.sent = sent && !failure.final
    this.kind = failure.kind
    this.final = failure.final
    this.reason = failure.reason
    this.destination = destination
  }
}
