// Text that came from the API or from the step's state is untrusted: printed as it is, a line
// break followed by `::`, or a `##[` anywhere in a line, is a workflow command that the runner
// obeys (add-mask, stop-commands, save-state…). Two rules keep it inert:
// - values checked against a strict pattern (ids, IP and MAC addresses, states, error codes)
//   cannot hold a line break, `::` at a line's start or `##[`, and are printed as they are;
// - any other text goes through quote(), which prints it as a JSON string literal.
// Text from a server may also echo the request: quote() takes out any credential in it, and the
// step scrubs its own token from everything it prints (action/secrets.ts).
import { isAnyId } from './ids.ts'

/**
 * The text as a JSON string literal, so that its line breaks show as `\n` and it starts with a
 * quote, never with `::`. `::` and `##[` inside are written as JSON escapes too (`:\u003a`,
 * `#\u0023[`), so the literal still decodes to the original text but holds no command marker.
 * Any `Bearer …` or `Basic …` credential in it (a page that echoes the Authorization or
 * Proxy-Authorization header) is left out.
 */
export function quote(text: string): string {
  // No `i` flag: a case-insensitive character class costs a Unicode case closure to compile.
  return JSON.stringify(text.replace(/\b([Bb]earer|[Bb]asic|BEARER|BASIC)\s+[A-Za-z0-9._~+/-]+=*/g, '$1 ***'))
    .replace(/::/g, ':\\u003a')
    .replace(/##\[/g, '#\\u0023[')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/**
 * The text quoted, at most about `max` characters as printed: no answer's text floods the log.
 * Cut before quoting, then again if escaping made it longer (a control character takes six).
 */
export function quoteCut(text: string, max: number): string {
  let cut = text.length > max ? text.slice(0, max) : text
  let quoted = quote(cut === text ? text : `${cut}…`)
  while (quoted.length > max + 3 && cut.length > 0) {
    cut = cut.slice(0, Math.floor((cut.length * max) / quoted.length))
    quoted = quote(`${cut}…`)
  }
  return quoted
}

/** Ids, checked against Katapult's forms and so printed as they are: at most `max`, and how many more. */
export function listIds(ids: readonly string[], max = 10): string {
  const more = ids.length > max ? ` and ${ids.length - max} more` : ''
  return `${ids.slice(0, max).join(', ')}${more}`
}

/** A quoted excerpt of a long text, such as a page's body: whitespace folded, at most `max` characters. */
export function quoteExcerpt(text: string, max = 200): string {
  const folded = text.replace(/\s+/g, ' ').trim()
  return folded === '' ? '(empty)' : quoteCut(folded, max)
}

/** An id printed as it is when it looks like a Katapult id, quoted (and cut) otherwise. */
export function shownId(value: unknown): string {
  if (typeof value !== 'string') return '(none)'
  return isAnyId(value) ? value : quoteCut(value, 80)
}

/** Escapes text for the job summary's HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}
