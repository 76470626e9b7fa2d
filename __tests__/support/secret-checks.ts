// Whether a secret can be read in what a step left: any piece of it of MIN_PIECE characters or
// more, as it is or in the forms a page or a message could hold it (URL-encoded, JSON-escaped,
// base64 at any alignment). Every step a test runs is checked with this.
import { MIN_PIECE } from '../../src/action/secrets.ts'

/** The text as a reader could decode it: %XX sequences, JSON escapes, and every run that could be base64. */
function decodedViews(text: string): string[] {
  const views = [text]
  views.push(text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))))
  views.push(
    text
      .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\(["\\/])/g, '$1'),
  )
  for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []) {
    for (let shift = 0; shift < 4; shift++) {
      const standard = run.slice(shift).replace(/-/g, '+').replace(/_/g, '/')
      views.push(Buffer.from(standard.slice(0, standard.length - (standard.length % 4)), 'base64').toString('latin1'))
    }
  }
  return views
}

/** The pieces of `secret` that can be read in `text`. */
export function readablePieces(text: string, secret: string): string[] {
  if (secret.length < MIN_PIECE) return []
  const views = decodedViews(text)
  const found = new Set<string>()
  for (let i = 0; i + MIN_PIECE <= secret.length; i++) {
    const piece = secret.slice(i, i + MIN_PIECE)
    if (views.some((view) => view.includes(piece))) found.add(piece)
  }
  return [...found]
}
