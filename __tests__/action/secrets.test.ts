import { describe, expect, it } from '@jest/globals'
import { MIN_PIECE, Secrets, maskSecrets, secretForms } from '../../src/action/secrets.ts'
import { recordingRunner } from '../support/recording-runner.ts'

const TOKEN = 'Xq7vK2mLp9Rw4ZtB8nYc3HdJ6sFg1aUe::x'

/** Every run of MIN_PIECE characters of `text`. */
const pieces = (text: string): string[] =>
  Array.from({ length: text.length - MIN_PIECE + 1 }, (_, i) => text.slice(i, i + MIN_PIECE))

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
    ['JSON-escaped', JSON.stringify(TOKEN)],
    ['base64', Buffer.from(TOKEN).toString('base64')],
    ['base64 after a prefix', Buffer.from(`Bearer ${TOKEN}`).toString('base64')],
    ['base64 after another prefix', Buffer.from(`user:${TOKEN}`).toString('base64')],
    ['cut to its first 10 characters', TOKEN.slice(0, 10)],
    ['quoted with its :: escaped', ':\\u003ax'.replace(':', TOKEN.slice(-10, -3))],
  ])('leaves no readable piece of the token %s', (_name, form) => {
    const scrubbed = secrets.scrub(`before ${form} after`)
    expect(scrubbed).toMatch(/^before .*\*\*\*.* after$/)
    for (const piece of pieces(TOKEN)) expect(scrubbed).not.toContain(piece)
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
      expect.arrayContaining([TOKEN, encodeURIComponent(TOKEN), TOKEN.replace('::', ':\\u003a')]),
    )
  })
})
