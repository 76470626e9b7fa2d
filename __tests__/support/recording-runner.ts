// A Runner (src/action/runner.ts) that records, for running a step in this process: it takes its
// inputs as a workflow's `with:` does (every key, an input or not, and action.yml's defaults) and
// writes its log as @actions/core writes it to stdout (`::warning::…`, `::error::…`, `::add-mask::…`),
// so that a test reads a step's log, outputs, state and summary as it would read a process's.
import type { Runner } from '../../src/action/runner.ts'
import { readActionYml } from '../../stand-in/run-bundle.ts'

/** What a step left, as a test reads it. */
interface Recorded {
  exitCode: number
  stdout: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
}

export interface RecordingOptions {
  /** The action's folder: `.` (the default) or `delete`. */
  action?: string
  /** The state the main step saved, for the post step. */
  state?: Record<string, string>
  /** A summary file that cannot be written, as on a runner with a full disk. */
  unwritableSummary?: boolean
}

/** As @actions/core escapes a command's data. */
const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

export function recordingRunner(
  inputs: Record<string, string>,
  options: RecordingOptions = {},
): Runner & { recorded: Recorded } {
  const declared = readActionYml(options.action ?? '.').inputs
  const values: Record<string, string> = {}
  for (const [name, input] of Object.entries(declared)) values[name] = input.default ?? ''
  Object.assign(values, inputs)
  const recorded: Recorded = { exitCode: 0, stdout: '', outputs: {}, state: {}, summary: '' }
  const command = (name: string, message: string): void => {
    recorded.stdout += `::${name}::${escapeData(message)}\n`
  }
  return {
    recorded,
    getInput: (name) => (values[name] ?? '').trim(),
    inputKeys: () => Object.keys(values).map((key) => key.replace(/ /g, '_').toLowerCase()),
    getState: (name) => options.state?.[name] ?? '',
    saveState: (name, value) => {
      recorded.state[name] = value
    },
    setOutput: (name, value) => {
      recorded.outputs[name] = value
    },
    setSecret: (value) => {
      command('add-mask', value)
    },
    info: (message) => {
      recorded.stdout += `${message}\n`
    },
    warning: (message) => {
      command('warning', message)
    },
    debug: (message) => {
      command('debug', message)
    },
    setFailed: (message) => {
      recorded.exitCode = 1
      command('error', message)
    },
    appendSummary: (html) => {
      if (options.unwritableSummary) throw new Error('EISDIR: illegal operation on a directory, write')
      recorded.summary += html
    },
  }
}
