// The step's secrets: every form of them masked with the runner, and any readable piece of any
// form scrubbed from what the step prints.
import { describe, expect, it } from '@jest/globals'
import { Secrets, maskSecrets, secretForms } from '../../src/action/secrets.ts'
import { escapeHtml } from '../../src/katapult/untrusted.ts'
import { recordingRunner } from '../support/recording-runner.ts'
import { readablePieces } from '../support/secret-checks.ts'

/** A token with every kind of character an encoding changes: HTML's, JSON's, a URL's, quote()'s `::`. */
const TOKEN = `Xq7v&K2m'Lp9<Rw4"ZtB8+nYc/3Hd!J6s(Fg)1aUe::x`

describe('maskSecrets', () => {
  it('masks the token, each line of a multi-line secret, and every encoded form', () => {
    const one = recordingRunner({ 'api-token': ' one-line-secret ' })
    maskSecrets(one)
    expect(one.recorded.stdout.split('\n')).toContain('::add-mask::one-line-secret')
    expect(one.recorded.stdout).toContain(`::add-mask::${Buffer.from('one-line-secret').toString('base64')}`)
    const two = recordingRunner({ 'api-token': 'first-line\r\nsecond-line' })
    maskSecrets(two)
    expect(two.recorded.stdout).toContain('::add-mask::first-line%0D%0Asecond-line\n')
    expect(two.recorded.stdout).toContain('::add-mask::first-line\n')
    expect(two.recorded.stdout).toContain('::add-mask::second-line\n')
  })

  it('masks the password of an api-url written with credentials, even one that does not parse', () => {
    const runner = recordingRunner({ 'api-token': TOKEN, 'api-url': 'https://probe:hunter2-long@katapult test/' })
    const secrets = maskSecrets(runner)
    expect(runner.recorded.stdout).toContain('::add-mask::hunter2-long\n')
    expect(secrets.scrub('password hunter2-long')).toBe('password ***')
  })
})

describe('Secrets.scrub', () => {
  const secrets = new Secrets()
  secrets.add(TOKEN)

  it.each([
    ['whole', TOKEN],
    ['URL-encoded', encodeURIComponent(TOKEN)],
    ['URL-encoded in lower case', encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())],
    ['URL-encoded twice', encodeURIComponent(encodeURIComponent(TOKEN))],
    ['form-encoded', new URLSearchParams({ t: TOKEN }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(TOKEN)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(TOKEN))],
    ['HTML-escaped, as the job summary escapes text', escapeHtml(TOKEN)],
    ['base64', Buffer.from(TOKEN).toString('base64')],
    ['base64 after a prefix', Buffer.from(`Bearer ${TOKEN}`).toString('base64')],
    ['base64 after another prefix', Buffer.from(`user:${TOKEN}`).toString('base64')],
    ['cut to its first 10 characters', TOKEN.slice(0, 10)],
    ['quoted with its :: escaped', ':\\u003ax'.replace(':', TOKEN.slice(-10, -3))],
  ])('leaves no readable piece of the token %s', (_name, form) => {
    const scrubbed = secrets.scrub(`before ${form} after`)
    expect(scrubbed).toMatch(/^before .*\*\*\*.* after$/)
    expect(readablePieces(scrubbed, TOKEN)).toEqual([])
  })

  it('scrubs a token of any characters, beyond Latin-1 too, in base64', () => {
    const unusual = new Secrets()
    const token = 'Tq7vK2mLp9’Rw4ZtB8nYc3HdJ6sFg1aUe'
    unusual.add(token)
    const scrubbed = unusual.scrub(`echo ${Buffer.from(token).toString('base64')} echo`)
    expect(scrubbed).toMatch(/^echo \*\*\*.* echo$/)
  })

  it('leaves text without a piece of a secret as it is', () => {
    expect(secrets.scrub('api-token: required; pass a Katapult API token')).toBe(
      'api-token: required; pass a Katapult API token',
    )
  })

  it('leaves a placeholder shorter than a readable piece to the runner’s mask', () => {
    const short = new Secrets()
    expect(short.add('token')).toEqual([])
    expect(short.scrub('invalid_api_token')).toBe('invalid_api_token')
  })

  it('knows the forms the runner must mask', () => {
    expect(secretForms(TOKEN)).toEqual(
      expect.arrayContaining([
        TOKEN,
        encodeURIComponent(TOKEN),
        JSON.stringify(TOKEN).slice(1, -1).replace('::', ':\\u003a'),
        escapeHtml(TOKEN),
      ]),
    )
  })
})
