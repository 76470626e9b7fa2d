// The whole environment lifecycle, bundled actions run as the runner runs them: the delete action
// for teardown workflows, the organisation's reserved addresses, and reuse-existing converging the
// speed profile.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES, TOKENS } from '../stand-in/katapult-stand-in.ts'
import type { StepResult } from '../stand-in/runner.ts'
import {
  ALLOCATE_IP_ROUTE,
  ATTACH_ROUTE,
  CREATE_ROUTE,
  DELETE_INTERFACE_ROUTE,
  DELETE_IP_ROUTE,
  DETACH_ROUTE,
  GET_INTERFACE_ROUTE,
  ON_PUBLIC_NETWORK,
  SPEED_ROUTE,
  UNALLOCATE_ROUTE,
  baseInputs,
  earlierInterface,
  errorsOf,
  onVirtualNetwork,
  routesAfter,
  step,
  useStandIn,
  warningsOf,
} from './support.ts'

const env = useStandIn()

function deleteStep(inputs: Record<string, string>): Promise<StepResult> {
  return step('main', { 'api-token': TOKENS.valid, 'api-url': env.apiUrl, ...inputs }, { action: 'delete' })
}

/** Creates an interface on the public network with an address, attached: what a preview run leaves. */
async function provisioned(): Promise<StepResult> {
  const main = await step(
    'main',
    baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'allocate-ips': 'ipv4', attach: 'true' }),
  )
  expect(main.exitCode).toBe(0)
  return main
}

describe('the delete action', () => {
  it('deletes an attached interface by id: detaches it, waits, then deletes it; its addresses stay', async () => {
    const main = await provisioned()
    const id = main.outputs.id ?? ''
    const before = env.standIn.requests.length
    const result = await deleteStep({ 'interface-id': id })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({ deleted: 'true', id, 'deleted-ip-addresses': '[]' })
    const routes = routesAfter(env.standIn, before)
    expect(routes.indexOf(DETACH_ROUTE)).toBeLessThan(routes.indexOf(DELETE_INTERFACE_ROUTE))
    expect(env.standIn.interfaces.some((nic) => nic.id === id)).toBe(false)
    expect(env.standIn.ipAddresses.some((ip) => ip.address === main.outputs['ipv4-address'])).toBe(true)
    expect(result.summary).toBe(`Deleted interface ${id}\n`)
  })

  it('finds the interface by VM and network permalink, and with delete-ips releases its addresses', async () => {
    const main = await step('main', baseInputs(env.apiUrl, { 'allocate-ips': 'ipv4, ipv6' }))
    const addresses = JSON.parse(main.outputs['ip-addresses'] ?? '') as string[]
    const result = await deleteStep({
      'virtual-machine-fqdn': 'web-1.example.com',
      'virtual-network-id': IDS.virtualNetwork,
      'delete-ips': 'true',
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({
      deleted: 'true',
      id: main.outputs.id,
      'deleted-ip-addresses': JSON.stringify(addresses),
    })
    expect(env.standIn.requestsTo(DELETE_IP_ROUTE)).toHaveLength(2)
    expect(env.standIn.ipAddresses.filter((ip) => addresses.includes(ip.address))).toEqual([])
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })

  it('with delete-ips, keeps the organisation’s address that ip-address names: unallocated, never deleted', async () => {
    const eth0Before = JSON.stringify(env.standIn.interfacesOf('web-1.example.com'))
    const ownAddressBefore = JSON.stringify(env.standIn.ipAddresses)
    const main = await step(
      'main',
      baseInputs(env.apiUrl, {
        ...ON_PUBLIC_NETWORK,
        'ip-address': RESERVED_ADDRESSES.ipv4,
        'allocate-ips': 'ipv6',
        attach: 'true',
      }),
    )
    expect(main.exitCode).toBe(0)
    const allocated = main.outputs['ipv6-address'] ?? ''
    const result = await deleteStep({
      'interface-id': main.outputs.id ?? '',
      'delete-ips': 'true',
      'ip-address': RESERVED_ADDRESSES.ipv4,
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({
      deleted: 'true',
      id: main.outputs.id,
      'deleted-ip-addresses': JSON.stringify([allocated]),
    })
    expect(result.stdout).toContain(
      `IP address ${RESERVED_ADDRESSES.ipv4} (${IDS.reservedIpv4}) unallocated: the organisation keeps it (ip-address)`,
    )
    expect(env.standIn.requestsTo(DELETE_IP_ROUTE).map((request) => request.body)).toEqual([
      { ip_address: { id: expect.stringMatching(/^ip_/) } },
    ])
    // The reserved address is the organisation's again, allocated to nothing; the new one is gone.
    expect(env.standIn.ipAddresses.find((ip) => ip.id === IDS.reservedIpv4)?.interfaceId).toBeNull()
    expect(env.standIn.ipAddresses.some((ip) => ip.address === allocated)).toBe(false)
    // The VM's own interface and address are as they were built.
    expect(JSON.stringify(env.standIn.interfacesOf('web-1.example.com'))).toBe(eth0Before)
    expect(JSON.stringify(env.standIn.ipAddresses)).toBe(ownAddressBefore)
  })

  it.each([
    ['network-permalink', { 'network-permalink': 'uk-lon-01-public' }],
    ['network-id', { 'network-id': IDS.publicNetwork }],
  ])('refuses to delete by VM and %s before any request: the VM’s own interface is there', async (input, network) => {
    const result = await deleteStep({ 'virtual-machine-fqdn': 'web-1.example.com', 'delete-ips': 'true', ...network })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(
      `${input}: a VM has its own interface on a network from the day it was built, which this action cannot tell ` +
        'from one a run added, so it deletes by VM only on a virtual network (virtual-network-id); to delete an ' +
        'interface on a network, give interface-id alone (the id output of the step that created it)',
    )
    expect(env.standIn.requests).toEqual([])
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })

  it.each([
    [
      'an id that is gone',
      { 'interface-id': 'vmnet_gone00000000000' },
      'Nothing to delete: there is no interface vmnet_gone00000000000',
    ],
    [
      'a VM with no interface on the network',
      { 'virtual-machine-fqdn': 'web-1.example.com', 'virtual-network-id': IDS.virtualNetwork },
      `Nothing to delete: there is no interface on virtual network "${IDS.virtualNetwork}" on VM "web-1.example.com"`,
    ],
  ])('succeeds with deleted=false and one line for %s', async (_name, inputs, line) => {
    const result = await deleteStep(inputs)
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({ deleted: 'false', id: '', 'deleted-ip-addresses': '[]' })
    expect(result.stdout.split('\n').filter((text) => text && !text.startsWith('::'))).toEqual([line])
    expect(env.standIn.requestsTo(DELETE_INTERFACE_ROUTE)).toEqual([])
  })

  it('fails naming every id when two interfaces are on the network, and deletes nothing', async () => {
    const first = env.standIn.addInterfaceElsewhere('web-1.example.com', { virtualNetworkId: IDS.virtualNetwork })
    const second = env.standIn.addInterfaceElsewhere('web-1.example.com', { virtualNetworkId: IDS.virtualNetwork })
    const result = await deleteStep({
      'virtual-machine-fqdn': 'web-1.example.com',
      'virtual-network-id': IDS.virtualNetwork,
    })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toBe(
      `The VM has 2 interfaces on that network (${first.id}, ${second.id}), so this action cannot tell which to delete and deleted none; give interface-id instead.`,
    )
    expect(result.outputs).toEqual({})
    expect(env.standIn.requests.filter((request) => request.method !== 'GET')).toEqual([])
  })

  it.each<[string, Record<string, string>, string]>([
    ['neither an id nor a VM', {}, 'set interface-id, or a virtual machine'],
    [
      'an id with a VM',
      { 'interface-id': 'vmnet_abc', 'virtual-machine-fqdn': 'web-1.example.com' },
      'interface-id: give it alone, or drop it and find the interface by VM and network (virtual-machine-fqdn also set)',
    ],
    [
      'an id with a network',
      { 'interface-id': 'vmnet_abc', 'network-permalink': 'uk-lon-01-public' },
      '(network-permalink also set)',
    ],
    [
      'an id of another kind',
      { 'interface-id': 'vm_abc' },
      'interface-id: "vm_abc" is a virtual machine id, not a network interface id (vmnet_…)',
    ],
    ['an interface name', { 'interface-id': 'eth1' }, 'interface-id: "eth1" is not a network interface id (vmnet_…)'],
    [
      'a VM without a network',
      { 'virtual-machine-fqdn': 'web-1.example.com' },
      'set exactly one of network-id, network-permalink, virtual-network-id (none is set)',
    ],
    [
      'a network without a VM',
      { 'network-permalink': 'uk-lon-01-public' },
      'set exactly one of virtual-machine-id, virtual-machine-fqdn (none is set)',
    ],
    ['a bad delete-ips', { 'interface-id': 'vmnet_abc', 'delete-ips': 'yes' }, 'delete-ips: "yes" is not a boolean'],
    [
      'a bad max-attempts',
      { 'interface-id': 'vmnet_abc', 'max-attempts': '0' },
      'max-attempts: "0" is not a whole number',
    ],
  ])('refuses %s before any request', async (_name, inputs, message) => {
    const result = await deleteStep(inputs)
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toMatch(/^Invalid inputs:\n/)
    expect(errorsOf(result)).toContain(message)
    expect(env.standIn.requests).toEqual([])
  })

  it("fails with Katapult's error when it cannot delete, and says so", async () => {
    const main = await provisioned()
    const result = await deleteStep({ 'interface-id': main.outputs.id ?? '', 'api-token': TOKENS.readOnly })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('answered 403 scope_not_granted')
    expect(env.standIn.interfaces.some((nic) => nic.id === main.outputs.id)).toBe(true)
  })
})

describe('the organisation’s reserved addresses (ip-address)', () => {
  it('allocates them to the interface before attaching, outputs them, and cleanup only unallocates them', async () => {
    const inputs = baseInputs(env.apiUrl, {
      ...ON_PUBLIC_NETWORK,
      'ip-address': `${RESERVED_ADDRESSES.ipv4}\n${IDS.reservedIpv6}`,
      attach: 'true',
      cleanup: 'true',
    })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    expect(main.outputs['ipv4-address']).toBe(RESERVED_ADDRESSES.ipv4)
    expect(main.outputs['ipv6-address']).toBe(RESERVED_ADDRESSES.ipv6)
    expect(env.standIn.requestsTo(ALLOCATE_IP_ROUTE).map((request) => request.body)).toEqual([
      { virtual_machine_network_interface: { id: main.outputs.id }, ip_address: { address: RESERVED_ADDRESSES.ipv4 } },
      { virtual_machine_network_interface: { id: main.outputs.id }, ip_address: { id: IDS.reservedIpv6 } },
    ])
    const routes = routesAfter(env.standIn, 0)
    expect(routes.lastIndexOf(ALLOCATE_IP_ROUTE)).toBeLessThan(routes.indexOf(ATTACH_ROUTE))
    expect(JSON.parse(main.state['reserved-ip-ids'] ?? '')).toEqual([IDS.reservedIpv4, IDS.reservedIpv6])

    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(env.standIn.requestsTo(UNALLOCATE_ROUTE)).toHaveLength(2)
    expect(env.standIn.requestsTo(DELETE_IP_ROUTE)).toEqual([])
    const reserved = env.standIn.ipAddresses.filter((ip) => ip.id === IDS.reservedIpv4 || ip.id === IDS.reservedIpv6)
    expect(reserved.map((ip) => ip.interfaceId)).toEqual([null, null])
    expect(post.stdout).toContain(`IP address ${IDS.reservedIpv4} unallocated (kept)`)
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })

  it('skips an address already on the interface, and cleanup of a reused interface leaves it alone', async () => {
    const earlier = earlierInterface(env.standIn, { addresses: ['ipv6'] })
    const address = env.standIn.ipAddresses.find((ip) => ip.interfaceId === earlier.id)?.address ?? ''
    // The same address spelt the long way, in capitals: compared as an address, not as text.
    const [head = '', tail = ''] = address.split('::')
    const groups = [...head.split(':'), ...tail.split(':')].filter(Boolean)
    const zeros = Array.from({ length: 8 - groups.length }, () => '0000')
    const spelt = [...head.split(':'), ...zeros, ...tail.split(':')].map((group) => group.padStart(4, '0')).join(':')
    expect(spelt).toMatch(/^([0-9a-f]{4}:){7}[0-9a-f]{4}$/)
    const inputs = baseInputs(env.apiUrl, {
      'reuse-existing': 'true',
      'ip-address': spelt.toUpperCase(),
      cleanup: 'true',
    })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    expect(env.standIn.requestsTo(ALLOCATE_IP_ROUTE)).toEqual([])
    expect(main.stdout).toContain(`already has the address ${address}`)
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect(post.stdout).toContain('Cleanup: this run created nothing')
    expect(routesAfter(env.standIn, before)).toEqual([])
  })

  it("fails with Katapult's code and the address when it is unknown, and cleanup still removes the created interface", async () => {
    const inputs = baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'ip-address': '198.51.100.7', cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toContain(
      'ip-address 198.51.100.7: Katapult API error: POST /core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_ip answered 404 ip_address_not_found',
    )
    expect(main.outputs).toEqual({})
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
    expect(env.standIn.requestsTo(UNALLOCATE_ROUTE)).toEqual([])
  })

  it("fails with Katapult's code when the address is not valid for the interface's network", async () => {
    const main = await step('main', baseInputs(env.apiUrl, { 'ip-address': RESERVED_ADDRESSES.ipv4 }))
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toContain(`ip-address ${RESERVED_ADDRESSES.ipv4}: Katapult API error:`)
    expect(errorsOf(main)).toContain('answered 422 invalid_ip')
  })

  it.each([
    [
      'a duplicate',
      `${RESERVED_ADDRESSES.ipv4}, ${RESERVED_ADDRESSES.ipv4}`,
      `ip-address: "${RESERVED_ADDRESSES.ipv4}" is listed twice`,
    ],
    [
      'a malformed value',
      '185.44.254',
      'ip-address: "185.44.254" is neither an IP address nor an IP address id (ip_…)',
    ],
  ])('refuses %s before any request', async (_name, value, message) => {
    const result = await step('main', baseInputs(env.apiUrl, { 'ip-address': value }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(message)
    expect(env.standIn.requests).toEqual([])
  })
})

describe('reuse-existing and the speed profile', () => {
  const reuse = { 'reuse-existing': 'true' }

  it('changes the reused interface to the requested profile, waits for the task, and outputs it as it is then', async () => {
    const earlier = earlierInterface(env.standIn)
    const result = await step('main', baseInputs(env.apiUrl, { ...reuse, 'speed-profile-permalink': '10gbps' }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(SPEED_ROUTE).map((request) => request.body)).toEqual([
      { virtual_machine_network_interface: { id: earlier.id }, speed_profile: { permalink: '10gbps' } },
    ])
    expect(earlier.speedProfileId).toBe(IDS.speed10g)
    expect(JSON.parse(result.outputs.interface ?? '')).toMatchObject({ speed_profile: { permalink: '10gbps' } })
    expect(result.stdout).toContain(`Changing the speed profile of interface ${earlier.id} to "10gbps"`)
    expect(env.standIn.requestsTo(GET_INTERFACE_ROUTE)).toHaveLength(2)
  })

  it('sends nothing when the reused interface has the profile already', async () => {
    earlierInterface(env.standIn)
    const result = await step(
      'main',
      baseInputs(env.apiUrl, { ...reuse, 'speed-profile-id': IDS.speed1g, 'speed-profile-permalink': '' }),
    )
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(SPEED_ROUTE)).toEqual([])
    expect(env.standIn.requestsTo(GET_INTERFACE_ROUTE)).toHaveLength(1)
  })

  it('never changes the speed profile of an interface this run created, whatever its answer shows', async () => {
    // An answer whose speed profile has no permalink cannot show that it is the one asked for.
    const withoutPermalink = (answer: Record<string, unknown>): unknown => {
      const nic = answer.virtual_machine_network_interface as { speed_profile: Record<string, unknown> }
      delete nic.speed_profile.permalink
      return answer
    }
    env.standIn.inject(CREATE_ROUTE, { kind: 'rewrite', change: withoutPermalink })
    const result = await step('main', baseInputs(env.apiUrl, { attach: 'true' }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(SPEED_ROUTE)).toEqual([])
  })
})
