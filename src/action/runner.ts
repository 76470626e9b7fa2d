// What a step needs from the GitHub runner, as one small interface: run() uses the real one
// (actions-runner.ts, over @actions/core) unless given another, as the in-process tests give a
// recording one. Nothing
// else in src/ reaches the runner, so that every text it is given passes through the step's
// scrubbing of secrets (secrets.ts) first.

export interface Runner {
  /** A `with:` input, trimmed, as @actions/core's getInput reads it; empty when unset. */
  getInput: (name: string) => string
  /** Every `with:` key the runner passed, an input of the action or not, in the runner's spelling. */
  inputKeys: () => string[]
  getState: (name: string) => string
  saveState: (name: string, value: string) => void
  setOutput: (name: string, value: string) => void
  /** Registers a value with the runner's masker. */
  setSecret: (value: string) => void
  info: (message: string) => void
  warning: (message: string) => void
  debug: (message: string) => void
  /** Fails the step with this message. */
  setFailed: (message: string) => void
  /** Appends HTML to the job summary; throws when the summary file cannot be written. */
  appendSummary: (html: string) => void
}
