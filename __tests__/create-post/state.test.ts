// The state between the steps: whatever the main step saves, on any path, the post step reads
// back; a state that is not what the main step wrote is named in a warning and not used.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES } from '../../stand-in/katapult-stand-in.ts'
import { step, mainThenPost } from '../support/in-process-step.ts'
import {
  ALLOCATE_IP_ROUTE,
  ALLOCATE_ROUTE,
  ATTACH_ROUTE,
  baseInputs,
  CREATE_ROUTE,
  DELETE_IP_ROUTE,
  GET_INTERFACE_ROUTE,
  ON_PUBLIC_NETWORK,
  onVirtualNetwork,
  UNAVAILABLE,
  useStandIn,
  SPEED_PROFILE_NOT_FOUND,
} from '../support/stand-in.ts'
import { warningsOf } from '../support/step-log.ts'
import { readBack } from '../support/saved-state.ts'

const env = useStandIn()

describe('a post-step state that is not what the main step wrote', () => {
  it.each([
    ['not JSON', 'ip_a, ip_b'],
    ['an object', '{}'],
    ['numbers', '[1,2]'],
    ['a string, not a list', '"ip_other"'],
    ['an id with a command', '["ip_x\\n::add-mask::y"]'],
  ])(
    'allocated-ip-ids holding %s: a warning, nothing sent for it, and the interface still removed',
    async (_name, value) => {
      const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
      const main = await step('main', inputs)
      const addresses = env.standIn.ipAddresses.length
      const post = await step('post', inputs, { state: { ...main.state, 'allocated-ip-ids': value } })
      expect(post.exitCode).toBe(0)
      expect(warningsOf(post)).toMatch(
        /^The step's state allocated-ip-ids holds ".*", which this action never saves; it is ignored\.$/,
      )
      expect(env.standIn.requestsTo(DELETE_IP_ROUTE)).toEqual([])
      expect(env.standIn.ipAddresses).toHaveLength(addresses)
      expect(onVirtualNetwork(env.standIn)).toEqual([])
    },
  )

  it('an interface-id that is not an interface id: a warning, and no request', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    const post = await step('post', inputs, {
      state: { 'interface-id': 'vmnet_x/../../ip_addresses', created: 'true' },
    })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).toContain("The step's state interface-id holds")
    expect(env.standIn.requests).toEqual([])
  })

  it('after an input error in the main step, the post step has nothing to do and says only that', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true', 'max-attempts': 'many' })
    const { main, post } = await mainThenPost(inputs)
    expect([main.exitCode, post.exitCode, warningsOf(post)]).toEqual([1, 0, ''])
    expect(post.stdout).toContain('Cleanup: this run created nothing, so there is nothing to remove')
    expect(env.standIn.requests).toEqual([])
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
