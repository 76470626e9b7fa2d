// `with:` keys that are near misses of an input: the runner passes every key to the action, an
// input or not, and only warns about unknown ones far above the step's own log.
import { quote } from '../katapult/untrusted.ts'
import { editDistance } from './near-miss.ts'

/** Shorthands users write for the words of the inputs' names. */
const SHORTHANDS: Record<string, string> = {
  vm: 'virtual-machine',
  vnet: 'virtual-network',
  net: 'network',
  speed: 'speed-profile',
  ip: 'ip-address',
  nic: 'interface',
}

/** The inputs a key probably means: the same words, a shorthand spelt out, or a near-miss spelling. */
function probablyMeant(key: string, inputs: readonly string[]): string[] {
  const words = key.toLowerCase().replace(/[_\s]+/g, '-')
  const spelt = words
    .split('-')
    .map((word) => SHORTHANDS[word] ?? word)
    .join('-')
  const forms = [words, spelt]
  const exact = inputs.filter((input) => forms.includes(input))
  if (exact.length > 0) return exact
  const completions = inputs.filter((input) => forms.some((form) => input.startsWith(`${form}-`)))
  if (completions.length > 0) return completions
  return inputs.filter((input) => editDistance(input, words) <= 2)
}

/**
 * The runner passes every `with:` key to the action as an INPUT_… variable, inputs or not, and
 * only warns about the unknown ones far above the step's own log. A key that is a near miss of an
 * input (`network_permalink`, `speed-profile`, `vm-id`) is a problem, named with the input it
 * probably means; any other unknown key is left to the runner's warning.
 */
export function misspeltInputs(keys: readonly string[], inputs: readonly string[], problems: string[]): void {
  const known = new Set(inputs.map((input) => input.replace(/ /g, '_').toLowerCase()))
  for (const key of keys) {
    if (known.has(key)) continue
    const meant = probablyMeant(key, inputs)
    if (meant.length > 0) {
      problems.push(`with: ${quote(key)} is not an input of this action; did you mean ${meant.join(' or ')}?`)
    }
  }
}
