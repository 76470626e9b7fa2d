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

/**
 * The candidate closest to `typed`, when one is close: the same but for case, one that starts
 * with it or is contained in it (`uk-lon-01` → `uk-lon-01-public`), or a spelling a few edits away.
 */
export function nearest(typed: string, candidates: readonly string[]): string | undefined {
  const wanted = typed.toLowerCase()
  const score = (candidate: string): number => {
    const name = candidate.toLowerCase()
    if (name === wanted) return 0
    if (name.startsWith(wanted) || wanted.startsWith(name)) return 1
    if (name.includes(wanted) || wanted.includes(name)) return 2
    const distance = editDistance(name, wanted)
    return distance <= Math.max(2, Math.floor(wanted.length / 4)) ? 2 + distance : Number.POSITIVE_INFINITY
  }
  const [best] = candidates
    .map((candidate) => ({ candidate, score: score(candidate) }))
    .filter(({ score: value }) => Number.isFinite(value))
    .sort((a, b) => a.score - b.score)
  return best?.candidate
}
