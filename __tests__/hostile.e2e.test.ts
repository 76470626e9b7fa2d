// The bundled action against a hostile world: jobs cancelled mid-request, 5xx answers after the
// create took effect, malformed answers, API text that tries to be a workflow command, runaway
// pagination, and a post-step state that is not what the main step wrote. Every run also passes
// the checks of `step()`: no token, no stack trace, no line the runner would obey.
import { describe, expect, it } from '@jest/globals'
import { IDS } from '../stand-in/katapult-stand-in.ts'
import {
  ALLOCATE_ROUTE,
  ATTACH_ROUTE,
  CREATE_ROUTE,
  DELETE_INTERFACE_ROUTE,
  DELETE_IP_ROUTE,
  GET_INTERFACE_ROUTE,
  LIST_ROUTE,
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
const created = (): string[] => onVirtualNetwork(env.standIn)

// Real time, a few tens of milliseconds each: the runner's cancellation is a signal to a live
// process, sent once the stand-in has seen the request.
describe('a job cancelled while a request is in flight', () => {
  it('after Katapult created the interface: the post step finds it and removes it', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const main = await step('main', inputs, { cancelWhen: () => created().length === 1 })
    expect(main.exitCode).not.toBe(0)
    expect(main.outputs).toEqual({})
    expect(main.state['interface-id']).toBeUndefined()
    expect(JSON.parse(main.state['pending-create'] ?? '')).toMatchObject({ before: [expect.stringMatching(/^vmnet_/)] })

    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).toBe('')
    const [id] = created()
    expect(id).toBeUndefined()
    expect(post.stdout).toContain('The create request that got no answer did create interface')
    expect(post.stdout).toMatch(/Cleanup: interface vmnet_\w+ removed/)
  })

  it('without cleanup: the post step names the interface in a warning, so the user knows it exists', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const main = await step('main', baseInputs(env.apiUrl), { cancelWhen: () => created().length === 1 })
    const post = await step('post', baseInputs(env.apiUrl), { state: main.state })
    expect(post.exitCode).toBe(0)
    const [id] = created()
    expect(warningsOf(post)).toBe(
      `Cleanup is off, and a request of this run that got no answer did take effect: interface ${id ?? ''} exists.`,
    )
    expect(env.standIn.requestsTo(DELETE_INTERFACE_ROUTE)).toEqual([])
  })

  it('before Katapult created anything: the post step says so and removes nothing', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'before' })
    const main = await step('main', inputs, { cancelWhen: () => env.standIn.requestsTo(CREATE_ROUTE).length === 1 })
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toContain('The create request that got no answer created nothing')
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })

  it('during an address allocation that took effect: the post step releases the address too', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true', 'allocate-ips': 'ipv4' })
    env.standIn.inject(ALLOCATE_ROUTE, { kind: 'hang', when: 'after' })
    const addressesBefore = env.standIn.ipAddresses.length
    const main = await step('main', inputs, { cancelWhen: () => env.standIn.ipAddresses.length > addressesBefore })
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toMatch(/The allocation that got no answer did allocate 185\.199\.\d+\.\d+ \(ip_\w+\)/)
    expect(env.standIn.ipAddresses).toHaveLength(addressesBefore)
    expect(created()).toEqual([])
  })
})

describe('a 5xx answer to the create, which may have acted', () => {
  it.each([
    ['a Katapult 500', { kind: 'error', status: 500, code: 'internal_error', description: 'Something went wrong' }],
    ['an HTML 500 page', { kind: 'respond', status: 500, body: '<html><h1>Internal Server Error</h1></html>' }],
  ] as const)('%s after creating: the interface is adopted, not leaked', async (_name, answer) => {
    env.standIn.inject(CREATE_ROUTE, { ...answer, when: 'after' })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(created()).toEqual([result.outputs.id])
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(result.stdout).toContain('appeared on the VM: the lost request did create it, so it is adopted')
  })
})

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
    expect(created()).toEqual([result.outputs.id])
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
    expect(created()).toEqual([result.outputs.id])
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
    expect(errors).toContain(`Interface ${created()[0] ?? ''} was created by this run and exists`)
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
    expect(created()).toEqual([])
  })
})

describe('API text that tries to be a workflow command', () => {
  const HOSTILE_NAME =
    '<b>eth1</b>\n::add-mask::vmnet\n::stop-commands::end ##[save-state name=allocated-ip-ids]["ip_x"]'

  it('is printed inert in the log and escaped in the summary, and set as the output it is', async () => {
    earlierInterface(env.standIn).name = HOSTILE_NAME
    const inputs = baseInputs(env.apiUrl, { 'reuse-existing': 'true', cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    expect(main.outputs.name).toBe(HOSTILE_NAME)
    expect(main.state['allocated-ip-ids']).toBeUndefined()
    expect(main.summary).toContain('<td>&#60;b&#62;eth1&#60;/b&#62;\n::add-mask::vmnet')
    expect(main.stdout).toContain(
      `"<b>eth1</b>\\n:\\u003aadd-mask:\\u003avmnet\\n:\\u003astop-commands:\\u003aend #\\u0023[save-state name=allocated-ip-ids][\\"ip_x\\"]" reused`,
    )
    const post = await step('post', inputs, { state: main.state })
    expect(routesAfter(env.standIn, 0).filter((route) => route.startsWith('DELETE'))).toEqual([])
    expect(post.exitCode).toBe(0)
  })

  it('in an error description and its validation errors is printed inert', async () => {
    env.standIn.inject(CREATE_ROUTE, {
      kind: 'error',
      status: 422,
      code: 'validation_error',
      description: 'Invalid\n::add-mask::everything',
      detail: { errors: ['##[save-state name=interface-id]vmnet_other', 'line\r\n::warning::fake'] },
    })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('answered 422 validation_error: "Invalid\\n:\\u003aadd-mask:\\u003aeverything"')
    expect(result.state['interface-id']).toBeUndefined()
  })

  it('in an id is refused as a malformed answer', async () => {
    env.standIn.inject(LIST_ROUTE, {
      kind: 'respond',
      status: 200,
      body: {
        pagination: { total_pages: 1 },
        virtual_machine_network_interfaces: [
          { id: 'vmnet_x\n::add-mask::y', name: 'x', network: null, virtual_network: null },
        ],
      },
    })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('without a Katapult id at virtual_machine_network_interfaces[0].id')
  })
})

describe('runaway pagination', () => {
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
})

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
      expect(created()).toEqual([])
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
    const main = await step('main', inputs)
    const post = await step('post', inputs, { state: main.state })
    expect([main.exitCode, post.exitCode, warningsOf(post)]).toEqual([1, 0, ''])
    expect(post.stdout).toContain('Cleanup: this run created nothing, so there is nothing to remove')
    expect(env.standIn.requests).toEqual([])
  })
})
