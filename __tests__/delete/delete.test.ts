// The delete action: one interface, by id or by VM and virtual network; nothing there is success;
// the organisation's addresses that ip-address names are kept.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES, TOKENS } from '../../stand-in/katapult-stand-in.ts'
import type { StepResult } from '../../stand-in/run-bundle.ts'
import { deleteStep, step } from '../support/in-process-step.ts'
import {
  baseInputs,
  DELETE_INTERFACE_ROUTE,
  DELETE_IP_ROUTE,
  DETACH_ROUTE,
  earlierInterface,
  ON_PUBLIC_NETWORK,
  onVirtualNetwork,
  routesAfter,
  useStandIn,
  ALREADY_DETACHED,
} from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

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

  it('names its VM input when Katapult has no such VM', async () => {
    const result = await deleteStep({
      'virtual-machine-id': 'vm_gone0000000000',
      'virtual-network-id': IDS.virtualNetwork,
    })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toMatch(/^virtual-machine-id: Katapult has no virtual machine "vm_gone0000000000" \(GET /)
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

  it('names ten of thousands of interfaces on the network, and counts the rest', async () => {
    const ids = Array.from(
      { length: 3000 },
      () => env.standIn.addInterfaceElsewhere('web-1.example.com', { virtualNetworkId: IDS.virtualNetwork }).id,
    )
    const result = await deleteStep({
      'virtual-machine-fqdn': 'web-1.example.com',
      'virtual-network-id': IDS.virtualNetwork,
    })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toBe(
      `The VM has 3000 interfaces on that network (${ids.slice(0, 10).join(', ')} and 2990 more), so this action cannot tell which to delete and deleted none; give interface-id instead.`,
    )
  })

  it("fails with Katapult's error when it cannot delete, and says so", async () => {
    const main = await provisioned()
    const result = await deleteStep({ 'interface-id': main.outputs.id ?? '', 'api-token': TOKENS.readOnly })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('answered 403 scope_not_granted')
    expect(env.standIn.interfaces.some((nic) => nic.id === main.outputs.id)).toBe(true)
  })
})

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
})

describe('"already so" is the state asked for', () => {
  it.each([
    ['already_detached', ALREADY_DETACHED],
    ['not_attached', { ...ALREADY_DETACHED, code: 'virtual_machine_network_interface_not_attached' }],
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

  it('a detach whose answer was lost is sent again, and "already detached" then means done', async () => {
    const earlier = earlierInterface(env.standIn)
    env.standIn.inject(DETACH_ROUTE, { kind: 'reset', when: 'before' })
    const result = await deleteStep({ 'interface-id': earlier.id })
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(DETACH_ROUTE)).toHaveLength(2)
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})
