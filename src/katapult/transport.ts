// How requests reach Katapult: Node's https (http only for a loopback api-url) with one kept-alive
// connection, or, when the runner's https_proxy applies (judged by @actions/http-client's own
// rules, no_proxy included), http-client's CONNECT tunnel. The network modules are loaded on the
// first request, and the proxy machinery only when a proxy applies: http-client is a chunk of its
// own in the bundle (dist/<step>/<n>.index.js), whose parse cost every step's start-up otherwise
// (see the README's Performance section).
import type * as http from 'node:http'
import type * as https from 'node:https'
import { getProxyUrl } from '@actions/http-client/lib/proxy'

export interface Transport {
  request: (url: URL, options: https.RequestOptions) => http.ClientRequest
  agent: http.Agent
  /** Closes kept-alive connections so that the process can exit at once. */
  close: () => void
}

export async function connect(apiBase: string, userAgent: string): Promise<Transport> {
  const base = new URL(apiBase)
  const protocol = process.getBuiltinModule(base.protocol === 'https:' ? 'node:https' : 'node:http')
  if (getProxyUrl(base)?.hostname) {
    // By its path: tsconfig.json maps the package's name to what stands in for it in @actions/core.
    const { HttpClient } = await import('../../node_modules/@actions/http-client/lib/index.js')
    const agent = new HttpClient(userAgent, [], { keepAlive: true }).getAgent(base.href)
    // The tunnelling agent keeps no idle connections of its own to close.
    return { request: protocol.request, agent, close: () => undefined }
  }
  const agent = new protocol.Agent({ keepAlive: true })
  return {
    request: protocol.request,
    agent,
    close: () => {
      agent.destroy()
    },
  }
}
