// Answers without what the action reads, listings that would page on for ever, and listings that
// do not count their pages.
import { describe, expect, it } from '@jest/globals'
import { IDS } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import {
  ALLOCATE_ROUTE,
  ATTACH_ROUTE,
  baseInputs,
  CREATE_ROUTE,
  earlierInterface,
  GET_INTERFACE_ROUTE,
  LIST_ROUTE,
  onVirtualNetwork,
  useStandIn,
} from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('malformed answers', () => {
  it.each([
    ['{}', {}],
    ['an interface with a numeric id', { virtual_machine_network_interface: { id: 42, name: 'x' } }],
    [
      'an interface with ip_addresses: null',
      { virtual_machine_network_interface: { id: 'vmnet_x', ip_addresses: null } },
    ],
  ])('a create answered 200 with %s is resolved by listing, and the interface adopted', async (_name, body) => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'respond', status: 200, body, when: 'after' })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
    expect(result.stdout).toContain('200 answer without the expected fields; checking whether the request took effect')
  })

  /** JSON nested `levels` deep: valid, and about 10 KB at 5000 levels. */
  const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`

  it('a create answered 200 with JSON nested 5000 deep is a malformed answer, resolved by listing', async () => {
    env.standIn.inject(CREATE_ROUTE, {
      kind: 'respond',
      status: 200,
      body: `{"virtual_machine_network_interface":{"id":"vmnet_x","deep":${nested(5000)}}}`,
      when: 'after',
    })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
    expect(result.stdout).toContain('200 answer without the expected fields; checking whether the request took effect')
  })

  it('a 422 whose detail nests 5000 deep keeps its status, code, description and what this run left', async () => {
    env.standIn.inject(ALLOCATE_ROUTE, {
      kind: 'respond',
      status: 422,
      body: `{"error":{"code":"validation_error","description":"Address family not available","detail":{"errors":["no ipv6 here"],"trace":${nested(5000)}}}}`,
    })
    const result = await step('main', baseInputs(env.apiUrl, { 'allocate-ips': 'ipv6', cleanup: 'true' }))
    expect(result.exitCode).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toContain('answered 422 validation_error: "Address family not available"')
    expect(errors).toContain(`Interface ${onVirtualNetwork(env.standIn)[0] ?? ''} was created by this run and exists`)
    expect(errors).not.toContain('Maximum call stack')
  })

  /** The interface an earlier run left on the virtual network, as GET would answer it, changed. */
  const earlierAnswer = (change: Record<string, unknown>): object => {
    const earlier = earlierInterface(env.standIn)
    return {
      virtual_machine_network_interface: {
        id: earlier.id,
        name: earlier.name,
        network: null,
        virtual_network: { id: IDS.virtualNetwork, name: 'backend' },
        mac_address: earlier.macAddress,
        state: 'attached',
        ip_addresses: [],
        ...change,
      },
    }
  }

  const reuse = { 'reuse-existing': 'true' }

  it.each<[string, () => [string, object], string]>([
    [
      'a listing whose list is null',
      () => [LIST_ROUTE, { pagination: { total_pages: 1 }, virtual_machine_network_interfaces: null }],
      'GET /core/v1/virtual_machines/virtual_machine/network_interfaces: Katapult answered 200 without a list at virtual_machine_network_interfaces',
    ],
    [
      'an interface whose ip_addresses are null',
      () => [GET_INTERFACE_ROUTE, earlierAnswer({ ip_addresses: null })],
      'GET /core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface: Katapult answered 200 without a list at virtual_machine_network_interface.ip_addresses',
    ],
    [
      'an interface with a numeric id',
      () => [GET_INTERFACE_ROUTE, earlierAnswer({ id: 42 })],
      'Katapult answered 200 without a Katapult id at virtual_machine_network_interface.id',
    ],
    [
      'an interface without its object',
      () => {
        earlierInterface(env.standIn)
        return [GET_INTERFACE_ROUTE, { interface: {} }]
      },
      'Katapult answered 200 without a virtual_machine_network_interface object',
    ],
    [
      'an address that is not an IP address',
      () => [GET_INTERFACE_ROUTE, earlierAnswer({ ip_addresses: [{ id: 'ip_1', address: 'localhost' }] })],
      'Katapult answered 200 without an IP address at virtual_machine_network_interface.ip_addresses[0].address',
    ],
  ])('%s fails the step with one clear line and no outputs', async (_name, answer, message) => {
    const [route, body] = answer()
    env.standIn.inject(route, { kind: 'respond', status: 200, body })
    const result = await step('main', baseInputs(env.apiUrl, reuse))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(message)
    expect(errorsOf(result).split('\n')).toHaveLength(1)
    expect(result.outputs).toEqual({})
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Cannot read|is not iterable|is not a function|TypeError/)
  })

  it('an attach answered 200 without a task fails clearly, and the post step still removes the interface', async () => {
    const inputs = baseInputs(env.apiUrl, { attach: 'true', cleanup: 'true' })
    env.standIn.inject(ATTACH_ROUTE, { kind: 'respond', status: 200, body: {} })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toBe(
      'POST /core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface/attach: Katapult answered 200 without a task object\n' +
        `  Interface ${main.state['interface-id'] ?? ''} was created by this run and exists: the post step removes it at the end of the job (cleanup: true).`,
    )
    expect(main.outputs).toEqual({})
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})

describe('pagination that does not say where it ends', () => {
  const page = (id: string) => ({
    kind: 'respond' as const,
    status: 200,
    body: {
      pagination: { current_page: 1, total_pages: 1_000_000, total: 1_000_000, per_page: 1, large_set: false },
      virtual_machine_network_interfaces: [{ id, name: id, network: null, virtual_network: null }],
    },
  })

  it('stops at the first empty page, whatever total_pages says', async () => {
    const empty = {
      ...page('vmnet_unused'),
      body: { ...page('vmnet_unused').body, virtual_machine_network_interfaces: [] },
    }
    env.standIn.inject(LIST_ROUTE, page('vmnet_first'), empty)
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(LIST_ROUTE)).toHaveLength(2)
  })

  it('stops after 25 full pages with a clear error', async () => {
    env.standIn.inject(LIST_ROUTE, ...Array.from({ length: 30 }, (_, n) => page(`vmnet_page${n}`)))
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(env.standIn.requestsTo(LIST_ROUTE)).toHaveLength(25)
    expect(errorsOf(result)).toContain("the listing of the VM's interfaces ran past 25 pages of 200")
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toEqual([])
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
