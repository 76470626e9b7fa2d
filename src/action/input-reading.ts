// Reading the `with:` inputs as toolkit actions read them: trimmed, blank as unset, lists one an
// item a line or comma-separated, booleans in YAML's spellings. Every problem is collected, so
// that the user fixes them all in one round, before any request is sent.
import { quote } from '../katapult/untrusted.ts'

export type InputReader = (name: string) => string

/** Fails the step with every problem at once, one a line. */
export function throwIfAny(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
}

/** Trims, and treats an empty or whitespace-only value as unset. */
export function readTrimmed(read: InputReader, name: string): string | undefined {
  const value = read(name).trim()
  return value === '' ? undefined : value
}

/** A newline- or comma-separated list, as toolkit actions take them: items trimmed, blanks dropped. */
export function readList(read: InputReader, name: string): string[] {
  return read(name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

// The spellings of YAML 1.2's core schema, as @actions/core's getBooleanInput accepts them.
const TRUE_WORDS = new Set(['true', 'True', 'TRUE'])
const FALSE_WORDS = new Set(['false', 'False', 'FALSE'])

export function parseBoolean(read: InputReader, name: string, problems: string[]): boolean {
  const raw = readTrimmed(read, name) ?? 'false'
  if (TRUE_WORDS.has(raw)) return true
  if (!FALSE_WORDS.has(raw)) problems.push(`${name}: ${quote(raw)} is not a boolean; use true or false`)
  return false
}
