// The state a main step saved, read back as its post step reads it.
import { readState } from '../../src/create/step-state.ts'
import type { StepResult } from '../../stand-in/run-bundle.ts'

/** Reads the main step's state as the post step does, and returns it with the warnings it gave. */
export function readBack(main: StepResult): { state: ReturnType<typeof readState>; warnings: string[] } {
  const warnings: string[] = []
  const state = readState(
    (name) => main.state[name] ?? '',
    (message) => warnings.push(message),
  )
  return { state, warnings }
}
