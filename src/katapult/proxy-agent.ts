// The proxy path of transport.ts, imported only when the runner sets a proxy variable: the
// bundler emits it, with http-client and tunnel, as a chunk of its own (dist/<step>/<n>.index.js).
import type * as http from 'node:http'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
// By its path: tsconfig.json maps the package's name to what stands in for it in @actions/core.
import { HttpClient } from '../../node_modules/@actions/http-client/lib/index.js'

/** http-client's CONNECT tunnel to `base`, or undefined when its rules (no_proxy, loopback) bypass the proxy. */
export function proxyAgent(base: URL, userAgent: string): http.Agent | undefined {
  if (!getProxyUrl(base)?.hostname) return undefined
  return new HttpClient(userAgent, [], { keepAlive: true }).getAgent(base.href)
}
