// attach: the interface attached to its VM, waiting for Katapult's task.
import { describe, expect, it } from '@jest/globals'
import { step } from '../support/in-process-step.ts'
import { ATTACH_ROUTE, baseInputs, earlierInterface, TASK_ROUTE, useStandIn } from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

const REUSE = { 'reuse-existing': 'true' }

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
