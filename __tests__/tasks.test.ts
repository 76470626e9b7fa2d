import { describe, expect, it } from '@jest/globals'
import type { Task } from '../src/katapult/answers.ts'
import type { KatapultClient } from '../src/katapult/client.ts'
import { waitForTask } from '../src/katapult/tasks.ts'
import { fakeClock } from './fake-clock.ts'

function fakes(statuses: Task['status'][]) {
  const clock = fakeClock(0.5, 0)
  const polled: string[] = []
  const client = {
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
    const { clock, client, polled } = fakes(['running', 'completed'])
    const done = await waitForTask(client, clock, 'Attaching', { id: 'task_1', status: 'pending' })
    expect(done.status).toBe('completed')
    expect(polled).toEqual(['task_1', 'task_1'])
  })

  it('fails with the task id and status when the task fails', async () => {
    const { clock, client } = fakes(['failed'])
    await expect(
      waitForTask(client, clock, 'Attaching interface vmni_1', { id: 'task_1', status: 'pending' }),
    ).rejects.toThrow('Attaching interface vmni_1: task task_1 failed (status failed)')
  })

  it('gives up when the task does not finish within the limit', async () => {
    const { clock, client, elapsed } = fakes([])
    await expect(waitForTask(client, clock, 'Attaching', { id: 'task_1', status: 'pending' }, 60_000)).rejects.toThrow(
      'Attaching: task task_1 did not complete within 60s (status running)',
    )
    expect(elapsed()).toBeGreaterThanOrEqual(60_000)
    expect(elapsed()).toBeLessThan(70_000)
  })
})
