// Waiting for a Katapult task (an attach, a detach, a speed-profile change): polled until it
// completes, and a failed or unfinished task, or the step-timeout, named with its id and status.
import { describe, expect, it } from '@jest/globals'
import type { Task } from '../../src/katapult/answer-shapes.ts'
import type { KatapultClient } from '../../src/katapult/client.ts'
import { waitForTask } from '../../src/katapult/tasks.ts'
import { fakeClock, fakeStepClock } from '../support/fake-clock.ts'

function fakes(statuses: Task['status'][], limitMs?: number) {
  const clock = fakeStepClock(fakeClock(0.5, 0), limitMs)
  const polled: string[] = []
  const client = {
    clock,
    request: (
      _method: string,
      _path: string,
      options: { query: Record<string, string>; read: (answer: unknown) => unknown },
    ) => {
      polled.push(options.query['task[id]'] ?? '')
      return Promise.resolve(options.read({ task: { id: 'task_1', status: statuses.shift() ?? 'running' } }))
    },
  } as unknown as KatapultClient
  return { clock, client, polled, elapsed: () => clock.now() }
}

describe('waitForTask', () => {
  it('polls the task until it completes', async () => {
    const { client, polled } = fakes(['running', 'completed'])
    const done = await waitForTask(client, 'Attaching', { id: 'task_1', status: 'pending' })
    expect(done.status).toBe('completed')
    expect(polled).toEqual(['task_1', 'task_1'])
  })

  it('fails with the task id and status when the task fails', async () => {
    const { client } = fakes(['failed'])
    await expect(
      waitForTask(client, 'Attaching interface vmni_1', { id: 'task_1', status: 'pending' }),
    ).rejects.toThrow('Attaching interface vmni_1: task task_1 failed (status failed)')
  })

  it('gives up when the task does not finish within five minutes', async () => {
    const { client, elapsed } = fakes([])
    await expect(waitForTask(client, 'Attaching', { id: 'task_1', status: 'pending' })).rejects.toThrow(
      'Attaching: task task_1 did not complete within 300.0 s (status running)',
    )
    expect(elapsed()).toBeGreaterThanOrEqual(300_000)
    expect(elapsed()).toBeLessThan(310_000)
  })

  it('stops at the step-timeout, saying what it was waiting for', async () => {
    const { client, elapsed } = fakes([], 10_000)
    await expect(
      waitForTask(client, 'Attaching interface vmnet_1', { id: 'task_1', status: 'pending' }),
    ).rejects.toThrow(
      /^step-timeout: waiting for task task_1 \(Attaching interface vmnet_1\) would take the step past its 10\.0 s \(\d\.\d s left\), so it stops here$/,
    )
    expect(elapsed()).toBeLessThanOrEqual(10_000)
  })
})
