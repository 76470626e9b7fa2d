// JSON from the network, read with a bound on nesting. JSON.parse takes any depth, but
// JSON.stringify (the `interface` output, an error's detail) would overflow the stack on an
// answer nested thousands deep, which no Katapult answer is: such an answer is malformed.

/** Far deeper than any Katapult answer, which nests a handful of levels. */
export const MAX_NESTING = 32

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The parsed value, or undefined when the text is not JSON. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

/** Whether objects and lists nest deeper than `max` levels; walked without recursion. */
export function nestsDeeperThan(value: unknown, max = MAX_NESTING): boolean {
  const open: [unknown, number][] = [[value, 1]]
  for (let next = open.pop(); next; next = open.pop()) {
    const [item, depth] = next
    if (typeof item !== 'object' || item === null) continue
    if (depth > max) return true
    for (const child of Object.values(item)) open.push([child, depth + 1])
  }
  return false
}
