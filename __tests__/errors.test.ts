import { describe, expect, it } from '@jest/globals'
import { describeFailure } from '../src/katapult/errors.ts'
import { KatapultApiError, TransportError, UnexpectedResponseError } from '../src/katapult/client.ts'

const api = (status: number, code: string, detail: object = {}): KatapultApiError =>
  new KatapultApiError('POST /core/v1/x', status, { code, description: `about ${code}`, detail }, undefined)

describe('describeFailure', () => {
  it('lists each validation error', () => {
    expect(describeFailure(api(422, 'validation_error', { errors: ['Name is too long', 'Network is invalid'] }))).toBe(
      [
        'Katapult API error: POST /core/v1/x answered 422 validation_error: about validation_error',
        '  - Name is too long',
        '  - Network is invalid',
      ].join('\n'),
    )
  })

  it('names the trashed object and how to restore it', () => {
    const message = describeFailure(
      api(406, 'object_in_trash', {
        trash_object: { id: 'trsh_1', keep_until: 1_798_675_200, object_id: 'vm_1', object_type: 'VirtualMachine' },
      }),
    )
    expect(message).toContain(
      'In the trash: VirtualMachine vm_1 (trash object trsh_1, kept until 2026-12-31T00:00:00.000Z)',
    )
    expect(message).toContain('Restore it from the trash')
  })

  it('names the address refused for the token', () => {
    expect(describeFailure(api(403, 'unauthorized_network_for_api_token', { ip_address: '203.0.113.9' }))).toContain(
      'The request came from 203.0.113.9',
    )
  })

  it('names the missing scopes and the ones to grant', () => {
    const message = describeFailure(api(403, 'scope_not_granted', { scopes: ['virtual_machines:network_interfaces'] }))
    expect(message).toContain('Missing scope: virtual_machines:network_interfaces.')
    expect(message).toContain(
      'Grant the token virtual_machines (or virtual_machines:network_interfaces with virtual_machines:read)',
    )
  })

  it('points at the api-token secret for token errors', () => {
    for (const code of ['invalid_api_token', 'missing_api_token']) {
      expect(describeFailure(api(403, code))).toContain('Check the secret passed as api-token')
    }
  })

  it('gives the rate limit', () => {
    expect(describeFailure(api(429, 'rate_limit_reached', { total_permitted: 480 }))).toContain(
      'The limit is 480 requests per minute',
    )
  })

  it('shows the details of other errors', () => {
    expect(describeFailure(api(403, 'permission_denied', { details: 'Not your VM' }))).toContain('  Not your VM')
    expect(describeFailure(api(404, 'virtual_machine_not_found'))).toBe(
      'Katapult API error: POST /core/v1/x answered 404 virtual_machine_not_found: about virtual_machine_not_found',
    )
  })

  it('shows a short excerpt of an answer that is not JSON', () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(500)}</body></html>`
    const message = describeFailure(
      new UnexpectedResponseError('POST /core/v1/x', 502, 'Bad Gateway', 'text/html', page),
    )
    expect(message).toMatch(
      /^POST \/core\/v1\/x answered 502 Bad Gateway with a body that is not Katapult's JSON \(text\/html\): "<html><head><title>502 Bad Gateway/,
    )
    expect(message.length).toBeLessThan(400)
  })

  it('says what went wrong with the connection', () => {
    expect(
      describeFailure(new TransportError('GET /core/v1/x', 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9', false)),
    ).toBe('GET /core/v1/x got no complete answer: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9')
  })
})
