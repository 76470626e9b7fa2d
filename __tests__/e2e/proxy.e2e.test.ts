// A self-hosted runner behind a proxy: with https_proxy set, requests to the API go through a
// CONNECT tunnel, the proxy chosen by @actions/http-client's rules. The proxy here maps the API's
// host name to a local HTTPS stand-in, so nothing leaves this machine. A second proxy takes the
// connection, reads the CONNECT and never answers, as a broken one on a self-hosted runner does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDS, KatapultStandIn, TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { selfSigned } from '../../stand-in/certificates.ts'
import { bundledStep } from '../support/bundled-step.ts'
import { CREATE_ROUTE, baseInputs } from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const API_HOST = 'api.katapult.test'
let folder = ''
let standIn: KatapultStandIn
let standInPort = 0
let proxy: http.Server
let proxyUrl = ''
const tunnels: string[] = []
/** Whether the proxy answers a CONNECT without credentials with 407. */
let requireCredentials = false
/** The Proxy-Authorization header of each CONNECT. */
const credentials: (string | undefined)[] = []
let silent: net.Server
let silentUrl = ''
/** CONNECTs the silent proxy read and never answered. */
let unanswered = 0
/** CONNECT tunnels leave the HTTP server's hands, so they are closed here. */
const tunnelSockets = new Set<net.Socket>()

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'katapult-proxy-'))
  const certificate = selfSigned(folder, 'api', `DNS:${API_HOST}`)
  standIn = new KatapultStandIn({ tls: certificate })
  standInPort = Number(new URL(await standIn.start()).port)

  proxy = http.createServer((_request, response) => {
    response.writeHead(405).end()
  })
  proxy.on('connect', (request: http.IncomingMessage, client: net.Socket) => {
    tunnels.push(request.url ?? '')
    credentials.push(request.headers['proxy-authorization'])
    tunnelSockets.add(client)
    if (request.url !== `${API_HOST}:443`) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    if (requireCredentials && !request.headers['proxy-authorization']) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n')
      return
    }
    const upstream = net.connect(standInPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`

  silent = net.createServer((socket) => {
    tunnelSockets.add(socket)
    socket.on('data', (data) => {
      if (data.toString('latin1').startsWith('CONNECT ')) unanswered++
    })
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`
})

afterAll(async () => {
  for (const socket of tunnelSockets) socket.destroy()
  proxy.closeAllConnections()
  await new Promise((resolve) => proxy.close(resolve))
  await new Promise((resolve) => silent.close(resolve))
  await standIn.stop()
  rmSync(folder, { recursive: true, force: true })
})

describe('behind a proxy', () => {
  it('reaches the API through https_proxy', async () => {
    const result = await bundledStep('main', baseInputs(`https://${API_HOST}`), {
      env: { https_proxy: proxyUrl, NODE_EXTRA_CA_CERTS: join(folder, 'api.pem') },
    })
    expect(result.exitCode).toBe(0)
    expect(tunnels.length).toBeGreaterThan(0)
    expect(new Set(tunnels)).toEqual(new Set([`${API_HOST}:443`]))
    expect(standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(standIn.requestsTo(CREATE_ROUTE)[0]?.headers.authorization).toBe(`Bearer ${TOKENS.valid}`)
    expect(result.outputs.created).toBe('true')
  })

  it('reads HTTPS_PROXY too, as http-client does', async () => {
    const before = tunnels.length
    const result = await bundledStep('main', baseInputs(`https://${API_HOST}`), {
      env: { HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: join(folder, 'api.pem') },
    })
    expect(result.exitCode).toBe(0)
    expect(tunnels.length).toBeGreaterThan(before)
  })

  it('goes direct for a host that no_proxy names, without asking the proxy', async () => {
    const before = tunnels.length
    const result = await bundledStep(
      'main',
      { ...baseInputs(`https://${API_HOST}`), 'max-attempts': '1' },
      {
        env: { https_proxy: proxyUrl, no_proxy: `.katapult.test`, NODE_EXTRA_CA_CERTS: join(folder, 'api.pem') },
      },
    )
    // Direct, the test's host name resolves nowhere: the step fails on the lookup, not the proxy.
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(`ENOTFOUND ${API_HOST}`)
    expect(tunnels.length).toBe(before)
  })
})

describe('a proxy that takes the connection and never answers the CONNECT', () => {
  // Real time: what is bounded here is request-timeout, a timer in the action's process; the
  // backoff between attempts is driven, as in every other test.
  const drive = (ms: number): void => {
    standIn.clock.advance(ms)
  }
  const bounds = { 'request-timeout': '1', 'max-attempts': '2', 'step-timeout': '6' }
  const behindSilentProxy = () => ({
    env: { https_proxy: silentUrl, NODE_EXTRA_CA_CERTS: join(folder, 'api.pem') },
    drive,
  })
  const stalled = (): string => `the proxy ${silentUrl} did not answer the CONNECT to ${API_HOST}:443 within 1.0 s`

  it('fails the main step within request-timeout × max-attempts, naming the proxy and what to check', async () => {
    const before = unanswered
    const result = await bundledStep('main', { ...baseInputs(`https://${API_HOST}`), ...bounds }, behindSilentProxy())
    expect(result.exitCode).toBe(1)
    expect(result.durationMs).toBeLessThan(2 * 1000 + 3000)
    expect(unanswered - before).toBe(2)
    expect(errorsOf(result)).toContain(stalled())
    expect(errorsOf(result)).toContain(`Check the proxy ${silentUrl} (https_proxy), or name the API's host in no_proxy`)
    expect(result.stderr).toBe('')
  })

  it('stops at step-timeout when that comes first, saying where the request stood', async () => {
    const result = await bundledStep(
      'main',
      { ...baseInputs(`https://${API_HOST}`), 'request-timeout': '30', 'step-timeout': '1.5' },
      behindSilentProxy(),
    )
    expect(result.exitCode).toBe(1)
    expect(result.durationMs).toBeLessThan(1500 + 3000)
    expect(errorsOf(result)).toContain(
      `step-timeout: the step reached its 1.5 s before sending GET /core/v1/virtual_machines/virtual_machine/network_interfaces (the proxy ${silentUrl} did not answer the CONNECT`,
    )
  })

  it('warns from the post step within the same bounds, and the job goes on', async () => {
    const state = { 'interface-id': 'vmnet_Pq8cW2nR5tY7zK3m', created: 'true' }
    const result = await bundledStep(
      'post',
      { ...baseInputs(`https://${API_HOST}`), ...bounds, cleanup: 'true' },
      {
        ...behindSilentProxy(),
        state,
      },
    )
    expect(result.exitCode).toBe(0)
    expect(result.durationMs).toBeLessThan(2 * 1000 + 3000)
    expect(warningsOf(result)).toMatch(/^Could not remove interface vmnet_Pq8cW2nR5tY7zK3m; it is left behind\. /)
    expect(warningsOf(result)).toContain(stalled())
  })

  it('fails the delete action within the same bounds', async () => {
    const result = await bundledStep(
      'main',
      {
        'api-token': TOKENS.valid,
        'api-url': `https://${API_HOST}`,
        'virtual-machine-fqdn': 'web-1.example.com',
        'virtual-network-id': IDS.virtualNetwork,
        ...bounds,
      },
      { ...behindSilentProxy(), action: 'delete' },
    )
    expect(result.exitCode).toBe(1)
    expect(result.durationMs).toBeLessThan(2 * 1000 + 3000)
    expect(errorsOf(result)).toContain(stalled())
  })
})

describe('a proxy that asks for credentials', () => {
  const trust = () => ({ NODE_EXTRA_CA_CERTS: join(folder, 'api.pem') })

  it('gets them from https_proxy, decoded, and nothing is printed on stderr', async () => {
    const before = credentials.length
    const withCredentials = proxyUrl.replace('http://', 'http://ci%20bot:s3cr%3At@')
    const result = await bundledStep('main', baseInputs(`https://${API_HOST}`), {
      env: { https_proxy: withCredentials, ...trust() },
    })
    expect(result.exitCode).toBe(0)
    expect(credentials.slice(before)[0]).toBe(`Basic ${Buffer.from('ci bot:s3cr:t').toString('base64')}`)
    expect(result.stderr).toBe('')
    expect(result.stdout).not.toContain('s3cr')
  })

  it('without them, fails once with the proxy’s 407 and says where the credentials go', async () => {
    const before = tunnels.length
    requireCredentials = true
    const result = await bundledStep('main', baseInputs(`https://${API_HOST}`), {
      env: { https_proxy: proxyUrl, ...trust() },
    }).finally(() => {
      requireCredentials = false
    })
    expect(result.exitCode).toBe(1)
    expect(tunnels.length - before).toBe(1)
    expect(errorsOf(result)).toContain(
      `the proxy ${proxyUrl} refused the CONNECT to ${API_HOST}:443: 407 Proxy Authentication Required`,
    )
    expect(errorsOf(result)).toContain('give them in https_proxy, as http://user:password@host:port')
  })
})
