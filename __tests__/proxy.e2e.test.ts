// A self-hosted runner behind a proxy: with https_proxy set, requests to the API go through a
// CONNECT tunnel, as @actions/http-client sends them. The proxy here maps the API's host name
// to a local HTTPS stand-in, so nothing leaves this machine.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KatapultStandIn, TOKENS } from '../stand-in/katapult-stand-in.ts'
import { CREATE_ROUTE, baseInputs, step } from './support.ts'

const API_HOST = 'api.katapult.test'
let folder = ''
let standIn: KatapultStandIn
let standInPort = 0
let proxy: http.Server
let proxyUrl = ''
const tunnels: string[] = []
/** CONNECT tunnels leave the HTTP server's hands, so they are closed here. */
const tunnelSockets = new Set<net.Socket>()

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'katapult-proxy-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${API_HOST}`,
      '-addext',
      `subjectAltName=DNS:${API_HOST}`,
      '-keyout',
      join(folder, 'key.pem'),
      '-out',
      join(folder, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  )
  standIn = new KatapultStandIn({
    tls: { key: readFileSync(join(folder, 'key.pem'), 'utf8'), cert: readFileSync(join(folder, 'cert.pem'), 'utf8') },
  })
  standInPort = Number(new URL(await standIn.start()).port)

  proxy = http.createServer((_request, response) => {
    response.writeHead(405).end()
  })
  proxy.on('connect', (request: http.IncomingMessage, client: net.Socket) => {
    tunnels.push(request.url ?? '')
    tunnelSockets.add(client)
    if (request.url !== `${API_HOST}:443`) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
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
})

afterAll(async () => {
  for (const socket of tunnelSockets) socket.destroy()
  proxy.closeAllConnections()
  await new Promise((resolve) => proxy.close(resolve))
  await standIn.stop()
  rmSync(folder, { recursive: true, force: true })
})

describe('behind a proxy', () => {
  it('reaches the API through https_proxy', async () => {
    const result = await step('main', baseInputs(`https://${API_HOST}`), {
      env: { https_proxy: proxyUrl, NODE_EXTRA_CA_CERTS: join(folder, 'cert.pem') },
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
    const result = await step('main', baseInputs(`https://${API_HOST}`), {
      env: { HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: join(folder, 'cert.pem') },
    })
    expect(result.exitCode).toBe(0)
    expect(tunnels.length).toBeGreaterThan(before)
  })

  it('goes direct for a host that no_proxy names, without asking the proxy', async () => {
    const before = tunnels.length
    const result = await step(
      'main',
      { ...baseInputs(`https://${API_HOST}`), 'max-attempts': '1' },
      {
        env: { https_proxy: proxyUrl, no_proxy: `.katapult.test`, NODE_EXTRA_CA_CERTS: join(folder, 'cert.pem') },
      },
    )
    // Direct, the test's host name resolves nowhere: the step fails on the lookup, not the proxy.
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(`ENOTFOUND ${API_HOST}`)
    expect(tunnels.length).toBe(before)
  })
})
