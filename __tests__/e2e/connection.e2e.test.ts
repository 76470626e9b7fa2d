// What a user sees when api-url cannot be reached as it should. A certificate the runner does not
// trust, an expired one, one for another host, and plain HTTP where TLS was expected are settled
// before anything is sent and no retry changes them: one connection, one message. A refused
// connection and a host name that does not resolve sent nothing either, and are retried. Every
// message names api-url and what to do.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as http from 'node:http'
import * as https from 'node:https'
import { mkdtempSync, rmSync } from 'node:fs'
import * as net from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Certificate, expired, selfSigned } from '../../stand-in/certificates.ts'
import { bundledStep } from '../support/bundled-step.ts'
import { baseInputs, useStandIn } from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

useStandIn()
let folder = ''
const servers: Record<string, { server: http.Server; url: string; connections: number; trust?: string }> = {}

async function serve(name: string, server: http.Server, scheme: 'https' | 'http', trust?: Certificate): Promise<void> {
  const entry = { server, url: '', connections: 0, ...(trust ? { trust: trust.file } : {}) }
  server.on('connection', () => {
    entry.connections++
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  entry.url = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`
  servers[name] = entry
}

const answer = (_request: http.IncomingMessage, response: http.ServerResponse): void => {
  response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'katapult-tls-'))
  const untrusted = selfSigned(folder, 'untrusted', 'IP:127.0.0.1')
  const old = expired(folder, 'expired', 'IP:127.0.0.1')
  const other = selfSigned(folder, 'other', 'DNS:other.example.com')
  await serve('untrusted', https.createServer(untrusted, answer), 'https')
  await serve('expired', https.createServer(old, answer), 'https', old)
  await serve('other', https.createServer(other, answer), 'https', other)
  await serve('plain', http.createServer(answer), 'https')
})

afterAll(async () => {
  for (const { server } of Object.values(servers)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  rmSync(folder, { recursive: true, force: true })
})

describe('a failure no retry changes: sent once, and the message says what to fix', () => {
  it.each([
    [
      'a self-signed certificate the runner does not trust',
      'untrusted',
      'DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate',
      'set NODE_EXTRA_CA_CERTS to the certificate',
    ],
    ['an expired certificate', 'expired', 'CERT_HAS_EXPIRED certificate has expired', "it must be Katapult's API"],
    [
      'a certificate for another host',
      'other',
      "ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does not match certificate's altnames",
      "the server's certificate is for another host",
    ],
    [
      'a port that answers in plain HTTP',
      'plain',
      'EPROTO: the server answered in plain HTTP, not TLS',
      'https:// needs',
    ],
  ])('%s', async (_name, which, cause, advice) => {
    const server = servers[which]
    if (!server) throw new Error(`no server ${which}`)
    const result = await bundledStep('main', baseInputs(server.url), {
      env: server.trust ? { NODE_EXTRA_CA_CERTS: server.trust } : {},
    })
    expect(result.exitCode).toBe(1)
    expect(server.connections).toBe(1)
    server.connections = 0
    const errors = errorsOf(result)
    expect(errors).toContain(
      `GET /core/v1/virtual_machines/virtual_machine/network_interfaces got no complete answer: ${cause}`,
    )
    expect(errors).toContain(`Check ${which === 'other' ? 'the host name in ' : ''}api-url (${server.url})`)
    expect(errors).toContain(advice)
    expect(result.stdout).not.toContain('retrying')
  })
})

describe('a server that takes the connection and never finishes the TLS handshake', () => {
  // Real time: request-timeout is a timer in the action's process.
  it('fails within request-timeout for each attempt, saying where the request stood', async () => {
    const sockets = new Set<net.Socket>()
    const silent = net.createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`
    try {
      const result = await bundledStep('main', baseInputs(url, { 'request-timeout': '0.5', 'max-attempts': '2' }))
      expect(result.exitCode).toBe(1)
      expect(errorsOf(result)).toContain(
        `got no complete answer: the TLS handshake with 127.0.0.1:${url.split(':')[2] ?? ''} did not finish within 0.5 s (request-timeout)`,
      )
      expect(result.durationMs).toBeLessThan(2 * 500 + 3000)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})

describe('nothing sent, so tried again, then named', () => {
  it('a refused connection names api-url, after its retries', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise((resolve) => closed.close(resolve))
    const result = await bundledStep('main', baseInputs(url, { 'max-attempts': '2' }))
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('attempt 1 of 2 failed (ECONNREFUSED')
    expect(errorsOf(result)).toContain(`ECONNREFUSED connect ECONNREFUSED 127.0.0.1:`)
    expect(errorsOf(result)).toContain(`Check api-url (${url}): its host and port must reach Katapult's API.`)
  })

  it('a host name that does not resolve names api-url', async () => {
    const result = await bundledStep('main', baseInputs('https://api.katapult.invalid', { 'max-attempts': '1' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toMatch(/got no complete answer: (ENOTFOUND|EAI_AGAIN) /)
    expect(errorsOf(result)).toContain('Check api-url (https://api.katapult.invalid)')
  })
})
