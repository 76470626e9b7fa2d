// Waits for a Katapult background task (attach, detach) to finish.
import type { Task } from './answers.ts'
import { getTask } from './endpoints.ts'
import type { KatapultClient } from './client.ts'
import type { RetryClock } from './retry.ts'

/** Polling starts quick, since attaching usually takes seconds, and backs off to this. */
const POLL_INTERVALS_MS = [250, 250, 500, 1000, 2000, 5000]
export const TASK_TIME_LIMIT_MS = 5 * 60 * 1000

export class TaskFailedError extends Error {
  constructor(what: string, task: Task, reason: string) {
    super(`${what}: task ${task.id} ${reason} (status ${task.status})`)
    this.name = 'TaskFailedError'
  }
}

export async function waitForTask(
  client: KatapultClient,
  clock: RetryClock,
  what: string,
  started: Task,
  limitMs = TASK_TIME_LIMIT_MS,
): Promise<Task> {
  const deadline = clock.now() + limitMs
  let task = started
  for (let poll = 0; ; poll++) {
    if (task.status === 'completed') return task
    if (task.status === 'failed') throw new TaskFailedError(what, task, 'failed')
    if (clock.now() >= deadline) {
      throw new TaskFailedError(what, task, `did not complete within ${limitMs / 1000}s`)
    }
    await clock.sleep(POLL_INTERVALS_MS[Math.min(poll, POLL_INTERVALS_MS.length - 1)] ?? 5000)
    task = await getTask(client, task.id)
  }
}
