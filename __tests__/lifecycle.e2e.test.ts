// The whole environment lifecycle, bundled actions run as the runner runs them: the delete action
// for teardown workflows, the organisation's reserved addresses, and reuse-existing converging the
// speed profile.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES, TOKENS } from '../stand-in/katapult-stand-in.ts'
import type { StepResult } from '../stand-in/runner.ts'
import {
  ATTACH_ROUTE,
  DELETE_INTERFACE_ROUTE,
  DELETE_IP_ROUTE,
  DETACH_ROUTE,
  GET_INTERFACE_ROUTE,
  INTERFACE_ROUTE,
  NETWORK_ROUTE,
  ON_PUBLIC_NETWORK,
  baseInputs,
  errorsOf,
  onVirtualNetwork,
  routesAfter,
  step,
  useStandIn,
  warningsOf,
} from './support.ts'

const env = useStandIn()
const ALLOCATE_IP_ROUTE = `POST ${INTERFACE_ROUTE}/allocate_ip`
const UNALLOCATE_ROUTE = 'POST /core/v1/ip_addresses/ip_address/unallocate'
const SPEED_ROUTE = `PATCH ${INTERFACE_ROUTE}/update_speed_profile`

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

  it('resolves a network permalink to find the interface on it', async () => {
    const [eth0] = env.standIn.interfacesOf('web-1.example.com')
    const result = await deleteStep({
      'virtual-machine-fqdn': 'web-1.example.com',
      'network-permalink': 'uk-lon-01-public',
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.id).toBe(eth0?.id)
    expect(env.standIn.requestsTo(NETWORK_ROUTE)[0]?.query).toEqual({ 'network[permalink]': 'uk-lon-01-public' })
    expect(env.standIn.interfacesOf('web-1.example.com')).toEqual([])
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
      'an id that is not an interface id',
      { 'interface-id': 'vm_abc' },
      'interface-id: "vm_abc" is not a network interface id',
    ],
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
    const [eth0] = env.standIn.interfacesOf('web-1.example.com')
    const eth0Address = env.standIn.ipAddresses.find((ip) => ip.interfaceId === eth0?.id)?.address ?? ''
    const inputs = baseInputs(env.apiUrl, {
      ...ON_PUBLIC_NETWORK,
      'reuse-existing': 'true',
      'ip-address': eth0Address,
      cleanup: 'true',
    })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    expect(env.standIn.requestsTo(ALLOCATE_IP_ROUTE)).toEqual([])
    expect(main.stdout).toContain(`already has the address ${eth0Address}`)
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
  const reuseEth0 = { ...ON_PUBLIC_NETWORK, 'reuse-existing': 'true' }

  it('changes the reused interface to the requested profile, waits for the task, and outputs it as it is then', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { ...reuseEth0, 'speed-profile-permalink': '10gbps' }))
    expect(result.exitCode).toBe(0)
    const [eth0] = env.standIn.interfacesOf('web-1.example.com')
    expect(env.standIn.requestsTo(SPEED_ROUTE).map((request) => request.body)).toEqual([
      { virtual_machine_network_interface: { id: eth0?.id }, speed_profile: { permalink: '10gbps' } },
    ])
    expect(eth0?.speedProfileId).toBe(IDS.speed10g)
    expect(JSON.parse(result.outputs.interface ?? '')).toMatchObject({ speed_profile: { permalink: '10gbps' } })
    expect(result.stdout).toContain(`Changing the speed profile of interface ${eth0?.id ?? ''} to "10gbps"`)
    expect(env.standIn.requestsTo(GET_INTERFACE_ROUTE)).toHaveLength(2)
  })

  it('sends nothing when the reused interface has the profile already', async () => {
    const result = await step(
      'main',
      baseInputs(env.apiUrl, { ...reuseEth0, 'speed-profile-id': IDS.speed1g, 'speed-profile-permalink': '' }),
    )
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(SPEED_ROUTE)).toEqual([])
    expect(env.standIn.requestsTo(GET_INTERFACE_ROUTE)).toHaveLength(1)
  })
})
