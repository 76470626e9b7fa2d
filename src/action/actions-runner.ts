// The real runner, through @actions/core: the Runner every run() uses unless a test gives its own.
import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'
import type { Runner } from './runner.ts'

const INPUT_PREFIX = 'INPUT_'

export const actionsRunner: Runner = {
  getInput: (name) => core.getInput(name),
  // The runner turns each `with:` key into INPUT_<KEY>, spaces as underscores, upper case.
  inputKeys: () =>
    Object.keys(process.env)
      .filter((variable) => variable.startsWith(INPUT_PREFIX))
      .map((variable) => variable.slice(INPUT_PREFIX.length).toLowerCase()),
  getState: (name) => core.getState(name),
  saveState: (name, value) => {
    core.saveState(name, value)
  },
  setOutput: (name, value) => {
    core.setOutput(name, value)
  },
  setSecret: (value) => {
    core.setSecret(value)
  },
  info: (message) => {
    core.info(message)
  },
  warning: (message) => {
    core.warning(message)
  },
  debug: (message) => {
    core.debug(message)
  },
  setFailed: (message) => {
    core.setFailed(message)
  },
  // Appended at once, rather than by core.summary's write(), whose asynchronous file calls start
  // libuv's thread pool for this one append (see docs/performance.md).
  appendSummary: (html) => {
    const file = process.env.GITHUB_STEP_SUMMARY
    if (file) appendFileSync(file, html)
  },
}
