// What must hold for every step a test runs, in this process or as the bundle: no secret in the
// log, and no readable piece of one in any form in the log, outputs, state or summary; no stack
// trace; no line the runner would obey as a command the action did not mean; nothing on stderr.
import { expect } from '@jest/globals'
import { URL_CREDENTIALS } from '../../src/action/connection-inputs.ts'
import { MIN_PIECE } from '../../src/action/secrets.ts'
import type { StepResult } from '../../stand-in/run-bundle.ts'
import { readablePieces } from './secret-checks.ts'
import { obeyedCommands, printedLines } from './step-log.ts'

/** The secrets a step's inputs hold: the token, each line of a multi-line one, an api-url's password. */
function secretsOf(inputs: Record<string, string>): string[] {
  const token = inputs['api-token']?.trim() ?? ''
  const lines = token.split(/\r?\n/).map((line) => line.trim())
  const password = URL_CREDENTIALS.exec(inputs['api-url'] ?? '')?.[2]
    ?.split(':')
    .slice(1)
    .join(':')
  // Shorter ones are no real secret (a placeholder such as `token`), and the product leaves them to the runner's mask.
  return [token, ...(lines.length > 1 ? lines : []), password ?? ''].filter((secret) => secret.length >= MIN_PIECE)
}

export function checkEveryStep(result: StepResult, inputs: Record<string, string>): void {
  const lines = printedLines(result)
  const shown = [...lines, ...Object.values(result.outputs), ...Object.values(result.state), result.summary].join('\n')
  for (const secret of secretsOf(inputs)) {
    expect(lines.filter((line) => line.includes(secret))).toEqual([])
    expect(readablePieces(shown, secret)).toEqual([])
  }
  expect(lines.filter((line) => /^\s+at .+[:(]/.test(line))).toEqual([])
  expect(obeyedCommands(result)).toEqual([])
  // The action speaks through the runner's commands on stdout; anything on stderr is noise (a
  // deprecation warning from bundled code) or a crash.
  expect(result.stderr).toBe('')
}
