// Touch only what is ours: a definite answer ends the doubt (the post step never "finds" the effect
// of a request Katapult refused, so it cannot take another run's interface or the organisation's
// reserved address for its own), a request that truly got no answer is found by real-shaped ids,
// and whatever state the main step saves, on any path, the post step reads back.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES } from '../stand-in/katapult-stand-in.ts'
import { readState } from '../src/create/state.ts'
import type { StepResult } from '../stand-in/runner.ts'
import {
  ALLOCATE_IP_ROUTE,
  ALLOCATE_ROUTE,
  ATTACH_ROUTE,
  CREATE_ROUTE,
  DELETE_IP_ROUTE,
  GET_INTERFACE_ROUTE,
  ON_PUBLIC_NETWORK,
  UNAVAILABLE,
  baseInputs,
  errorsOf,
  onVirtualNetwork,
  rateLimited,
  routesAfter,
  step,
  useStandIn,
  warningsOf,
} from './support.ts'

const env = useStandIn()

const SPEED_PROFILE_NOT_FOUND = {
  kind: 'error' as const,
  status: 404,
  code: 'network_speed_profile_not_found',
  description: 'No network speed profile was found matching any of the criteria provided in the arguments',
}
const NO_ADDRESSES = {
  kind: 'error' as const,
  status: 503,
  code: 'no_available_addresses',
  description: 'There are no available addresses on this network',
}

/** Reads the main step's state as the post step does, and returns it with the warnings it gave. */
function readBack(main: StepResult): { state: ReturnType<typeof readState>; warnings: string[] } {
  const warnings: string[] = []
  const state = readState(
    (name) => main.state[name] ?? '',
    (message) => warnings.push(message),
  )
  return { state, warnings }
}

describe('a definite answer ends the doubt: the post step sends nothing for a refused request', () => {
  it.each([
    [
      'a create refused 404',
      () => {
        env.standIn.inject(CREATE_ROUTE, SPEED_PROFILE_NOT_FOUND)
      },
      {},
    ],
    [
      'a create refused 429 at the last attempt',
      () => {
        env.standIn.inject(CREATE_ROUTE, rateLimited())
      },
      { 'max-attempts': '1' },
    ],
    [
      'a create refused 503',
      () => {
        env.standIn.inject(CREATE_ROUTE, UNAVAILABLE)
      },
      { 'max-attempts': '1' },
    ],
  ])('%s, without cleanup', async (_name, arrange, extra) => {
    arrange()
    const inputs = baseInputs(env.apiUrl, extra)
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(main.state['pending-create']).toBe('')
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).not.toContain('got no answer')
    expect(routesAfter(env.standIn, before)).toEqual([])
  })

  it('an allocation refused 404 (an unknown ip-address), without cleanup', async () => {
    const inputs = baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'ip-address': '198.51.100.7' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(main.state['pending-allocation']).toBe('')
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect(post.stdout).toContain('Cleanup is off, so what this run created stays: interface')
    expect(routesAfter(env.standIn, before)).toEqual([])
  })

  it('a create refused 404, after which something else creates on the network: cleanup removes nothing', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    env.standIn.inject(CREATE_ROUTE, SPEED_PROFILE_NOT_FOUND)
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    // A later step, a person or other automation adds an interface on the same virtual network.
    const theirs = env.standIn.addInterfaceElsewhere('web-1.example.com', { virtualNetworkId: IDS.virtualNetwork })
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toContain('Cleanup: this run created nothing, so there is nothing to remove')
    expect(routesAfter(env.standIn, before)).toEqual([])
    expect(onVirtualNetwork(env.standIn)).toEqual([theirs.id])
  })

  it('an allocation refused 503 no_available_addresses, after which the organisation’s reserved address lands on the interface: cleanup never releases it', async () => {
    const inputs = baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'allocate-ips': 'ipv4', cleanup: 'true' })
    env.standIn.inject(ALLOCATE_ROUTE, NO_ADDRESSES)
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toContain('answered 503 no_available_addresses')
    // Someone puts the reserved address that DNS points at on the interface this run created.
    const reserved = env.standIn.ipAddresses.find((ip) => ip.id === IDS.reservedIpv4)
    if (reserved) reserved.interfaceId = main.state['interface-id'] ?? null
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).not.toContain('got no answer')
    expect(env.standIn.requestsTo(DELETE_IP_ROUTE)).toEqual([])
    expect(env.standIn.ipAddresses.some((ip) => ip.address === RESERVED_ADDRESSES.ipv4)).toBe(true)
    // The interface this run did create is removed; the address stays the organisation's.
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })
})

describe('a request that truly got no answer', () => {
  // Real time, tens of milliseconds: the cancellation is a signal to a live process.
  it('a cancelled create (SIGINT, then SIGTERM) with real-shaped ids is found and removed by the post step', async () => {
    const vm = env.standIn.vm('web-1.example.com')
    const inputs = baseInputs(env.apiUrl, {
      'virtual-machine-fqdn': '',
      'virtual-machine-id': vm.id,
      'virtual-network-id': '',
      'network-id': IDS.publicNetwork,
      'speed-profile-permalink': '',
      'speed-profile-id': IDS.speed1g,
      cleanup: 'true',
    })
    const [eth0] = env.standIn.interfacesOf('web-1.example.com')
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const main = await step('main', inputs, {
      cancelWhen: () => env.standIn.interfacesOf('web-1.example.com').length === 2,
    })
    expect(main.exitCode).not.toBe(0)
    const { state, warnings } = readBack(main)
    expect(warnings).toEqual([])
    expect(state.pendingCreate).toEqual({
      virtualMachine: { id: vm.id },
      network: { object: 'network', lookup: { id: IDS.publicNetwork } },
      before: [eth0?.id],
    })
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toMatch(/The create request that got no answer did create interface vmnet_\w+/)
    expect(post.stdout).toMatch(/Cleanup: interface vmnet_\w+ removed/)
    // Only the interface the VM was built with is left, untouched, with its address.
    expect(env.standIn.interfacesOf('web-1.example.com')).toEqual([eth0])
    expect(env.standIn.ipAddresses.filter((ip) => ip.interfaceId === eth0?.id)).toHaveLength(1)
  })
})

describe('whatever the main step saves, on any path, the post step reads back', () => {
  const paths: [string, () => void, Record<string, string>][] = [
    ['success, with everything', () => undefined, { 'allocate-ips': 'ipv4,ipv6', attach: 'true' }],
    [
      'success by id lookups',
      () => undefined,
      { 'virtual-network-id': IDS.virtualNetwork, 'speed-profile-permalink': '', 'speed-profile-id': IDS.speed10g },
    ],
    [
      'a reserved address allocated',
      () => undefined,
      { ...ON_PUBLIC_NETWORK, 'ip-address': `${RESERVED_ADDRESSES.ipv4}, ${IDS.reservedIpv6}` },
    ],
    [
      'a refused create',
      () => {
        env.standIn.inject(CREATE_ROUTE, SPEED_PROFILE_NOT_FOUND)
      },
      {},
    ],
    [
      'a create whose answers are lost',
      () => {
        env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'before' }, { kind: 'reset', when: 'before' })
      },
      { 'max-attempts': '2' },
    ],
    [
      'a create lost and never resolved',
      () => {
        env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'after' })
        env.standIn.inject(GET_INTERFACE_ROUTE, UNAVAILABLE)
      },
      { 'max-attempts': '1' },
    ],
    [
      'an allocation lost',
      () => {
        env.standIn.inject(ALLOCATE_ROUTE, { kind: 'reset', when: 'after' }, UNAVAILABLE)
      },
      { 'allocate-ips': 'ipv4', 'max-attempts': '1' },
    ],
    [
      'a reserved allocation lost',
      () => {
        env.standIn.inject(ALLOCATE_IP_ROUTE, { kind: 'reset', when: 'after' })
      },
      { ...ON_PUBLIC_NETWORK, 'ip-address': RESERVED_ADDRESSES.ipv6.toUpperCase(), 'max-attempts': '1' },
    ],
    [
      'a failed attach',
      () => {
        env.standIn.inject(ATTACH_ROUTE, UNAVAILABLE)
      },
      { attach: 'true', 'max-attempts': '1' },
    ],
  ]

  it.each(paths)('%s', async (_name, arrange, extra) => {
    arrange()
    const main = await step('main', baseInputs(env.apiUrl, extra))
    const { state, warnings } = readBack(main)
    expect(warnings).toEqual([])
    // Every value the main step saved comes back as it was saved.
    const text = (name: string): string => main.state[name] ?? ''
    const json = (name: string): unknown => (text(name) === '' ? undefined : JSON.parse(text(name)))
    expect(state).toEqual({
      interfaceId: text('interface-id') || undefined,
      created: text('created') === 'true',
      allocatedIpIds: json('allocated-ip-ids') ?? [],
      reservedIpIds: json('reserved-ip-ids') ?? [],
      pendingCreate: json('pending-create'),
      pendingAllocation: json('pending-allocation'),
    })
  })
})
