// The token, and an api-url's password, never reach the log, an output, the state or the summary:
// not whole, not in part, not encoded. step() checks every run for any readable piece of them, as
// they are, URL-encoded, JSON-escaped or in base64; these are the runs most likely to leak one.
import { describe, expect, it } from '@jest/globals'
import { LIST_ROUTE, baseInputs, errorsOf, step, useStandIn } from './support.ts'

const env = useStandIn()
/** A token with the characters that encodings change, and `::`, which quoting escapes. */
const TOKEN = 'kT+9/xQ=2mL::p7Rw4ZtB8nYc3HdJ6sFgWq'
/** A gateway's page that echoes the request, `echo` placed so that the 200-character excerpt cuts it 20 characters in. */
function gatewayPage(before: string, echo: string): string {
  const lead = '<html><body>Bad Gateway '
  return `${lead}${'x'.repeat(180 - lead.length - before.length)}${before}${echo} more</body></html>`
}

describe('what a page or a mistake could print', () => {
  it('names a malformed api-url without the password it holds', async () => {
    const result = await step('main', baseInputs('https://probe:Pw4rd9Kx2mZq7Lt@katapult test/'))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('api-url: "https://***@katapult test/" is not a URL')
    expect(env.standIn.requests).toEqual([])
  })

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
    const result = await step('main', baseInputs(env.apiUrl, { 'api-token': TOKEN, 'max-attempts': '1' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toMatch(
      /answered 502 Bad Gateway with a body that is not Katapult's JSON \(text\/html\): ".*\*\*\*/,
    )
  })

  it('scrubs a token pasted into another input too, though quoting escapes its ::', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'api-token': TOKEN, 'virtual-machine-fqdn': TOKEN }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('virtual-machine-fqdn: "***"')
  })

  it.each(['a', 'id', 'token'])(
    'reads Katapult’s answer to a placeholder token (%s) before anything is scrubbed from it',
    async (placeholder) => {
      const result = await step('main', baseInputs(env.apiUrl, { 'api-token': placeholder }))
      expect(result.exitCode).toBe(1)
      expect(errorsOf(result)).toContain('answered 403 invalid_api_token')
      expect(errorsOf(result)).toContain('Check the secret passed as api-token')
    },
  )
})
