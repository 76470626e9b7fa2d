// How requests reach Katapult: Node's https (http only for a loopback api-url) with one kept-alive
// connection, or, when the runner's https_proxy applies (judged by @actions/http-client's own
// rules, no_proxy included), http-client's CONNECT tunnel. The proxy machinery and the http module
// are loaded only when they are used: they cost every step's start-up otherwise (see the README's
// Performance section). Builtins loaded late come through process.getBuiltinModule: a require made
// with node:module's createRequire costs ~2.7 ms to load node:module alone.
import type * as http from 'node:http'
import * as https from 'node:https'
import { HttpClient } from '@actions/http-client'
import { getProxyUrl } from '@actions/http-client/lib/proxy'

export interface Transport {
  request: (url: URL, options: https.RequestOptions) => http.ClientRequest
  agent: http.Agent
  /** Closes kept-alive connections so that the process can exit at once. */
  close: () => void
}

export function connect(apiBase: string, userAgent: string): Transport {
  const base = new URL(apiBase)
  const protocol = base.protocol === 'https:' ? https : process.getBuiltinModule('node:http')
  if (getProxyUrl(base)?.hostname) {
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
