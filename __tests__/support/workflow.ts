// One interpreter of a GitHub Actions job, for the workflows this repository shows (the README's
// examples, ci.yml's self-test job): each `uses:` of this repository's actions runs as the bundled
// action with its `with:` evaluated, the post steps run at the end of the job in reverse order,
// and each `run:` step goes to the caller with its `env:` evaluated, as the runner would give it.
import type { StepResult } from '../../stand-in/run-bundle.ts'
import { bundledStep } from './bundled-step.ts'

export interface WorkflowStep {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Record<string, string | boolean>
  env?: Record<string, string>
}

export interface Job {
  env?: Record<string, string>
  steps: WorkflowStep[]
}

export type StepOutputs = Record<string, Record<string, string>>

interface Interpreter {
  /** The folder of the action a `uses:` names (`.` or `delete`), or `skip` for a setup step. */
  action: (uses: string) => '.' | 'delete' | 'skip'
  /** The value of an expression other than `steps.<id>.outputs.<name>`; undefined when unknown. */
  context: (expression: string) => string | undefined
  /** Runs a `run:` step, given its `env:` evaluated. */
  run: (step: WorkflowStep, env: Record<string, string>) => Promise<void>
  /** What changes in every action step's inputs (api-url pointed at the stand-in, say). */
  inputs?: (inputs: Record<string, string>) => Record<string, string>
  /** Why the steps take real time, when they cannot drive the stand-in's clock. */
  realTime?: string
}

/** Evaluates the `${{ … }}` expressions of a value. */
function evaluate(text: string, outputs: StepOutputs, context: Interpreter['context']): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_match, expression: string) => {
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression)
    const value = output ? (outputs[output[1] ?? '']?.[output[2] ?? ''] ?? '') : context(expression)
    if (value === undefined)
      throw new Error(`the workflow uses \${{ ${expression} }}, which the interpreter does not know`)
    return value
  })
}

export interface JobRun {
  /** Each action step's result, main steps in order, then the post steps. */
  results: StepResult[]
  outputs: StepOutputs
}

/** Runs a job's steps as the runner does; `outputs` holds those of steps that ran before. */
export async function runJob(
  steps: WorkflowStep[],
  interpreter: Interpreter,
  outputs: StepOutputs = {},
): Promise<JobRun> {
  const ran: JobRun = { results: [], outputs }
  const posts: (() => Promise<StepResult>)[] = []
  const options = interpreter.realTime === undefined ? {} : { realTime: interpreter.realTime }
  const evaluated = (values: Record<string, string | boolean> = {}): Record<string, string> =>
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, evaluate(String(value), outputs, interpreter.context)]),
    )
  for (const step of steps) {
    if (step.run !== undefined) {
      await interpreter.run(step, evaluated(step.env))
      continue
    }
    const action = interpreter.action(step.uses ?? '')
    if (action === 'skip') continue
    const given = evaluated(step.with)
    const inputs = interpreter.inputs?.(given) ?? given
    const result = await bundledStep('main', inputs, { ...options, action })
    ran.results.push(result)
    if (step.id) outputs[step.id] = result.outputs
    if (action === '.') posts.unshift(() => bundledStep('post', inputs, { ...options, state: result.state }))
  }
  for (const post of posts) ran.results.push(await post())
  return ran
}
