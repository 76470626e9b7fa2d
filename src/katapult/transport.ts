// How requests reach Katapult: Node's https (http only for a loopback api-url) with one kept-alive
// connection, or, when the runner's https_proxy applies (judged by @actions/http-client's own
// rules, no_proxy included), a CONNECT tunnel through it (proxy-tunnel.ts). The network modules
// are loaded when first needed, or at the start of a step that will connect (loadTlsEarly); the
// proxy machinery only when a proxy is set: it is a chunk of its own in the bundle, whose parse
// would otherwise cost every step's start-up (see docs/performance.md).
import type * as http from 'node:http'
import type * as https from 'node:https'
import { type Destination, ProxyError } from './transport-errors.ts'

export interface Transport {
  request: (url: URL, options: https.RequestOptions) => http.ClientRequest
  agent: http.Agent
  /** Where the requests go, for messages: api-url's origin, and the proxy's when one is used. */
  destination: Destination
  /** Closes kept-alive connections, and any tunnel still being opened, so that the process can exit at once. */
  close: () => void
}

/** Whether a variable that http-client's getProxyUrl reads for this protocol is set: without one, no proxy applies. */
function proxySet(base: URL): boolean {
  const env = process.env
  return Boolean(base.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY)
}

/**
 * For a step that will connect: loads https now. Loading tls starts Node's loading of the CA
 * certificates on another thread, which then runs while the step checks its inputs instead of
 * holding up the first connection. The post step, which most often sends nothing, does not pay
 * for it.
 */
export function loadTlsEarly(): void {
  process.getBuiltinModule('node:https')
}

export async function connect(apiBase: string, userAgent: string): Promise<Transport> {
  const base = new URL(apiBase)
  const protocol = process.getBuiltinModule(base.protocol === 'https:' ? 'node:https' : 'node:http')
  const tunnel = proxySet(base)
    ? (await import('./proxy-tunnel.ts')).tunnelTo(
        base,
        userAgent,
        (proxy, target, failure) => new ProxyError(proxy, target, failure),
      )
    : undefined
  const agent = tunnel?.agent ?? new protocol.Agent({ keepAlive: true })
  return {
    request: protocol.request,
    agent,
    destination: { origin: base.origin, proxy: tunnel?.proxy },
    close: () => {
      agent.destroy()
    },
  }
}
