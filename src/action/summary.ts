// The job summary is a nicety: a step whose work is done does not fail because the summary file
// cannot be written (a full disk, a runner that made it read-only); it says so in a warning.
// core.summary builds the markup; it is appended here at once, rather than by core.summary's
// write(), whose asynchronous file calls start libuv's thread pool for this one append: about
// 1.5 ms of every step (see the README's Performance section).
import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'
import { describeFailure } from '../katapult/errors.ts'
import { quote } from '../katapult/untrusted.ts'

export function addToSummary(build: (summary: typeof core.summary) => typeof core.summary): void {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  try {
    appendFileSync(file, build(core.summary).stringify())
  } catch (error) {
    core.warning(`Could not write the job summary, which is only a copy of the log: ${quote(describeFailure(error))}`)
  } finally {
    core.summary.emptyBuffer()
  }
}
