// Ready-to-use interfaces for ephemeral environments: allocate addresses, attach, and remove
// what the run created in the post step.
import { describe, expect, it } from '@jest/globals'
import {
  ALLOCATE_ROUTE,
  ATTACH_ROUTE,
  DELETE_INTERFACE_ROUTE,
  DELETE_IP_ROUTE,
  DETACH_ROUTE,
  TASK_ROUTE,
  UNAVAILABLE,
  baseInputs,
  earlierInterface,
  errorsOf,
  routesAfter,
  step,
  useStandIn,
  warningsOf,
} from './support.ts'

const env = useStandIn()
const REUSE = { 'reuse-existing': 'true' }
const requestsAfter = (count: number): string[] => routesAfter(env.standIn, count)
const namesOnWeb1 = (): string[] => env.standIn.interfacesOf('web-1.example.com').map((nic) => nic.name)

describe('attach', () => {
  it('attaches the interface, waits for the task, and outputs the attached interface', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { attach: 'true' }))
    expect(result.exitCode).toBe(0)
    expect(result.outputs.state).toBe('attached')
    expect(JSON.parse(result.outputs.interface ?? '')).toMatchObject({ state: 'attached' })
    expect(env.standIn.requestsTo(ATTACH_ROUTE)[0]?.body).toEqual({
      virtual_machine_network_interface: { id: result.outputs.id },
    })
    expect(env.standIn.requestsTo(TASK_ROUTE).length).toBeGreaterThanOrEqual(1)
    expect(env.standIn.interfaces.find((nic) => nic.id === result.outputs.id)?.state).toBe('attached')
  })

  it('does not resend an attach whose answer was lost, since it may have acted', async () => {
    env.standIn.inject(ATTACH_ROUTE, { kind: 'reset', when: 'after' })
    const result = await step('main', baseInputs(env.apiUrl, { attach: 'true' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(`${ATTACH_ROUTE} got no complete answer`)
    expect(env.standIn.requestsTo(ATTACH_ROUTE)).toHaveLength(1)
  })

  it('does not attach an interface that is attached already', async () => {
    earlierInterface(env.standIn)
    const result = await step('main', baseInputs(env.apiUrl, { ...REUSE, attach: 'true' }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(ATTACH_ROUTE)).toEqual([])
  })

  it('takes "already attached" for the state asked for, not a failure', async () => {
    // The interface got attached between this run's listing and its attach (another step, a person).
    earlierInterface(env.standIn, { state: 'detached' })
    env.standIn.inject(ATTACH_ROUTE, {
      kind: 'error',
      status: 422,
      code: 'virtual_machine_network_interface_already_attached',
      description: 'The virtual machine network interface is already attached',
    })
    const result = await step('main', baseInputs(env.apiUrl, { ...REUSE, attach: 'true' }))
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('is attached already')
    expect(env.standIn.requestsTo(ATTACH_ROUTE)).toHaveLength(1)
    expect(env.standIn.requestsTo(TASK_ROUTE)).toEqual([])
  })
})

describe('a failed attach task', () => {
  const failing = useStandIn({ taskOutcome: 'failed' })

  it('fails the step with the task id and status, and the post step still removes the interface', async () => {
    const inputs = baseInputs(failing.apiUrl, { attach: 'true', cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    const [task] = failing.standIn.tasks
    const id = main.state['interface-id'] ?? ''
    expect(errorsOf(main)).toBe(
      `Attaching interface ${id}: task ${task?.id ?? ''} failed (status failed)\n` +
        `  Interface ${id} was created by this run and exists: the post step removes it at the end of the job (cleanup: true).`,
    )
    expect(main.outputs).toEqual({})
    expect(main.state).toMatchObject({ 'interface-id': expect.stringMatching(/^vmnet_/), created: 'true' })

    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(failing.standIn.interfacesOf('web-1.example.com').map((nic) => nic.name)).toEqual([
      'Public Network on web-1',
    ])
    expect(post.stdout).toContain(`interface ${main.state['interface-id'] ?? ''} removed`)
  })
})

describe('allocate-ips', () => {
  it.each([
    ['ipv4', ['ipv4'], /^185\.199\.\d+\.\d+$/, ''],
    ['ipv6', ['ipv6'], '', /^2a03:2800:500::[0-9a-f]+$/],
    ['ipv4, ipv6', ['ipv4', 'ipv6'], /^185\.199\./, /^2a03:2800:/],
  ])('allocates %s', async (families, versions, ipv4, ipv6) => {
    const result = await step('main', baseInputs(env.apiUrl, { 'allocate-ips': families }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(ALLOCATE_ROUTE).map((request) => request.body)).toEqual(
      versions.map((version) => ({
        virtual_machine_network_interface: { id: result.outputs.id },
        address_version: version,
      })),
    )
    expect(result.outputs['ipv4-address']).toMatch(ipv4)
    expect(result.outputs['ipv6-address']).toMatch(ipv6)
    const addresses = JSON.parse(result.outputs['ip-addresses'] ?? '') as string[]
    expect(addresses).toHaveLength(versions.length)
    expect(result.summary).toContain(addresses.join(', '))
  })

  it('allocates nothing of a family the interface already has', async () => {
    earlierInterface(env.standIn, { addresses: ['ipv4'] })
    const result = await step('main', baseInputs(env.apiUrl, { ...REUSE, 'allocate-ips': 'ipv4' }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(ALLOCATE_ROUTE)).toEqual([])
    expect(result.stdout).toContain('already has an ipv4 address')
  })
})

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
    expect(post.summary).toBe(
      `Cleanup: IP address ${allocated[0] ?? ''} removed; IP address ${allocated[1] ?? ''} removed; interface ${id} removed\n`,
    )
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
