// Truthful outcomes from every answer Katapult can give: a lost answer to this step's own DELETE
// counts as this step's deletion, "already so" answers are the state asked for, odd but valid
// values are read right, a summary that cannot be written is a warning, no fragment of the token
// reaches the log, and the whole step has a bound, shown here on a driven clock.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES, TOKENS } from '../stand-in/katapult-stand-in.ts'
import type { StepResult } from '../stand-in/runner.ts'
import {
  ATTACH_ROUTE,
  CREATE_ROUTE,
  DELETE_INTERFACE_ROUTE,
  DELETE_IP_ROUTE,
  DETACH_ROUTE,
  LIST_ROUTE,
  SPEED_ROUTE,
  TASK_ROUTE,
  UNALLOCATE_ROUTE,
  UNAVAILABLE,
  baseInputs,
  earlierInterface,
  errorsOf,
  onVirtualNetwork,
  printedLines,
  step,
  useStandIn,
  warningsOf,
} from './support.ts'

const env = useStandIn()

function deleteStep(inputs: Record<string, string>, options = {}): Promise<StepResult> {
  return step('main', { 'api-token': TOKENS.valid, 'api-url': env.apiUrl, ...inputs }, { action: 'delete', ...options })
}

const alreadyDetached = {
  kind: 'error' as const,
  status: 422,
  code: 'virtual_machine_network_interface_already_detached',
  description: 'The virtual machine network interface is already detached',
}

describe('lost answers to this step’s own removals', () => {
  it('the delete action’s DELETEs took effect but their answers were lost: deleted by this step, in the log and outputs', async () => {
    const earlier = earlierInterface(env.standIn, { state: 'detached', addresses: ['ipv4'] })
    const address = env.standIn.ipAddresses.find((ip) => ip.interfaceId === earlier.id)?.address
    env.standIn.inject(DELETE_IP_ROUTE, { kind: 'reset', when: 'after' })
    env.standIn.inject(DELETE_INTERFACE_ROUTE, { kind: 'reset', when: 'after' })
    const result = await deleteStep({ 'interface-id': earlier.id, 'delete-ips': 'true' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({
      deleted: 'true',
      id: earlier.id,
      'deleted-ip-addresses': JSON.stringify([address]),
    })
    expect(result.stdout).toContain(`Deleted interface ${earlier.id} and released ${address ?? ''}`)
    expect(result.stdout).not.toContain('already gone')
    expect(result.stdout).not.toContain('by something else')
    // The first DELETE was handled, but its connection closed before the answer.
    expect(env.standIn.requestsTo(DELETE_INTERFACE_ROUTE).map((request) => request.status)).toEqual([undefined, 404])
  })

  it('the post step’s DELETE lost its answer: the interface is removed by this run, not "already gone"', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    const main = await step('main', inputs)
    env.standIn.inject(DELETE_INTERFACE_ROUTE, { kind: 'reset', when: 'after' })
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toContain(`Cleanup: interface ${main.outputs.id ?? ''} removed`)
  })
})

describe('"already so" is the state asked for', () => {
  it('an unallocate whose answer was lost is sent again, and "no allocation" then means this run took the address off', async () => {
    const inputs = baseInputs(env.apiUrl, {
      'virtual-network-id': '',
      'network-permalink': 'uk-lon-01-public',
      'ip-address': RESERVED_ADDRESSES.ipv4,
      cleanup: 'true',
    })
    const main = await step('main', inputs)
    env.standIn.inject(UNALLOCATE_ROUTE, { kind: 'reset', when: 'after' })
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toContain(`IP address ${IDS.reservedIpv4} unallocated (kept)`)
    expect(env.standIn.requestsTo(UNALLOCATE_ROUTE).map((request) => request.status)).toEqual([undefined, 422])
    expect(env.standIn.ipAddresses.find((ip) => ip.id === IDS.reservedIpv4)?.interfaceId).toBeNull()
  })

  it('a speed-profile change answered speed_profile_already_assigned: nothing to wait for, and the step succeeds', async () => {
    const earlier = earlierInterface(env.standIn)
    env.standIn.inject(SPEED_ROUTE, {
      kind: 'error',
      status: 422,
      code: 'speed_profile_already_assigned',
      description: 'This network speed profile is already assigned to this virtual machine network interface.',
    })
    const result = await step(
      'main',
      baseInputs(env.apiUrl, { 'reuse-existing': 'true', 'speed-profile-permalink': '10gbps' }),
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs.id).toBe(earlier.id)
    expect(env.standIn.requestsTo(TASK_ROUTE)).toEqual([])
  })

  it.each([
    ['already_detached', alreadyDetached],
    ['not_attached', { ...alreadyDetached, code: 'virtual_machine_network_interface_not_attached' }],
  ])('a detach answered %s: the delete action still deletes the interface', async (_name, answer) => {
    const earlier = earlierInterface(env.standIn)
    // Something else detached it between the action's look at it and its detach.
    env.standIn.inject(DETACH_ROUTE, { ...answer, meanwhile: () => (earlier.state = 'detached') })
    const result = await deleteStep({
      'virtual-machine-fqdn': 'web-1.example.com',
      'virtual-network-id': IDS.virtualNetwork,
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ deleted: 'true', id: earlier.id })
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })

  it('a detach answered already_detached: the post step still removes the interface', async () => {
    const inputs = baseInputs(env.apiUrl, { attach: 'true', cleanup: 'true' })
    const main = await step('main', inputs)
    const created = env.standIn.interfaces.find((nic) => nic.id === main.outputs.id)
    env.standIn.inject(DETACH_ROUTE, { ...alreadyDetached, meanwhile: () => created && (created.state = 'detached') })
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })

  it('a detach whose answer was lost is sent again, and "already detached" then means done', async () => {
    const earlier = earlierInterface(env.standIn)
    env.standIn.inject(DETACH_ROUTE, { kind: 'reset', when: 'before' })
    const result = await deleteStep({ 'interface-id': earlier.id })
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(DETACH_ROUTE)).toHaveLength(2)
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})

describe('odd but valid values', () => {
  it.each([
    ['fe80::1%eth0', 'ip-address: "fe80::1%eth0" has a zone id (%eth0), which no Katapult address has; drop it'],
    [
      '::ffff:185.44.254.39',
      'ip-address: "::ffff:185.44.254.39" is the IPv4 address 185.44.254.39 written as IPv6; give 185.44.254.39',
    ],
    ['vmnet_abc', 'ip-address: "vmnet_abc" is a network interface id, not an IP address id (ip_…)'],
  ])('ip-address %s is an input error naming the input, before any request', async (value, message) => {
    const result = await step('main', baseInputs(env.apiUrl, { 'ip-address': value }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(message)
    expect(env.standIn.requests).toEqual([])
  })

  it('a listing that counts no pages and gives no page size goes on while a page is full: reuse-existing finds page 2', async () => {
    // 30 of the VM's interfaces on a network, the 31st on the virtual network: Katapult pages by 30 here.
    for (let n = 0; n < 30; n++)
      env.standIn.addInterfaceElsewhere('web-1.example.com', { networkId: IDS.publicNetwork })
    const earlier = earlierInterface(env.standIn)
    let all: unknown[] = []
    const largeSet = (answer: Record<string, unknown>, page: number): unknown => {
      if (page === 1) all = answer.virtual_machine_network_interfaces as unknown[]
      return {
        pagination: { current_page: page, total_pages: null, total: null, large_set: true },
        virtual_machine_network_interfaces: all.slice((page - 1) * 30, page * 30),
      }
    }
    env.standIn.inject(
      LIST_ROUTE,
      { kind: 'rewrite', change: (answer) => largeSet(answer, 1) },
      { kind: 'rewrite', change: (answer) => largeSet(answer, 2) },
    )
    const result = await step('main', baseInputs(env.apiUrl, { 'reuse-existing': 'true' }))
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ id: earlier.id, created: 'false' })
    expect(env.standIn.requestsTo(LIST_ROUTE)).toHaveLength(2)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toEqual([])
  })
})

describe('a job summary that cannot be written is a warning, never a failed step', () => {
  it('the main step sets its outputs and succeeds', async () => {
    const result = await step('main', baseInputs(env.apiUrl), { unwritableSummary: true })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.id).toMatch(/^vmnet_/)
    expect(warningsOf(result)).toMatch(/^Could not write the job summary, which is only a copy of the log: /)
  })

  it('the delete action deletes and succeeds', async () => {
    const earlier = earlierInterface(env.standIn)
    const result = await deleteStep({ 'interface-id': earlier.id }, { unwritableSummary: true })
    expect([result.exitCode, result.outputs.deleted]).toEqual([0, 'true'])
    expect(warningsOf(result)).toMatch(/^Could not write the job summary/)
  })

  it('the post step cleans up and does not say it could not finish', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    const main = await step('main', inputs)
    const post = await step('post', inputs, { state: main.state, unwritableSummary: true })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).not.toContain('Cleanup could not finish')
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})

describe('a server page that echoes the request', () => {
  it('prints no fragment of the token, however the page is cut', async () => {
    // A proxy's 502 page that echoes the request's headers, the token 190 characters in: a cut
    // at 200 characters would keep its first 10.
    const page = `<html><body><h1>502 Bad Gateway</h1><pre>${'x'.repeat(120)} Authorization: Bearer ${TOKENS.valid}\nAuthorization: Bearer ${TOKENS.valid}</pre></body></html>`
    env.standIn.inject(LIST_ROUTE, { kind: 'respond', status: 502, body: page })
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '1' }))
    expect(result.exitCode).toBe(1)
    const log = printedLines(result).join('\n')
    for (let start = 0; start + 6 <= TOKENS.valid.length; start++) {
      expect(log).not.toContain(TOKENS.valid.slice(start, start + 6))
    }
    expect(errorsOf(result)).toContain('Authorization: Bearer ***')
  })

  it('prints no Bearer credential of any token', async () => {
    const other = 'Ot8hR3sT5kN2qW7vZ4mB9cX6'
    env.standIn.inject(CREATE_ROUTE, {
      kind: 'error',
      status: 400,
      code: 'missing_api_token',
      description: `Bad header: Bearer ${other}`,
    })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(printedLines(result).join('\n')).not.toContain(other)
    expect(errorsOf(result)).toContain('Bad header: Bearer ***')
  })
})

describe('a bound on the whole step', () => {
  it('fails at step-timeout with what it was doing and what may exist, on a driven clock', async () => {
    // Every create is refused 503 with Retry-After: 50, so each retry waits 50 s (driven, not real).
    const refused = { ...UNAVAILABLE, headers: { 'Retry-After': '50' } }
    env.standIn.inject(CREATE_ROUTE, refused, refused, refused, refused)
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '20', 'step-timeout': '120' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toMatch(
      /^step-timeout: waiting 50\.0 s before sending POST \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces would take the step past its 120\.0 s \(\d+\.\d s left\), so it stops here$/,
    )
    expect(result.sleeps).toEqual([50_000, 50_000])
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(3)
  })

  it('the default bound of 300 s holds the worst case of retries inside retries', async () => {
    // A create lost every time, each resolution's listing refused until its last attempt: without
    // a bound on the whole step, 20 attempts of each would run for about 20 minutes.
    env.standIn.inject(
      CREATE_ROUTE,
      ...Array.from({ length: 20 }, () => ({ kind: 'reset' as const, when: 'before' as const })),
    )
    env.standIn.inject(LIST_ROUTE, { kind: 'pass' }, ...Array.from({ length: 400 }, () => UNAVAILABLE))
    // Every backoff drawn at the top of its range.
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '20' }), {
      env: { DRIVEN_RANDOM: '0.99' },
    })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('step-timeout: ')
    expect(errorsOf(result)).toContain('would take the step past its 300.0 s')
    expect(result.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(300_000)
    expect(errorsOf(result)).toContain('The create request got no answer, so an interface may exist on virtual network')
  })

  it('cuts off a request that would run past it; the post step then looks for what it may have made', async () => {
    // Real time: a hang is noticed only by the request's own timer, which is not driven. 0.5 s.
    const inputs = baseInputs(env.apiUrl, { 'step-timeout': '0.5', cleanup: 'true' })
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toMatch(
      /^step-timeout: the step reached its 0\.5 s while waiting for the answer to POST \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces, so it stops here\n {2}The create request got no answer/,
    )
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toContain('The create request that got no answer did create interface')
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})

describe('a failed main step says what this run left', () => {
  it.each([
    ['true', 'the post step removes it at the end of the job (cleanup: true).', 'the post step releases them.'],
    [
      'false',
      'it stays (cleanup is off); remove it with the delete action and interface-id: ',
      'they stay the organisation’s (cleanup is off).',
    ],
  ])('with cleanup: %s', async (cleanup, interfaceFate, addressFate) => {
    env.standIn.inject(ATTACH_ROUTE, UNAVAILABLE)
    const inputs = baseInputs(env.apiUrl, { 'allocate-ips': 'ipv4', attach: 'true', 'max-attempts': '1', cleanup })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    const id = main.state['interface-id'] ?? ''
    const [allocated] = JSON.parse(main.state['allocated-ip-ids'] ?? '[]') as string[]
    expect(errorsOf(main).split('\n').slice(1)).toEqual([
      `  Interface ${id} was created by this run and exists: ${interfaceFate}${cleanup === 'false' ? `${id}.` : ''}`,
      `  This run allocated ${allocated ?? ''} on interface ${id}: ${addressFate}`,
    ])
  })
})
