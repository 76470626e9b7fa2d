// The post step with cleanup: true removes what the main step made, and only that; a removal
// whose answer was lost, or that is already so, is this run's.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import {
  baseInputs,
  DELETE_INTERFACE_ROUTE,
  DELETE_IP_ROUTE,
  DETACH_ROUTE,
  earlierInterface,
  onVirtualNetwork,
  routesAfter,
  UNALLOCATE_ROUTE,
  UNAVAILABLE,
  useStandIn,
  ALREADY_DETACHED,
  ON_PUBLIC_NETWORK,
} from '../support/stand-in.ts'
import { warningsOf } from '../support/step-log.ts'

const env = useStandIn({ virtualMachines: 2 })

const REUSE = { 'reuse-existing': 'true' }

const requestsAfter = (count: number): string[] => routesAfter(env.standIn, count)

const namesOnWeb1 = (): string[] => env.standIn.interfacesOf('web-1.example.com').map((nic) => nic.name)

describe('cleanup in the post step', () => {
  it('detaches and deletes a created, attached interface and releases the addresses it allocated', async () => {
    const inputs = baseInputs(env.apiUrl, { attach: 'true', 'allocate-ips': 'ipv4,ipv6', cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    const allocated = (JSON.parse(main.outputs.interface ?? '') as { ip_addresses: { id: string }[] }).ip_addresses.map(
      (ip) => ip.id,
    )
    expect(JSON.parse(main.state['allocated-ip-ids'] ?? '')).toEqual(allocated)

    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).toBe('')
    expect(namesOnWeb1()).toEqual(['Public Network on web-1'])
    expect(env.standIn.ipAddresses.filter((ip) => allocated.includes(ip.id))).toEqual([])
    expect(env.standIn.requestsTo(DETACH_ROUTE)).toHaveLength(1)
    const id = main.outputs.id ?? ''
    const line = `Cleanup: IP address ${allocated[0] ?? ''} removed; IP address ${allocated[1] ?? ''} removed; interface ${id} removed`
    expect(post.summary).toBe(`${line}\n`)
    // One line says what was removed, in the log as in the summary.
    expect(post.stdout.split('\n').filter((text) => text.includes('removed'))).toEqual([line])
  })

  it('never touches a reused interface, only the address it allocated', async () => {
    const earlier = earlierInterface(env.standIn, { addresses: ['ipv4'] })
    const inputs = baseInputs(env.apiUrl, { ...REUSE, 'allocate-ips': 'ipv4,ipv6', cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.outputs.id).toBe(earlier.id)
    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(env.standIn.interfaces.some((nic) => nic.id === earlier.id)).toBe(true)
    expect(env.standIn.ipAddresses.filter((ip) => ip.interfaceId === earlier.id).map((ip) => ip.address)).toEqual([
      main.outputs['ipv4-address'],
    ])
    expect(env.standIn.requestsTo(DELETE_IP_ROUTE)).toHaveLength(1)
    expect(env.standIn.requestsTo(DETACH_ROUTE)).toEqual([])
    expect(env.standIn.requestsTo(DELETE_INTERFACE_ROUTE)).toEqual([])
  })

  it('is content when the interface was deleted elsewhere', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    const main = await step('main', inputs)
    env.standIn.deleteElsewhere(main.outputs.id ?? '')
    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).toBe('')
    expect(post.stdout).toContain(`Cleanup: interface ${main.outputs.id ?? ''} already gone`)
  })

  it('warns, naming what is left behind, when it cannot finish', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true', 'max-attempts': '1' })
    const main = await step('main', inputs)
    env.standIn.inject(DELETE_INTERFACE_ROUTE, UNAVAILABLE)
    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).toContain(`Could not remove interface ${main.outputs.id ?? ''}; it is left behind.`)
    expect(warningsOf(post)).toContain('503 service_unavailable')
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(2)
  })

  it('sends no request when cleanup is off', async () => {
    const inputs = baseInputs(env.apiUrl, { attach: 'true' })
    const main = await step('main', inputs)
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(requestsAfter(before)).toEqual([])
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(2)
  })

  it('sends no request when the main step created nothing', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true', 'virtual-machine-fqdn': 'nope.example.com' })
    const main = await step('main', inputs)
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect(main.exitCode).toBe(1)
    expect(post.exitCode).toBe(0)
    expect(requestsAfter(before)).toEqual([])
  })
})

describe('lost answers to this step’s own removals', () => {
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

  it('a detach answered already_detached: the post step still removes the interface', async () => {
    const inputs = baseInputs(env.apiUrl, { attach: 'true', cleanup: 'true' })
    const main = await step('main', inputs)
    const created = env.standIn.interfaces.find((nic) => nic.id === main.outputs.id)
    env.standIn.inject(DETACH_ROUTE, { ...ALREADY_DETACHED, meanwhile: () => created && (created.state = 'detached') })
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})

describe('only what is still on this run’s interface', () => {
  it('leaves alone the organisation’s address that moved to another VM meanwhile, as a failover moves it', async () => {
    const inputs = baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'ip-address': IDS.reservedIpv4, cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    const [web2] = env.standIn.interfacesOf('web-2.example.com')
    const reserved = env.standIn.ipAddresses.find((ip) => ip.id === IDS.reservedIpv4)
    if (!reserved || !web2) throw new Error('the stand-in has no reserved address or no web-2')
    reserved.interfaceId = web2.id
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(requestsAfter(before)).not.toContain(UNALLOCATE_ROUTE)
    expect(reserved.interfaceId).toBe(web2.id)
    expect(post.stdout).toContain(`IP address ${IDS.reservedIpv4} no longer on the interface, left alone`)
    expect(post.stdout).toContain(`interface ${main.outputs.id ?? ''} removed`)
  })

  it('leaves alone, and names, an address this run allocated that is no longer on its interface', async () => {
    const inputs = baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'allocate-ips': 'ipv4', cleanup: 'true' })
    const main = await step('main', inputs)
    const [web2] = env.standIn.interfacesOf('web-2.example.com')
    const allocated = env.standIn.ipAddresses.find((ip) => ip.address === main.outputs['ipv4-address'])
    if (!allocated || !web2) throw new Error('nothing was allocated, or there is no web-2')
    allocated.interfaceId = web2.id
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(requestsAfter(before)).not.toContain(DELETE_IP_ROUTE)
    expect(env.standIn.ipAddresses).toContain(allocated)
    expect(warningsOf(post)).toContain(
      `This run allocated ${allocated.id}, which is no longer on interface ${main.outputs.id ?? ''}`,
    )
  })
})
