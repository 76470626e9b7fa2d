// reuse-existing: the interface already on the virtual network is handed on, converged to the
// requested speed profile.
import { describe, expect, it } from '@jest/globals'
import { IDS } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import {
  baseInputs,
  CREATE_ROUTE,
  earlierInterface,
  GET_INTERFACE_ROUTE,
  onVirtualNetwork,
  SPEED_ROUTE,
  TASK_ROUTE,
  useStandIn,
} from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('reuse-existing', () => {
  it('reuses the interface an earlier run left on the virtual network', async () => {
    const earlier = earlierInterface(env.standIn, { addresses: ['ipv4'] })
    const result = await step('main', baseInputs(env.apiUrl, { 'reuse-existing': 'true' }))
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ id: earlier.id, state: 'attached', created: 'false' })
    expect(JSON.parse(result.outputs['ip-addresses'] ?? '')).toHaveLength(1)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toEqual([])
    expect(result.summary).toContain('reused (already existed)')
  })

  it.each([
    ['network-id', { 'network-id': IDS.publicNetwork }],
    ['network-permalink', { 'network-permalink': 'uk-lon-01-public' }],
  ])('refuses reuse-existing by %s before any request: the VM’s own interface is there', async (input, network) => {
    const result = await step(
      'main',
      baseInputs(env.apiUrl, { 'virtual-network-id': '', ...network, 'reuse-existing': 'true' }),
    )
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(
      'reuse-existing: a VM has its own interface on a network from the day it was built, which this action cannot ' +
        `tell from one a run added, so it reuses only on a virtual network (virtual-network-id), not by ${input}`,
    )
    expect(env.standIn.requests).toEqual([])
  })

  it('reuses an interface on the virtual network on a re-run', async () => {
    const inputs = baseInputs(env.apiUrl, { 'reuse-existing': 'true' })
    const first = await step('main', inputs)
    const rerun = await step('main', inputs)
    expect([first.outputs.created, rerun.outputs.created]).toEqual(['true', 'false'])
    expect(rerun.outputs.id).toBe(first.outputs.id)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
  })

  it('creates one when the VM has none on the network', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'reuse-existing': 'true' }))
    expect(result.outputs.created).toBe('true')
    expect(onVirtualNetwork(env.standIn)).toEqual([result.outputs.id])
  })

  it('without reuse-existing, a re-run creates another interface, as asked', async () => {
    await step('main', baseInputs(env.apiUrl))
    await step('main', baseInputs(env.apiUrl))
    expect(onVirtualNetwork(env.standIn)).toHaveLength(2)
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

describe('"already so" is the state asked for', () => {
  it('a speed-profile change answered speed_profile_already_assigned: nothing to wait for, and the step succeeds', async () => {
    const earlier = earlierInterface(env.standIn)
    env.standIn.inject(SPEED_ROUTE, {
      kind: 'error',
      status: 422,
      code: 'speed_profile_already_assigned',
      description: 'This network speed profile is already assigned to this virtual machine network interface.',
    })
    const result = await step(
      'main',
      baseInputs(env.apiUrl, { 'reuse-existing': 'true', 'speed-profile-permalink': '10gbps' }),
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs.id).toBe(earlier.id)
    expect(env.standIn.requestsTo(TASK_ROUTE)).toEqual([])
  })
})
