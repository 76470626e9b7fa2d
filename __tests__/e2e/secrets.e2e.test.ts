// The token, and an api-url's password, never reach the log, an output, the state or the summary:
// not whole, not in part, not encoded. checkEveryStep (support/every-step.ts) checks every run for
// any readable piece of them, as they are, URL-encoded, JSON-escaped or in base64; these are the
// runs most likely to leak one.
import { describe, expect, it } from '@jest/globals'
import { TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { bundledStep } from '../support/bundled-step.ts'
import { baseInputs, CREATE_ROUTE, LIST_ROUTE, useStandIn } from '../support/stand-in.ts'
import { errorsOf, printedLines } from '../support/step-log.ts'

const env = useStandIn()

/** A token with the characters that encodings change, and `::`, which quoting escapes. */
const TOKEN = 'kT+9/xQ=2mL::p7Rw4ZtB8nYc3HdJ6sFgWq'

/** A gateway's page that echoes the request, `echo` placed so that the 200-character excerpt cuts it 20 characters in. */
function gatewayPage(before: string, echo: string): string {
  const lead = '<html><body>Bad Gateway '
  return `${lead}${'x'.repeat(180 - lead.length - before.length)}${before}${echo} more</body></html>`
}

describe('what a page or a mistake could print', () => {
  it.each(['Pw4rd9Kx2mZq7Lt', 'Xk9/Qz7Lm2Wp', 'Ab3#Qz7Lm2Wp', 'Ab3?Qz7Lm2Wp'])(
    'names a malformed api-url without the password it holds (%s)',
    async (password) => {
      const result = await bundledStep('main', baseInputs(`https://probe:${password}@katapult test/`))
      expect(result.exitCode).toBe(1)
      expect(errorsOf(result)).toContain('api-url: "https://***@katapult test/" is not a URL')
      expect(result.stdout).toContain(`::add-mask::${password.replace(/%/g, '%25')}\n`)
      expect(env.standIn.requests).toEqual([])
    },
  )

  it.each([
    ['a token', { 'api-token': 'Tq7vK2mLp9’Rw4ZtB8nYc3HdJ6sFg1aUe' }],
    ['an api-url password', { 'api-url': 'https://probe:Pw4rd9€Kx2mZq7@katapult.example' }],
  ])(
    'refuses %s with a character beyond Latin-1 as an input, in every step, with no stack trace',
    async (_what, change) => {
      const inputs = baseInputs(env.apiUrl, change)
      const main = await bundledStep('main', inputs)
      expect(main.exitCode).toBe(1)
      expect(errorsOf(main)).toMatch(/^Invalid inputs:\n {2}- (api-token: holds a space|api-url: give only the scheme)/)
      const post = await bundledStep('post', inputs, {
        state: { 'interface-id': 'vmnet_Pq8cW2nR5tY7zK3m', created: 'true' },
      })
      expect(post.exitCode).toBe(0)
      expect(env.standIn.requests).toEqual([])
    },
  )

  it.each([
    ['URL-encoded', 'token=', encodeURIComponent(TOKEN)],
    ['in base64', 'credentials ', Buffer.from(`api:${TOKEN}`).toString('base64')],
    ['JSON-escaped', '{"token":', JSON.stringify(TOKEN)],
  ])('scrubs a gateway page that echoes the token %s, cut by the excerpt', async (_name, before, echo) => {
    env.standIn.inject(LIST_ROUTE, {
      kind: 'respond',
      status: 502,
      body: gatewayPage(before, echo),
      headers: { 'Content-Type': 'text/html' },
    })
    const result = await bundledStep('main', baseInputs(env.apiUrl, { 'api-token': TOKEN, 'max-attempts': '1' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toMatch(
      /answered 502 Bad Gateway with a body that is not Katapult's JSON \(text\/html\): ".*\*\*\*/,
    )
  })

  it('scrubs a token pasted into another input too, though quoting escapes its ::', async () => {
    const result = await bundledStep(
      'main',
      baseInputs(env.apiUrl, { 'api-token': TOKEN, 'virtual-machine-fqdn': TOKEN }),
    )
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('virtual-machine-fqdn: "***"')
  })

  it.each(['a', 'id', 'token'])(
    'reads Katapult’s answer to a placeholder token (%s) before anything is scrubbed from it',
    async (placeholder) => {
      const result = await bundledStep('main', baseInputs(env.apiUrl, { 'api-token': placeholder }))
      expect(result.exitCode).toBe(1)
      expect(errorsOf(result)).toContain('answered 403 invalid_api_token')
      expect(errorsOf(result)).toContain('Check the secret passed as api-token')
    },
  )
})

describe('a server page that echoes the request', () => {
  it('prints no fragment of the token, however the page is cut', async () => {
    // A proxy's 502 page that echoes the request's headers, the token 190 characters in: a cut
    // at 200 characters would keep its first 10.
    const page = `<html><body><h1>502 Bad Gateway</h1><pre>${'x'.repeat(120)} Authorization: Bearer ${TOKENS.valid}\nAuthorization: Bearer ${TOKENS.valid}</pre></body></html>`
    env.standIn.inject(LIST_ROUTE, { kind: 'respond', status: 502, body: page })
    const result = await bundledStep('main', baseInputs(env.apiUrl, { 'max-attempts': '1' }))
    expect(result.exitCode).toBe(1)
    const log = printedLines(result).join('\n')
    for (let start = 0; start + 6 <= TOKENS.valid.length; start++) {
      expect(log).not.toContain(TOKENS.valid.slice(start, start + 6))
    }
    expect(errorsOf(result)).toContain('Authorization: Bearer ***')
  })

  it('prints no Bearer credential of any token', async () => {
    const other = 'Ot8hR3sT5kN2qW7vZ4mB9cX6'
    env.standIn.inject(CREATE_ROUTE, {
      kind: 'error',
      status: 400,
      code: 'missing_api_token',
      description: `Bad header: Bearer ${other}`,
    })
    const result = await bundledStep('main', baseInputs(env.apiUrl))
    expect(printedLines(result).join('\n')).not.toContain(other)
    expect(errorsOf(result)).toContain('Bad header: Bearer ***')
  })
})
