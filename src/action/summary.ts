// The job summary is a nicety: a step whose work is done does not fail because the summary file
// cannot be written (a full disk, a runner that made it read-only); it says so in a warning.
import * as core from '@actions/core'
import { describeFailure } from '../katapult/errors.ts'
import { quote } from '../katapult/untrusted.ts'

export async function addToSummary(write: (summary: typeof core.summary) => Promise<unknown>): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await write(core.summary)
  } catch (error) {
    core.warning(`Could not write the job summary, which is only a copy of the log: ${quote(describeFailure(error))}`)
  }
}
