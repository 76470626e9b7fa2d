// Runs a step of the actions in this process: its run() from src/, with a recording runner
// (recording-runner.ts) and a clock the test drives: a sleep takes no time, and moves the step's
// clock and the test's stand-in's clock on by as much, as the bundle's driven time does. This is
// how the steps' decisions are tested (fast, and counted in the coverage of src/); the bundle is
// run as a process (bundled-step.ts) for what only a process shows.
import { performance } from 'node:perf_hooks'
import { run as createMain } from '../../src/create/main.ts'
import { run as createPost } from '../../src/create/post.ts'
import { run as deleteMain } from '../../src/delete/main.ts'
import type { Clock } from '../../src/katapult/step-clock.ts'
import type { KatapultStandIn } from '../../stand-in/katapult-stand-in.ts'
import type { StepResult } from '../../stand-in/run-bundle.ts'
import { checkEveryStep } from './every-step.ts'
import { type RecordingOptions, recordingRunner } from './recording-runner.ts'
import { baseInputs, connectionInputs, currentStandIn } from './stand-in.ts'

interface InProcessOptions extends RecordingOptions {
  /** What Math.random would give the step, every time: a backoff drawn at the top of its range, say. */
  random?: number
}

/** A clock at the real pace whose sleeps take no time and move the stand-in's clock on as far. */
function drivenClock(standIn: KatapultStandIn | undefined, random: number | undefined): Clock & { sleeps: number[] } {
  let offset = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => Date.now() + offset,
    sleep: (ms) => {
      offset += ms
      sleeps.push(ms)
      standIn?.clock.advance(ms)
      return Promise.resolve()
    },
    random: () => random ?? Math.random(),
  }
}

/** Runs the main or post step of the create action, or (`action: 'delete'`) the delete action. */
export async function step(
  which: 'main' | 'post',
  inputs: Record<string, string>,
  options: InProcessOptions = {},
): Promise<StepResult> {
  const runner = recordingRunner(inputs, options)
  const clock = drivenClock(currentStandIn(), options.random)
  const run = options.action === 'delete' ? deleteMain : which === 'main' ? createMain : createPost
  const started = performance.now()
  await run(runner, clock)
  const result = { ...runner.recorded, stderr: '', durationMs: performance.now() - started, sleeps: clock.sleeps }
  checkEveryStep(result, inputs)
  return result
}

/** The delete action, with the test stand-in's token and URL unless `inputs` gives others. */
export function deleteStep(inputs: Record<string, string>, options: InProcessOptions = {}): Promise<StepResult> {
  return step('main', { ...connectionInputs(), ...inputs }, { ...options, action: 'delete' })
}

/** The create action's main step, then its post step with the state the main step saved. */
export async function mainThenPost(
  inputs: Record<string, string>,
  options: InProcessOptions = {},
): Promise<{ main: StepResult; post: StepResult }> {
  const main = await step('main', inputs, options)
  const post = await step('post', inputs, { ...options, state: main.state })
  return { main, post }
}

/** The main step with attach, an address and cleanup, then the post step: every route the create action takes. */
export function everyRoute(apiUrl: string): Promise<{ main: StepResult; post: StepResult }> {
  return mainThenPost(baseInputs(apiUrl, { attach: 'true', 'allocate-ips': 'ipv4', cleanup: 'true' }))
}
