// Katapult's background tasks (attach, detach, a speed profile change): pending, then running, then
// done, by their age on the stand-in's clock, so that a driven clock ages them without waiting. A
// task's effect applies when someone first sees it completed, and it can be made to fail instead.
import { ApiError } from './answers.ts'
import { type Args, NOT_FOUND, type Routes } from './requests.ts'
import type { StandInClock } from './stand-in-clock.ts'
import type { World } from './world.ts'

/** Tasks stay pending, then running, for these many milliseconds. */
const TASK_PENDING_MS = 100
const TASK_RUNNING_MS = 200

export interface Task {
  id: string
  name: string
  createdAt: number
  outcome: 'completed' | 'failed'
  onCompleted: () => void
  applied: boolean
}

export class TaskRunner {
  readonly tasks: Task[] = []
  readonly #world: World
  readonly #clock: StandInClock
  readonly #outcome: Task['outcome']

  constructor(world: World, clock: StandInClock, outcome: Task['outcome'] = 'completed') {
    this.#world = world
    this.#clock = clock
    this.#outcome = outcome
  }

  routes(): Routes {
    return {
      'GET /tasks/task': (args) => ({ task: this.present(this.#find(args)) }),
    }
  }

  /** A background task whose effect applies when it completes. */
  start(name: string, onCompleted: () => void): Task {
    const task: Task = {
      id: this.#world.newId('task'),
      name,
      createdAt: this.#clock.now(),
      outcome: this.#outcome,
      onCompleted,
      applied: false,
    }
    this.tasks.push(task)
    return task
  }

  /** A task's status follows from its age; its effect applies when it completes. */
  present(task: Task): Record<string, unknown> {
    const age = this.#clock.now() - task.createdAt
    const finished = age >= TASK_PENDING_MS + TASK_RUNNING_MS
    const status = finished ? task.outcome : age >= TASK_PENDING_MS ? 'running' : 'pending'
    if (status === 'completed' && !task.applied) {
      task.applied = true
      task.onCompleted()
    }
    const seconds = (ms: number): number => Math.floor(ms / 1000)
    return {
      id: task.id,
      name: task.name,
      status,
      created_at: seconds(task.createdAt),
      started_at: age >= TASK_PENDING_MS ? seconds(task.createdAt + TASK_PENDING_MS) : null,
      finished_at: finished ? seconds(task.createdAt + TASK_PENDING_MS + TASK_RUNNING_MS) : null,
      progress: finished ? 100 : Math.floor((age / (TASK_PENDING_MS + TASK_RUNNING_MS)) * 100),
    }
  }

  #find(args: Args): Task {
    const task = this.tasks.find((candidate) => candidate.id === args['task[id]'])
    if (!task) throw new ApiError(404, 'task_not_found', `No task ${NOT_FOUND}`)
    return task
  }
}
