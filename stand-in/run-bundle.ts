// Runs the bundled action the way the GitHub runner does: a node process per step, every `with:`
// key (and action.yml's defaults) as INPUT_* variables, and the GITHUB_OUTPUT / GITHUB_STATE /
// GITHUB_STEP_SUMMARY files, whose contents come back parsed. A test can drive the process's time
// (driven-time.ts) instead of waiting for it.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'yaml'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DRIVEN_TIME = pathToFileURL(join(ROOT, 'stand-in/driven-time.ts')).href

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string; post?: string }
}

/** The action's metadata; `folder` is `.` for the create action, `delete` for the delete action. */
export function readActionYml(folder = '.'): ActionYml {
  return parse(readFileSync(join(ROOT, folder, 'action.yml'), 'utf8')) as ActionYml
}

export interface StepResult {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  durationMs: number
  /** Each sleep the action took, in order, when its time was driven. */
  sleeps: number[]
}

export interface StepOptions {
  /** The action's folder: `.` (the default) or `delete`. */
  action?: string
  /** The state the main step saved, passed to the post step as STATE_* variables. */
  state?: Record<string, string>
  env?: Record<string, string>
  /** Run this script instead of the action's entry (the benchmark's floor). */
  script?: string
  /** Options for node itself, before the script. */
  nodeArgs?: string[]
  /**
   * Cancels the step as the runner cancels a job, once this turns true: SIGINT, then SIGTERM
   * if the process is still there half a second later.
   */
  cancelWhen?: () => boolean
  /**
   * Drives the action's time: its sleeps take no real time, and each is passed here (e.g. to move
   * the stand-in's clock on by as much) before the action goes on.
   */
  drive?: (ms: number) => void
  /** Make GITHUB_STEP_SUMMARY a path that cannot be written (a folder), as on a runner with a full disk. */
  unwritableSummary?: boolean
}

function cancelWhen(child: ChildProcess, condition: () => boolean): () => void {
  let escalation: NodeJS.Timeout | undefined
  const poll = setInterval(() => {
    if (!condition()) return
    clearInterval(poll)
    child.kill('SIGINT')
    escalation = setTimeout(() => child.kill('SIGTERM'), 500)
  }, 10)
  return () => {
    clearInterval(poll)
    clearTimeout(escalation)
  }
}

/** Parses the runner's file-command format: `name<<delimiter`, the value's lines, `delimiter`. */
function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (heredoc) {
      const [, name = '', delimiter] = heredoc
      const end = lines.indexOf(delimiter ?? '', i + 1)
      values[name] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i]?.includes('=')) {
      const [name = '', ...rest] = (lines[i] ?? '').split('=')
      values[name] = rest.join('=')
    }
  }
  return values
}

export async function runBundle(
  step: 'main' | 'post',
  inputs: Record<string, string>,
  options: StepOptions = {},
): Promise<StepResult> {
  const folder = options.action ?? '.'
  const action = readActionYml(folder)
  const commandFiles = mkdtempSync(join(tmpdir(), 'katapult-step-'))
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary' }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...options.env,
  }
  for (const [variable, file] of Object.entries(files)) {
    env[variable] = join(commandFiles, file)
    writeFileSync(env[variable], '')
  }
  if (options.unwritableSummary) env.GITHUB_STEP_SUMMARY = mkdtempSync(join(commandFiles, 'summary-'))
  // As the runner does: every `with:` key, an input of the action or not, and each input's default.
  const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value
  for (const [name, input] of Object.entries(action.inputs)) {
    env[inputVariable(name)] = inputs[name] ?? input.default ?? ''
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value
  const script = options.script ?? join(ROOT, folder, (step === 'main' ? action.runs.main : action.runs.post) ?? '')
  const { drive } = options
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [...(drive ? ['--import', DRIVEN_TIME] : []), ...(options.nodeArgs ?? []), script],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe', ...(drive ? (['ipc'] as const) : [])],
    },
  )
  const sleeps: number[] = []
  child.on('message', (message: { sleep: number; id: number }) => {
    sleeps.push(message.sleep)
    drive?.(message.sleep)
    // With a callback, a channel that closed meanwhile (the step ended) is no error event.
    if (child.connected) child.send({ slept: message.id }, () => undefined)
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  // A hung step is killed rather than left running after jest gives up on its test.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const stopCancelling = options.cancelWhen ? cancelWhen(child, options.cancelWhen) : undefined
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  stopCancelling?.()
  const durationMs = performance.now() - started
  const read = (file: string): string => readFileSync(join(commandFiles, file), 'utf8')
  const result = {
    exitCode,
    stdout,
    stderr,
    outputs: parseFileCommands(read('output')),
    state: parseFileCommands(read('state')),
    summary: options.unwritableSummary ? '' : read('summary'),
    durationMs,
    sleeps,
  }
  rmSync(commandFiles, { recursive: true, force: true })
  return result
}
