// What a user probably meant: the closest of the names that exist to the one they typed, for the
// messages that say what exists (a `with:` key, a permalink that Katapult does not know).

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** Longer names are no one's typing: they are not compared, which also bounds the work on a hostile listing. */
const MAX_COMPARED = 256

/**
 * How close a candidate is to what was typed, lower nearer, or infinite when not close: the same
 * but for case, one that starts with it or is contained in it (`uk-lon-01` → `uk-lon-01-public`),
 * or a spelling a few edits away.
 */
function closeness(typed: string, candidate: string): number {
  const wanted = typed.toLowerCase()
  const name = candidate.toLowerCase()
  if (name === wanted) return 0
  // Among names that contain one another, the one nearest in length is the nearest.
  const lengthApart = Math.abs(name.length - wanted.length) / (Math.max(name.length, wanted.length) + 1)
  if (name.startsWith(wanted) || wanted.startsWith(name)) return 1 + lengthApart
  if (name.includes(wanted) || wanted.includes(name)) return 2 + lengthApart
  if (name.length > MAX_COMPARED || wanted.length > MAX_COMPARED) return Number.POSITIVE_INFINITY
  const distance = editDistance(name, wanted)
  return distance <= Math.max(2, Math.floor(wanted.length / 4)) ? 3 + distance : Number.POSITIVE_INFINITY
}

/** The candidate closest to `typed`, when one is close. */
export function nearest(typed: string, candidates: readonly string[]): string | undefined {
  return byNearness(typed, candidates, (candidate) => candidate).find(
    (candidate) => closeness(typed, candidate) !== Number.POSITIVE_INFINITY,
  )
}

/** The items, the closest to `typed` first; the ones that are not close keep their order, last. */
export function byNearness<T>(typed: string, items: readonly T[], name: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, score: closeness(typed, name(item)) }))
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map(({ item }) => item)
}
