// A definite answer ends the doubt: after a request Katapult refused, the post step sends nothing
// and takes nothing for this run's.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import {
  ALLOCATE_ROUTE,
  GET_INTERFACE_ROUTE,
  baseInputs,
  CREATE_ROUTE,
  DELETE_IP_ROUTE,
  ON_PUBLIC_NETWORK,
  onVirtualNetwork,
  rateLimited,
  routesAfter,
  UNAVAILABLE,
  useStandIn,
  SPEED_PROFILE_NOT_FOUND,
  LIST_ROUTE,
} from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const env = useStandIn({ virtualMachines: 2 })

const NO_ADDRESSES = {
  kind: 'error' as const,
  status: 503,
  code: 'no_available_addresses',
  description: 'There are no available addresses on this network',
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

describe('a lost create whose VM name now belongs to another VM', () => {
  /** web-1 rebuilt: its FQDN now names what was web-2, with web-2's own interface and address. */
  function rebuildWeb1(): string[] {
    const [web1, web2] = env.standIn.virtualMachines
    if (!web1 || !web2) throw new Error('the stand-in has fewer than two VMs')
    web1.fqdn = 'old-web-1.example.com'
    web2.fqdn = 'web-1.example.com'
    return env.standIn.interfacesOf('web-1.example.com').map((nic) => nic.id)
  }

  it('takes none of the new VM’s interfaces: the post step says why and removes nothing', async () => {
    const inputs = baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'max-attempts': '1', cleanup: 'true' })
    env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'before' })
    env.standIn.inject(LIST_ROUTE, { kind: 'pass' }, UNAVAILABLE)
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(main.state['pending-create']).not.toBe('')
    const theirs = rebuildWeb1()
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).toContain(
      'VM "web-1.example.com" has none of the interfaces it had when the request was sent (its own included): the name now belongs to another VM',
    )
    expect(routesAfter(env.standIn, before).filter((route) => !route.startsWith('GET'))).toEqual([])
    expect(env.standIn.interfacesOf('web-1.example.com').map((nic) => nic.id)).toEqual(theirs)
  })

  it('adopts none of them in the main step either', async () => {
    env.standIn.inject(CREATE_ROUTE, {
      kind: 'reset',
      when: 'before',
      meanwhile: () => {
        rebuildWeb1()
      },
    })
    const result = await step('main', baseInputs(env.apiUrl, ON_PUBLIC_NETWORK))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(
      'the name now belongs to another VM, and this run cannot tell what the request made, so none was adopted.',
    )
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
  })
})

describe('a check that failed keeps the doubt', () => {
  /** A refusal of the check itself, which says nothing of the allocation it checks. */
  const CHECK_REFUSED = {
    kind: 'error' as const,
    status: 403,
    code: 'scope_not_granted',
    description: 'Scope not granted',
  }

  it('an allocation that got no answer, whose check was refused: the main step says so and the post step looks again', async () => {
    env.standIn.inject(ALLOCATE_ROUTE, { kind: 'reset', when: 'after' })
    // The first read of the interface is the main step's check; the post step's reads pass.
    env.standIn.inject(GET_INTERFACE_ROUTE, CHECK_REFUSED)
    const inputs = baseInputs(env.apiUrl, { 'allocate-ips': 'ipv4', cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toContain(
      'POST /core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_new_ip got no answer',
    )
    expect(errorsOf(main)).toContain('and checking whether it took effect failed: Katapult API error:')
    expect(errorsOf(main)).toContain('An address allocation got no answer, so an address may be on interface')
    expect(main.state['pending-allocation']).not.toBe('')
    const [added] = onVirtualNetwork(env.standIn)
    const post = await step('post', inputs, { state: main.state })
    expect(post.stdout).toMatch(/The allocation that got no answer did allocate 185\.199\.\d+\.\d+ \(ip_\w+\)/)
    expect(post.stdout).toMatch(new RegExp(`Cleanup: IP address ip_\\w+ removed; interface ${added ?? ''} removed`))
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })

  it('a lost allocation the post step cannot look for: it warns, and still removes the interface it knows', async () => {
    env.standIn.inject(ALLOCATE_ROUTE, { kind: 'reset', when: 'after' })
    env.standIn.inject(GET_INTERFACE_ROUTE, CHECK_REFUSED, CHECK_REFUSED)
    const inputs = baseInputs(env.apiUrl, { 'allocate-ips': 'ipv4', cleanup: 'true' })
    const main = await step('main', inputs)
    const [added] = onVirtualNetwork(env.standIn)
    const post = await step('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).toContain(
      'An allocation of this run got no answer, and looking for what it made failed, so that is left behind.',
    )
    expect(warningsOf(post)).not.toContain('Cleanup could not finish')
    expect(post.stdout).toContain(`Cleanup: interface ${added ?? ''} removed`)
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})
