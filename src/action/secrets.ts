// The API token must never reach the log, an output or the job summary: not whole, not in part,
// not encoded. The runner masks only the exact strings it is given, so the step registers every
// form of the token that the action or a server's page could print (as it is, URL-encoded,
// JSON-escaped, as quote() escapes it, and base64 at each of its three alignments), and scrubs
// any piece of those long enough to read from every text it hands the runner: an excerpt cut
// mid-token, a gateway page that echoed part of it, a token pasted into another input.
import { escapeHtml, quote } from '../katapult/untrusted.ts'
import { URL_CREDENTIALS } from './connection-inputs.ts'
import type { Runner } from './runner.ts'

/**
 * The shortest piece of a secret that is scrubbed. Shorter pieces say too little of a random
 * token, and would match ordinary words; a secret shorter than this is no real token (a
 * placeholder such as `token`), and is left to the runner's mask.
 */
export const MIN_PIECE = 6

/** Base64 of the text's UTF-8 bytes, as a server would encode it. */
function base64(text: string): string {
  // btoa takes Latin-1 only; Buffer costs more to start, and is needed only past ASCII (where a
  // character takes more than one byte).
  return Buffer.byteLength(text) === text.length ? btoa(text) : Buffer.from(text).toString('base64')
}

/**
 * The characters of the secret's base64 at each alignment that depend on the secret alone: an
 * echo of `Bearer <token>` or of `user:<token>` in base64 holds one of them.
 */
function base64Forms(secret: string): string[] {
  const length = Buffer.byteLength(secret)
  return [0, 1, 2].map((shift) => {
    const encoded = base64('\0'.repeat(shift) + secret)
    // The first characters carry the bits of what came before; the last, of what comes after.
    const start = [0, 2, 3][shift] ?? 0
    const end = encoded.length - 4 + ([4, 1, 2][(shift + length) % 3] ?? 0)
    return encoded.slice(start, end)
  })
}

/** Percent-encoded as a form or a query would have it: encodeURIComponent's, and `!'()*~` too. */
const formEncoded = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * Every spelling of the secret that text could hold: as it is; percent-encoded (in either case
 * of hex, once or twice, as a form would); JSON-escaped, once or twice (an echo of JSON, quoted);
 * as quote() and the job summary's HTML escape it; in base64. For a token of letters and digits,
 * as Katapult's are, all but the base64 ones are the token itself.
 */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1)
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    formEncoded(secret),
    encodeURIComponent(encodeURIComponent(secret)),
    json,
    JSON.stringify(json).slice(1, -1),
    quote(secret).slice(1, -1),
    quote(json).slice(1, -1),
    escapeHtml(secret),
    ...base64Forms(secret),
  ]
  return [...new Set(forms)].filter((form) => form.length >= MIN_PIECE)
}

/**
 * The scan's stride and the anchors it looks for: any run of MIN_PIECE characters holds a run of
 * ANCHOR characters that starts at a multiple of STRIDE, so a text is looked at closely only where
 * such an anchor of a secret stands, and most texts are read a few characters at a time.
 */
const ANCHOR = 3
const STRIDE = MIN_PIECE - ANCHOR + 1

export class Secrets {
  /** Every form of every secret, apart: a piece of a secret is a run of one of them. */
  #forms = ''

  /** Adds a secret; returns its forms, for the runner's masker. */
  add(secret: string): string[] {
    if (secret.length < MIN_PIECE) return []
    const forms = secretForms(secret)
    this.#forms += `\0${forms.join('\0')}`
    return forms
  }

  /** The text with every run of characters that spells a piece of a secret replaced by `***`. */
  scrub(text: string): string {
    if (this.#forms === '' || text.length < MIN_PIECE) return text
    let covered: Uint8Array | undefined
    for (let anchor = 0; anchor + ANCHOR <= text.length; anchor += STRIDE) {
      if (!this.#forms.includes(text.slice(anchor, anchor + ANCHOR))) continue
      // The pieces that could hold this anchor start at most MIN_PIECE - ANCHOR characters before it.
      for (let i = Math.max(0, anchor - MIN_PIECE + ANCHOR); i <= anchor && i + MIN_PIECE <= text.length; i++) {
        if (!this.#forms.includes(text.slice(i, i + MIN_PIECE))) continue
        covered ??= new Uint8Array(text.length)
        covered.fill(1, i, i + MIN_PIECE)
      }
    }
    if (!covered) return text
    let scrubbed = ''
    for (let i = 0; i < text.length; i++) {
      if (!covered[i]) scrubbed += text[i] ?? ''
      else if (!covered[i - 1]) scrubbed += '***'
    }
    return scrubbed
  }
}

/** The password of a URL written with credentials, even one too malformed to parse. */
function urlPassword(text: string): string | undefined {
  const userinfo = URL_CREDENTIALS.exec(text)?.[2]
  const colon = userinfo?.indexOf(':') ?? -1
  return userinfo === undefined || colon < 0 ? undefined : userinfo.slice(colon + 1)
}

/**
 * Masks the step's secrets before anything can print them: the API token (line by line too, for
 * a secret pasted with a line break, since the runner masks each log line on its own), and the
 * password of an api-url written with credentials, which the inputs refuse without printing it.
 */
export function maskSecrets(runner: Runner): Secrets {
  const secrets = new Secrets()
  const token = runner.getInput('api-token')
  const lines = token.split(/\r?\n|\r/).map((line) => line.trim())
  const password = urlPassword(runner.getInput('api-url'))
  for (const secret of [token, ...(lines.length > 1 ? lines : []), ...(password ? [password] : [])]) {
    if (!secret) continue
    runner.setSecret(secret)
    for (const form of secrets.add(secret)) if (form !== secret) runner.setSecret(form)
  }
  return secrets
}

/** The runner, with every text it shows or hands on (log, outputs, summary) scrubbed of the secrets. */
export function scrubbing(runner: Runner, secrets: Secrets): Runner {
  const scrub = (text: string): string => secrets.scrub(text)
  return {
    ...runner,
    setOutput: (name, value) => {
      runner.setOutput(name, scrub(value))
    },
    info: (message) => {
      runner.info(scrub(message))
    },
    warning: (message) => {
      runner.warning(scrub(message))
    },
    debug: (message) => {
      runner.debug(scrub(message))
    },
    setFailed: (message) => {
      runner.setFailed(scrub(message))
    },
    appendSummary: (html) => {
      runner.appendSummary(scrub(html))
    },
  }
}
