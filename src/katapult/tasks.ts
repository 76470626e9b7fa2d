// Waits for a Katapult background task (attach, detach, a speed-profile change) to finish, on the
// step's clock, so that the step's deadline bounds it too.
import type { Task } from './answer-shapes.ts'
import type { KatapultClient } from './client.ts'
import { getTask } from './endpoints.ts'
import { formatSeconds } from './step-clock.ts'

/** Polling starts quick, since attaching usually takes seconds, and backs off to this. */
const POLL_INTERVALS_MS = [250, 250, 500, 1000, 2000, 5000]
export const TASK_TIME_LIMIT_MS = 5 * 60 * 1000

export async function waitForTask(client: KatapultClient, what: string, started: Task): Promise<Task> {
  const { clock } = client
  const deadline = clock.now() + TASK_TIME_LIMIT_MS
  let task = started
  for (let poll = 0; ; poll++) {
    if (task.status === 'completed') return task
    if (task.status === 'failed') throw new Error(`${what}: task ${task.id} failed (status failed)`)
    if (clock.now() >= deadline) {
      throw new Error(
        `${what}: task ${task.id} did not complete within ${formatSeconds(TASK_TIME_LIMIT_MS)} (status ${task.status})`,
      )
    }
    const interval = POLL_INTERVALS_MS[Math.min(poll, POLL_INTERVALS_MS.length - 1)] ?? 5000
    await clock.sleep(interval, `waiting for task ${task.id} (${what})`)
    task = await getTask(client, task.id)
  }
}
