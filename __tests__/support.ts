// What the end-to-end tests share: a stand-in per test, the bundled action run as the runner
// runs it with its time driven by the test (its sleeps move the stand-in's clock, and take no real
// time), and the checks every run must pass (the token never printed, no stack trace, nothing in
// the log that the runner would take for a workflow command the action did not mean).
import { afterEach, beforeEach, expect } from '@jest/globals'
import {
  type Fault,
  IDS,
  KatapultStandIn,
  type StandInInterface,
  type StandInOptions,
  TOKENS,
} from '../stand-in/katapult-stand-in.ts'
import { type StepOptions, type StepResult, runStep } from '../stand-in/runner.ts'
import { URL_CREDENTIALS } from '../src/action/inputs.ts'
import { MIN_PIECE } from '../src/action/secrets.ts'
import { readablePieces } from './support/secret-checks.ts'

export const CREATE_ROUTE = 'POST /core/v1/virtual_machines/virtual_machine/network_interfaces'
export const LIST_ROUTE = 'GET /core/v1/virtual_machines/virtual_machine/network_interfaces'
export const INTERFACE_ROUTE = '/core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface'
export const GET_INTERFACE_ROUTE = `GET ${INTERFACE_ROUTE}`
export const DELETE_INTERFACE_ROUTE = `DELETE ${INTERFACE_ROUTE}`
export const ATTACH_ROUTE = `POST ${INTERFACE_ROUTE}/attach`
export const DETACH_ROUTE = `POST ${INTERFACE_ROUTE}/detach`
export const ALLOCATE_ROUTE = `POST ${INTERFACE_ROUTE}/allocate_new_ip`
export const DELETE_IP_ROUTE = 'DELETE /core/v1/ip_addresses/ip_address'
export const TASK_ROUTE = 'GET /core/v1/tasks/task'
export const NETWORK_ROUTE = 'GET /core/v1/networks/network'
export const ALLOCATE_IP_ROUTE = `POST ${INTERFACE_ROUTE}/allocate_ip`
export const UNALLOCATE_ROUTE = 'POST /core/v1/ip_addresses/ip_address/unallocate'
export const SPEED_ROUTE = `PATCH ${INTERFACE_ROUTE}/update_speed_profile`

type KatapultError = Extract<Fault, { kind: 'error' }>

/** Katapult's 429 as its rate limiter sends it: no Retry-After, `X-Ratelimit-Remaining: 0`. */
export function rateLimited(totalPermitted = 1000): KatapultError {
  return {
    kind: 'error',
    status: 429,
    code: 'rate_limit_reached',
    description: 'You have reached the rate limit for this type of request',
    detail: { total_permitted: totalPermitted },
  }
}

export const UNAVAILABLE: KatapultError = {
  kind: 'error',
  status: 503,
  code: 'service_unavailable',
  description: 'The service is currently unavailable, please try again later',
  detail: {},
}

/** The stand-in of the running test, whose clock the action's sleeps drive. */
let current: KatapultStandIn | undefined

/** Starts a fresh stand-in before each test of the file; `env.standIn` and `env.apiUrl` reach it. */
export function useStandIn(options: StandInOptions = {}): { standIn: KatapultStandIn; apiUrl: string } {
  const env = { standIn: new KatapultStandIn(options), apiUrl: '' }
  beforeEach(async () => {
    env.standIn = new KatapultStandIn(options)
    env.apiUrl = await env.standIn.start()
    current = env.standIn
  })
  afterEach(async () => {
    await env.standIn.stop()
  })
  return env
}

/** The usual request: a new interface on a virtual network, next to the VM's public eth0. */
export function baseInputs(apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'api-token': TOKENS.valid,
    'api-url': apiUrl,
    'virtual-machine-fqdn': 'web-1.example.com',
    'virtual-network-id': IDS.virtualNetwork,
    'speed-profile-permalink': '1gbps',
    ...extra,
  }
}

/**
 * An interface that something other than this run made on web-1's virtual network (an earlier run,
 * Terraform): the one `reuse-existing` adopts. Attached, with the 1 Gbps profile, unless said otherwise.
 */
export function earlierInterface(
  standIn: KatapultStandIn,
  options: { state?: 'attached' | 'detached'; speedProfileId?: string; addresses?: ('ipv4' | 'ipv6')[] } = {},
): StandInInterface {
  const nic = standIn.addInterfaceElsewhere('web-1.example.com', {
    virtualNetworkId: IDS.virtualNetwork,
    state: options.state ?? 'attached',
    ...(options.speedProfileId ? { speedProfileId: options.speedProfileId } : {}),
  })
  for (const version of options.addresses ?? []) standIn.allocateElsewhere(nic.id, version)
  return nic
}

/** Inputs that target the public network (where every VM's first interface is) instead. */
export const ON_PUBLIC_NETWORK = { 'virtual-network-id': '', 'network-permalink': 'uk-lon-01-public' }

/** The VM's interfaces on the virtual network that baseInputs asks for. */
export function onVirtualNetwork(standIn: KatapultStandIn, fqdn = 'web-1.example.com'): string[] {
  return standIn
    .interfacesOf(fqdn)
    .filter((nic) => nic.virtualNetworkId === IDS.virtualNetwork)
    .map((nic) => nic.id)
}

/** Every log line but the runner's own ::add-mask:: command. */
export function printedLines(result: StepResult): string[] {
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => !line.startsWith('::add-mask::'))
}

/** The workflow commands the action means to send; any other `::` line start or `##[` is injected. */
const OWN_COMMANDS = /^::(debug|error|warning|notice|add-mask)::/

/** Lines that the runner would obey as a command the action did not send. */
export function obeyedCommands(result: StepResult): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter(
      (line) => (line.trimStart().startsWith('::') && !OWN_COMMANDS.test(line.trimStart())) || line.includes('##['),
    )
}

/** The secrets a step's inputs hold: the token, each line of a multi-line one, an api-url's password. */
export function secretsOf(inputs: Record<string, string>): string[] {
  const token = inputs['api-token']?.trim() ?? ''
  const lines = token.split(/\r?\n/).map((line) => line.trim())
  const password = URL_CREDENTIALS.exec(inputs['api-url'] ?? '')?.[2]
    ?.split(':')
    .slice(1)
    .join(':')
  // Shorter ones are no real secret (a placeholder such as `token`), and the product leaves them to the runner's mask.
  return [token, ...(lines.length > 1 ? lines : []), password ?? ''].filter((secret) => secret.length >= MIN_PIECE)
}

/**
 * Runs a step and checks what must hold for every run: no token in the log, and no readable piece
 * of a secret in any form in the log, outputs, state or summary; no stack trace; no stray command;
 * nothing on stderr. Its sleeps drive the test's stand-in's clock unless `realTime` says why not.
 */
export async function step(
  which: 'main' | 'post',
  inputs: Record<string, string>,
  options: StepOptions & { realTime?: string } = {},
): Promise<StepResult> {
  const standIn = current
  const drive =
    options.realTime === undefined && standIn
      ? (ms: number) => {
          standIn.clock.advance(ms)
        }
      : undefined
  const result = await runStep(which, inputs, { drive, ...options })
  const lines = printedLines(result)
  const shown = [...lines, ...Object.values(result.outputs), ...Object.values(result.state), result.summary].join('\n')
  for (const secret of secretsOf(inputs)) {
    expect(lines.filter((line) => line.includes(secret))).toEqual([])
    expect(readablePieces(shown, secret)).toEqual([])
  }
  expect(lines.filter((line) => /^\s+at .+[:(]/.test(line))).toEqual([])
  expect(obeyedCommands(result)).toEqual([])
  // The action speaks through the runner's commands on stdout; anything on stderr is noise (a
  // deprecation warning from bundled code) or a crash.
  expect(result.stderr).toBe('')
  return result
}

function decode(result: StepResult, command: string): string {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${command}::`))
    .map((line) => line.slice(`::${command}::`.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'))
    .join('\n')
}

/** The text of the runner's ::error:: commands, decoded. */
export function errorsOf(result: StepResult): string {
  return decode(result, 'error')
}

export function warningsOf(result: StepResult): string {
  return decode(result, 'warning')
}

/** The requests a test made after `count` earlier ones, as `METHOD path`. */
export function routesAfter(standIn: KatapultStandIn, count: number): string[] {
  return standIn.requests.slice(count).map((request) => `${request.method} ${request.path}`)
}
