// How requests reach Katapult: Node's https (http only for a loopback api-url) with one kept-alive
// connection, or, when the runner's https_proxy applies (judged by @actions/http-client's own
// rules, no_proxy included), http-client's CONNECT tunnel. The network modules are loaded when
// first needed, or at the start of a step that will connect (loadTlsEarly); the proxy machinery
// only when a proxy is set: it is a chunk of its own in the bundle, whose parse cost every step's
// start-up otherwise (see the README's Performance section).
import type * as http from 'node:http'
import type * as https from 'node:https'

export interface Transport {
  request: (url: URL, options: https.RequestOptions) => http.ClientRequest
  agent: http.Agent
  /** Closes kept-alive connections so that the process can exit at once. */
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
 * holding up the first connection (about 3 ms of a step against api.katapult.io). The post step,
 * which most often sends nothing, does not pay for it.
 */
export function loadTlsEarly(): void {
  process.getBuiltinModule('node:https')
}

export async function connect(apiBase: string, userAgent: string): Promise<Transport> {
  const base = new URL(apiBase)
  const protocol = process.getBuiltinModule(base.protocol === 'https:' ? 'node:https' : 'node:http')
  const tunnel = proxySet(base) ? (await import('./proxy-agent.ts')).proxyAgent(base, userAgent) : undefined
  // The tunnelling agent keeps no idle connections of its own to close.
  if (tunnel) return { request: protocol.request, agent: tunnel, close: () => undefined }
  const agent = new protocol.Agent({ keepAlive: true })
  return {
    request: protocol.request,
    agent,
    close: () => {
      agent.destroy()
    },
  }
}
