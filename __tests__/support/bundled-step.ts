// Runs a step of the bundled actions as the GitHub runner does (stand-in/run-bundle.ts): a node
// process, INPUT_* variables, the GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files, and
// signals. For what only a process shows; the steps' decisions are tested in this process
// (in-process-step.ts). Its sleeps drive the test's stand-in's clock unless `realTime` says why not.
import { type StepOptions, type StepResult, runBundle } from '../../stand-in/run-bundle.ts'
import { checkEveryStep } from './every-step.ts'
import { currentStandIn } from './stand-in.ts'

export async function bundledStep(
  which: 'main' | 'post',
  inputs: Record<string, string>,
  options: StepOptions & { realTime?: string } = {},
): Promise<StepResult> {
  const standIn = currentStandIn()
  const drive =
    options.realTime === undefined && standIn
      ? (ms: number) => {
          standIn.clock.advance(ms)
        }
      : undefined
  const result = await runBundle(which, inputs, { drive, ...options })
  checkEveryStep(result, inputs)
  return result
}
