// docs/troubleshooting.md quotes the messages a user meets as the action prints them. Each quoted
// block is marked with the scenario that produces it here, in-process against the stand-in; the
// block must be what the scenario prints, ports aside. A message that changes fails this test
// until the page says it again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import * as https from 'node:https'
import * as net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type KatapultStandIn, TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { ROOT } from '../../stand-in/run-bundle.ts'
import { selfSigned } from '../../stand-in/certificates.ts'
import { deleteStep, step } from '../support/in-process-step.ts'
import {
  CREATE_ROUTE,
  LIST_ROUTE,
  ON_PUBLIC_NETWORK,
  UNAVAILABLE,
  baseInputs,
  rateLimited,
  useStandIn,
} from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const env = useStandIn()
const page = readFileSync(join(ROOT, 'docs/troubleshooting.md'), 'utf8')

/** Each quoted message, by the scenario its marker names. */
const quoted = [...page.matchAll(/<!-- message: ([\w-]+) -->\n\n?```text\n([\s\S]*?)\n```/g)].map(([, name, text]) => ({
  name: name ?? '',
  text: text ?? '',
}))

/** Ports differ from run to run, and the proxy's: compared as PORT. */
const normal = (text: string): string => text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')

let folder = ''
let untrusted: https.Server
let silentProxy: net.Server
const sockets = new Set<net.Socket>()

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'katapult-docs-'))
  untrusted = https.createServer(selfSigned(folder, 'untrusted', 'IP:127.0.0.1'), (_request, response) => {
    response.end('{}')
  })
  silentProxy = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => untrusted.listen(8443, '127.0.0.1', resolve))
  await new Promise<void>((resolve) => silentProxy.listen(0, '127.0.0.1', resolve))
})

afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  untrusted.closeAllConnections()
  await new Promise((resolve) => untrusted.close(resolve))
  await new Promise((resolve) => silentProxy.close(resolve))
  rmSync(folder, { recursive: true, force: true })
})

/** What each scenario prints: the step's error, its warnings, or its log. */
const scenarios: Record<string, (standIn: KatapultStandIn, apiUrl: string) => Promise<string>> = {
  'missing-token': async (_standIn, apiUrl) => errorsOf(await step('main', baseInputs(apiUrl, { 'api-token': '' }))),
  'invalid-token': async (_standIn, apiUrl) =>
    errorsOf(await step('main', baseInputs(apiUrl, { 'api-token': 'Xx9wrong0token1Zz2Qq3Rr4' }))),
  'scope-not-granted': async (_standIn, apiUrl) =>
    errorsOf(await step('main', baseInputs(apiUrl, { 'api-token': TOKENS.readOnly }))),
  'speed-profile-not-found': async (_standIn, apiUrl) =>
    errorsOf(await step('main', baseInputs(apiUrl, { 'speed-profile-permalink': '1Gbps' }))),
  'virtual-network-by-permalink': async (_standIn, apiUrl) =>
    errorsOf(await step('main', baseInputs(apiUrl, { 'virtual-network-id': 'uk-lon-01-public' }))),
  'reuse-on-a-network': async (_standIn, apiUrl) =>
    errorsOf(await step('main', baseInputs(apiUrl, { ...ON_PUBLIC_NETWORK, 'reuse-existing': 'true' }))),
  'untrusted-certificate': async () =>
    errorsOf(await step('main', baseInputs('https://127.0.0.1:8443', { 'max-attempts': '1' }))),
  'connection-refused': async () => {
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as net.AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    return errorsOf(await step('main', baseInputs(`http://127.0.0.1:${port}`, { 'max-attempts': '2' })))
  },
  'silent-proxy': async () => {
    const { port } = silentProxy.address() as net.AddressInfo
    process.env.https_proxy = `http://127.0.0.1:${port}`
    try {
      const inputs = baseInputs('https://api.katapult.test', { 'request-timeout': '0.5', 'max-attempts': '1' })
      return errorsOf(await step('main', inputs))
    } finally {
      delete process.env.https_proxy
    }
  },
  'step-timeout': async (standIn, apiUrl) => {
    standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    return errorsOf(await step('main', baseInputs(apiUrl, { 'step-timeout': '0.5' })))
  },
  'retry-after-too-long': async (standIn, apiUrl) => {
    standIn.inject(CREATE_ROUTE, { ...rateLimited(), headers: { 'Retry-After': '600' } })
    return errorsOf(await step('main', baseInputs(apiUrl)))
  },
  'rate-limit-wait': async (standIn, apiUrl) => {
    // Katapult's Date header counts whole seconds: 42 of them to the minute's turn.
    standIn.clock.freeze(standIn.clock.nextMinute() - 42_000)
    standIn.inject(CREATE_ROUTE, rateLimited())
    return (await step('main', baseInputs(apiUrl), { random: 0 })).stdout
  },
  'delete-by-network': async () =>
    errorsOf(
      await deleteStep({ 'virtual-machine-fqdn': 'web-1.example.com', 'network-permalink': 'uk-lon-01-public' }),
    ),
  'lost-create-found': async (standIn, apiUrl) => {
    // The create's answer is lost, and so is every listing that would find what it made.
    standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'after' })
    standIn.inject(LIST_ROUTE, { kind: 'pass' }, UNAVAILABLE)
    const inputs = baseInputs(apiUrl, { 'max-attempts': '1' })
    const main = await step('main', inputs)
    return warningsOf(await step('post', inputs, { state: main.state }))
  },
}

describe('docs/troubleshooting.md', () => {
  it('quotes messages, each marked with the scenario that prints it', () => {
    expect(quoted.length).toBeGreaterThan(0)
    expect([...page.matchAll(/```text\n/g)]).toHaveLength(quoted.length)
    expect(quoted.map(({ name }) => name).sort()).toEqual(Object.keys(scenarios).sort())
  })

  it.each(Object.keys(scenarios))('quotes %s as the action prints it', async (name) => {
    const printed = await (scenarios[name] ?? (() => Promise.resolve('')))(env.standIn, env.apiUrl)
    const block = quoted.find((entry) => entry.name === name)?.text ?? ''
    expect(block).not.toBe('')
    expect(normal(printed)).toContain(normal(block))
  })
})
