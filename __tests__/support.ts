// What the end-to-end tests share: a stand-in per test, the bundled action run as the runner
// runs it, and the checks every run must pass (the token never printed, no stack trace).
import { afterEach, beforeEach, expect } from '@jest/globals'
import { type Fault, KatapultStandIn, type StandInOptions, TOKENS } from '../stand-in/katapult-stand-in.ts'
import { type StepOptions, type StepResult, runStep } from '../stand-in/runner.ts'

export const CREATE_ROUTE = 'POST /core/v1/virtual_machines/virtual_machine/network_interfaces'
export const LIST_ROUTE = 'GET /core/v1/virtual_machines/virtual_machine/network_interfaces'
export const INTERFACE_ROUTE = '/core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface'

type KatapultAnswer = Extract<Fault, { kind: 'respond' }>

/** Katapult's 429, as its rate limiter answers: no Retry-After, the limit in the detail. */
export function rateLimited(totalPermitted = 60): KatapultAnswer {
  return {
    kind: 'respond',
    status: 429,
    body: {
      code: 'rate_limit_reached',
      description: 'You have reached the rate limit for this type of request',
      detail: { total_permitted: totalPermitted },
    },
  }
}

export const UNAVAILABLE: KatapultAnswer = {
  kind: 'respond',
  status: 503,
  body: {
    code: 'service_unavailable',
    description: 'The service is currently unavailable, please try again later',
    detail: {},
  },
}

/** Starts a fresh stand-in before each test of the file; `env.standIn` and `env.apiUrl` reach it. */
export function useStandIn(options: StandInOptions = {}): { standIn: KatapultStandIn; apiUrl: string } {
  const env = { standIn: new KatapultStandIn(options), apiUrl: '' }
  beforeEach(async () => {
    env.standIn = new KatapultStandIn(options)
    env.apiUrl = await env.standIn.start()
  })
  afterEach(async () => {
    await env.standIn.stop()
  })
  return env
}

export function baseInputs(apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'api-token': TOKENS.valid,
    'api-url': apiUrl,
    'virtual-machine-fqdn': 'web-1.example.com',
    'network-permalink': 'private',
    'speed-profile-permalink': '1gbps',
    ...extra,
  }
}

/** Every log line but the runner's own ::add-mask:: command. */
export function printedLines(result: StepResult): string[] {
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => !line.startsWith('::add-mask::'))
}

/** Runs a step and checks what must hold for every run: no token in the log, no stack trace. */
export async function step(
  which: 'main' | 'post',
  inputs: Record<string, string>,
  options?: StepOptions,
): Promise<StepResult> {
  const result = await runStep(which, inputs, options)
  const token = inputs['api-token']?.trim()
  const lines = printedLines(result)
  if (token) expect(lines.filter((line) => line.includes(token))).toEqual([])
  expect(lines.filter((line) => /^\s+at .+[:(]/.test(line))).toEqual([])
  return result
}

/** The text of the runner's ::error:: commands, decoded. */
export function errorsOf(result: StepResult): string {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('::error::'))
    .map((line) => line.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'))
    .join('\n')
}

export function warningsOf(result: StepResult): string {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('::warning::'))
    .map((line) => line.slice('::warning::'.length).replace(/%0A/g, '\n').replace(/%25/g, '%'))
    .join('\n')
}
