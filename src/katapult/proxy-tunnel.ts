// The proxy path of transport.ts, imported only when the runner sets a proxy variable: the bundler
// emits it as a chunk of its own. Whether the proxy applies is @actions/http-client's rule
// (https_proxy or HTTPS_PROXY, no_proxy, loopback hosts always direct), as every toolkit action
// reads it. The CONNECT tunnel itself is made here rather than by http-client's `tunnel`
// dependency, so that a tunnel still being opened is closed with the step (a proxy that never
// answers must not keep the process alive), its failures name the proxy, and no deprecated
// Buffer() call prints a warning for every authenticated proxy. It imports nothing of the main
// chunk but types (its errors are made by the factory it is given): a module that two chunks
// share is kept apart by the bundler, and everything it imports with it, which slows every step.
import * as http from 'node:http'
import * as https from 'node:https'
import type { Duplex } from 'node:stream'
import * as tls from 'node:tls'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import type { ProxyFailure } from './transport-errors.ts'

/** An https agent whose connections are tunnels through the proxy. */
class TunnelAgent extends https.Agent {
  readonly #proxy: URL
  readonly #shown: string
  readonly #userAgent: string
  readonly #opening = new Set<http.ClientRequest>()
  readonly #failure: ProxyFailure

  constructor(proxy: URL, shown: string, userAgent: string, failure: ProxyFailure) {
    super({ keepAlive: true })
    this.#proxy = proxy
    this.#shown = shown
    this.#userAgent = userAgent
    this.#failure = failure
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): undefined {
    // Node's agent reads no stream along with an error.
    const failed = (error: Error): void => {
      ;(callback as ((error: Error) => void) | undefined)?.(error)
    }
    const target = `${options.host ?? ''}:${String(options.port ?? 443)}`
    // getProxyUrl's URL gives its credentials decoded.
    const { username, password } = this.#proxy
    const credentials = username || password ? `${username}:${password}` : ''
    const connectRequest = (this.#proxy.protocol === 'https:' ? https : http).request({
      host: this.#proxy.hostname,
      port: this.#proxy.port || (this.#proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      agent: false,
      headers: {
        Host: target,
        'User-Agent': this.#userAgent,
        ...(credentials ? { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` } : {}),
      },
    })
    this.#opening.add(connectRequest)
    const settle = (): void => {
      this.#opening.delete(connectRequest)
    }
    connectRequest.once('connect', (response, socket) => {
      settle()
      const status = response.statusCode ?? 0
      if (status !== 200) {
        socket.destroy()
        failed(this.#failure(this.#shown, target, { status }))
        return
      }
      const servername = options.servername ?? options.host ?? ''
      callback?.(null, tls.connect({ ...(options as tls.ConnectionOptions), socket, servername }))
    })
    connectRequest.once('error', (cause: NodeJS.ErrnoException) => {
      settle()
      failed(this.#failure(this.#shown, target, { cause }))
    })
    connectRequest.end()
    return undefined
  }

  override destroy(): void {
    for (const opening of this.#opening) opening.destroy()
    this.#opening.clear()
    super.destroy()
  }
}

/**
 * The tunnel to `base`, or undefined when http-client's rules (no_proxy, loopback) bypass the
 * proxy; `failure` makes the error for a proxy that refused or could not be reached.
 */
export function tunnelTo(
  base: URL,
  userAgent: string,
  failure: ProxyFailure,
): { agent: http.Agent; proxy: string } | undefined {
  const proxy = getProxyUrl(base)
  if (!proxy?.hostname) return undefined
  // Named in messages by its origin: never with the credentials a proxy URL may hold.
  const shown = proxy.origin
  return { agent: new TunnelAgent(proxy, shown, userAgent, failure), proxy: shown }
}
