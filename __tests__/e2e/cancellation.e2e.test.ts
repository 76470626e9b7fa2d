// A job cancelled while a request is in flight (SIGINT, then SIGTERM, as the runner cancels):
// the post step, with the state the main step saved before sending, finds what the request made.
import { describe, expect, it } from '@jest/globals'
import { IDS } from '../../stand-in/katapult-stand-in.ts'
import { bundledStep } from '../support/bundled-step.ts'
import {
  ALLOCATE_ROUTE,
  baseInputs,
  CREATE_ROUTE,
  DELETE_INTERFACE_ROUTE,
  onVirtualNetwork,
  useStandIn,
} from '../support/stand-in.ts'
import { warningsOf } from '../support/step-log.ts'
import { readBack } from '../support/saved-state.ts'

const env = useStandIn()

describe('a job cancelled while a request is in flight', () => {
  it('after Katapult created the interface: the post step finds it and removes it', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const main = await bundledStep('main', inputs, { cancelWhen: () => onVirtualNetwork(env.standIn).length === 1 })
    expect(main.exitCode).not.toBe(0)
    expect(main.outputs).toEqual({})
    expect(main.state['interface-id']).toBeUndefined()
    expect(JSON.parse(main.state['pending-create'] ?? '')).toMatchObject({ before: [expect.stringMatching(/^vmnet_/)] })

    const post = await bundledStep('post', inputs, { state: main.state })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).toBe('')
    const [id] = onVirtualNetwork(env.standIn)
    expect(id).toBeUndefined()
    expect(post.stdout).toContain('The create request that got no answer did create interface')
    expect(post.stdout).toMatch(/Cleanup: interface vmnet_\w+ removed/)
  })

  it('without cleanup: the post step names the interface in a warning, so the user knows it exists', async () => {
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const main = await bundledStep('main', baseInputs(env.apiUrl), {
      cancelWhen: () => onVirtualNetwork(env.standIn).length === 1,
    })
    const post = await bundledStep('post', baseInputs(env.apiUrl), { state: main.state })
    expect(post.exitCode).toBe(0)
    const [id] = onVirtualNetwork(env.standIn)
    expect(warningsOf(post)).toBe(
      `Cleanup is off, and a request of this run that got no answer did take effect: interface ${id ?? ''} exists.`,
    )
    expect(env.standIn.requestsTo(DELETE_INTERFACE_ROUTE)).toEqual([])
  })

  it('before Katapult created anything: the post step says so and removes nothing', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'before' })
    const main = await bundledStep('main', inputs, {
      cancelWhen: () => env.standIn.requestsTo(CREATE_ROUTE).length === 1,
    })
    const post = await bundledStep('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toContain('The create request that got no answer created nothing')
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })

  it('during an address allocation that took effect: the post step releases the address too', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true', 'allocate-ips': 'ipv4' })
    env.standIn.inject(ALLOCATE_ROUTE, { kind: 'hang', when: 'after' })
    const addressesBefore = env.standIn.ipAddresses.length
    const main = await bundledStep('main', inputs, {
      cancelWhen: () => env.standIn.ipAddresses.length > addressesBefore,
    })
    const post = await bundledStep('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toMatch(/The allocation that got no answer did allocate 185\.199\.\d+\.\d+ \(ip_\w+\)/)
    expect(env.standIn.ipAddresses).toHaveLength(addressesBefore)
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})

describe('a request that truly got no answer', () => {
  // Real time, tens of milliseconds: the cancellation is a signal to a live process.
  it('a cancelled create (SIGINT, then SIGTERM) with real-shaped ids is found and removed by the post step', async () => {
    const vm = env.standIn.vm('web-1.example.com')
    const inputs = baseInputs(env.apiUrl, {
      'virtual-machine-fqdn': '',
      'virtual-machine-id': vm.id,
      'virtual-network-id': '',
      'network-id': IDS.publicNetwork,
      'speed-profile-permalink': '',
      'speed-profile-id': IDS.speed1g,
      cleanup: 'true',
    })
    const [eth0] = env.standIn.interfacesOf('web-1.example.com')
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const main = await bundledStep('main', inputs, {
      cancelWhen: () => env.standIn.interfacesOf('web-1.example.com').length === 2,
    })
    expect(main.exitCode).not.toBe(0)
    const { state, warnings } = readBack(main)
    expect(warnings).toEqual([])
    expect(state.pendingCreate).toEqual({
      virtualMachine: { id: vm.id },
      network: { object: 'network', lookup: { id: IDS.publicNetwork } },
      before: [eth0?.id],
    })
    const post = await bundledStep('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toMatch(/The create request that got no answer did create interface vmnet_\w+/)
    expect(post.stdout).toMatch(/Cleanup: interface vmnet_\w+ removed/)
    // Only the interface the VM was built with is left, untouched, with its address.
    expect(env.standIn.interfacesOf('web-1.example.com')).toEqual([eth0])
    expect(env.standIn.ipAddresses.filter((ip) => ip.interfaceId === eth0?.id)).toHaveLength(1)
  })
})
