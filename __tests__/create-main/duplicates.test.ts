// Never a duplicate interface: a create that got no answer is resolved by listing the VM's
// interfaces before it is ever sent again.
import { describe, expect, it } from '@jest/globals'
import { IDS } from '../../stand-in/katapult-stand-in.ts'
import { mainThenPost, step } from '../support/in-process-step.ts'
import {
  baseInputs,
  CREATE_ROUTE,
  GET_INTERFACE_ROUTE,
  LIST_ROUTE,
  ON_PUBLIC_NETWORK,
  onVirtualNetwork,
  UNAVAILABLE,
  useStandIn,
} from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('ambiguous failures of the create request', () => {
  it('adopts the interface when the connection was reset after it was created', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'after' })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
    expect(result.outputs.created).toBe('true')
    expect(JSON.parse(result.outputs.interface ?? '')).toMatchObject({
      id: result.outputs.id,
      mac_address: result.outputs['mac-address'],
    })
    expect(result.stdout).toContain('checking whether the request took effect before sending it again')
    expect(result.stdout).toContain(
      `Interface ${result.outputs.id ?? ''} appeared on the VM: the lost request did create it, so it is adopted`,
    )
    expect(env.standIn.requestsTo(GET_INTERFACE_ROUTE)).toHaveLength(1)
  })

  it('sends the request once more when the connection was reset before anything was created', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'before' })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(2)
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
    expect(result.stdout).toContain('No new interface appeared on the VM: the lost request created nothing')
  })

  // Real time, 0.5 s: a hang is noticed only by the request's own timer, which is not driven.
  it('resolves a request that hung until request-timeout after creating the interface', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const result = await step('main', baseInputs(env.apiUrl, { 'request-timeout': '0.5' }))
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(
      'no complete answer within 0.5 s (request-timeout); checking whether the request took effect',
    )
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
  })

  it("adopts the interface behind a proxy's 502 page", async () => {
    const page =
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'
    env.standIn.inject(CREATE_ROUTE, { kind: 'respond', status: 502, body: page, when: 'after' })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain("502 answer that is not Katapult's JSON; checking whether the request took effect")
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
  })

  it("resends after a proxy's 502 page when nothing was created", async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'respond', status: 502, body: '<html>Bad Gateway</html>' })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(2)
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
  })

  it('fails, saying what may exist and how to find it, when the listing fails during resolution', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'after' })
    env.standIn.inject(LIST_ROUTE, { kind: 'pass' }, UNAVAILABLE, UNAVAILABLE)
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '2' }))
    expect(result.exitCode).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toContain("may have created the interface, and listing the VM's interfaces to find out failed too")
    expect(errors).toContain(
      'GET /core/v1/virtual_machines/virtual_machine/network_interfaces?virtual_machine[fqdn]=web-1.example.com',
    )
    expect(errors).toContain('re-running with reuse-existing: true adopts it')
    expect(errors).toContain('503 service_unavailable')
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(result.outputs).toEqual({})
  })

  it('on a network, where reuse-existing adopts nothing, says to delete by interface-id instead', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'after' })
    env.standIn.inject(LIST_ROUTE, { kind: 'pass' }, UNAVAILABLE, UNAVAILABLE)
    const result = await step('main', baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'max-attempts': '2' }))
    expect(result.exitCode).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toContain('delete any interface you do not expect with the delete action and its interface-id')
    expect(errors).not.toContain('reuse-existing: true')
  })

  it('on a network, names the created interface it could not fetch by the id to delete it with', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'after' })
    env.standIn.inject(GET_INTERFACE_ROUTE, UNAVAILABLE, UNAVAILABLE)
    const result = await step('main', baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'max-attempts': '2' }))
    expect(result.exitCode).toBe(1)
    const [, added] = env.standIn.interfacesOf('web-1.example.com')
    const id = added?.id ?? ''
    expect(errorsOf(result)).toContain(
      `Interface ${id} was created, but fetching it failed, so the step cannot output it.`,
    )
    expect(errorsOf(result)).toContain(
      `Interface ${id} was created by this run and exists: it stays (cleanup is off); remove it with the delete action and interface-id: ${id}.`,
    )
    expect(errorsOf(result)).not.toContain('reuse-existing: true')
  })

  it('saves the adopted interface it could not fetch as this run’s, so that cleanup removes it', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'after' })
    env.standIn.inject(GET_INTERFACE_ROUTE, UNAVAILABLE, UNAVAILABLE)
    const { main, post } = await mainThenPost(baseInputs(env.apiUrl, { 'max-attempts': '2', cleanup: 'true' }))
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toContain(`was created, but fetching it failed, so the step cannot output it.`)
    expect(errorsOf(main)).toMatch(/Interface vmnet_\w+ was created by this run and exists: the post step removes it/)
    expect(main.state['interface-id']).toMatch(/^vmnet_/)
    expect(post.stdout).toContain(`Cleanup: interface ${main.state['interface-id'] ?? ''} removed`)
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })

  it('adopts neither when two interfaces appeared on the network at once', async () => {
    env.standIn.inject(CREATE_ROUTE, {
      kind: 'reset',
      when: 'after',
      // Someone else creates on the same network while this run's answer is lost.
      meanwhile: () => env.standIn.addInterfaceElsewhere('web-1.example.com', { virtualNetworkId: IDS.virtualNetwork }),
    })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('2 new interfaces appeared on the requested network')
    expect(errorsOf(result)).toContain('give the jobs that create on this VM a concurrency group')
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(onVirtualNetwork(env.standIn)).toHaveLength(2)
  })

  it('gives up without a duplicate when every attempt is lost before anything is created', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'reset', when: 'before' }, { kind: 'reset', when: 'before' })
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '2' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('got no complete answer')
    expect(onVirtualNetwork(env.standIn)).toEqual([])
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
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(result.stdout).toContain('appeared on the VM: the lost request did create it, so it is adopted')
  })
})
