// What a user reads when a step fails: Katapult's code and description, the detail that helps,
// what to do; bounded, whatever the answer holds.
import { describe, expect, it } from '@jest/globals'
import { describeFailure } from '../../src/action/failure-messages.ts'
import { scopeSentence } from '../../src/action/scopes.ts'
import { htmlPage, katapultError, transportFailure } from '../support/client-errors.ts'

describe('describeFailure', () => {
  it('lists each validation error, quoted', () => {
    expect(
      describeFailure(
        katapultError(422, 'validation_error', { detail: { errors: ['Name is too long', 'Network is invalid'] } }),
      ),
    ).toBe(
      [
        'Katapult API error: POST /core/v1/x answered 422 validation_error: "about validation_error"',
        '  - "Name is too long"',
        '  - "Network is invalid"',
      ].join('\n'),
    )
  })

  it('names the trashed object and how to restore it', () => {
    const message = describeFailure(
      katapultError(406, 'object_in_trash', {
        detail: {
          trash_object: { id: 'trsh_1', keep_until: 1_798_675_200, object_id: 'vm_1', object_type: 'VirtualMachine' },
        },
      }),
    )
    expect(message).toContain(
      'In the trash: "VirtualMachine" vm_1 (trash object trsh_1, kept until 2026-12-31T00:00:00.000Z)',
    )
    expect(message).toContain('Restore it from the trash')
  })

  it('still says how to restore a trashed object when the detail is empty, as Katapult sends it', () => {
    expect(describeFailure(katapultError(406, 'object_in_trash'))).toBe(
      'Katapult API error: POST /core/v1/x answered 406 object_in_trash: "about object_in_trash"\n' +
        '  Restore it from the trash in Katapult, or point the action at another object.',
    )
  })

  it('names the address refused for the token', () => {
    expect(
      describeFailure(
        katapultError(403, 'unauthorized_network_for_api_token', { detail: { ip_address: '203.0.113.9' } }),
      ),
    ).toContain('The request came from 203.0.113.9')
  })

  it('names the missing scopes, what this request needs and what the action needs for each input', () => {
    const refused = katapultError(403, 'scope_not_granted', {
      request: 'POST /core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface/attach',
      description: 'not granted',
      detail: { scopes: ['tasks:read'] },
    })
    expect(describeFailure(refused, 'create').split('\n').slice(1)).toEqual([
      '  Missing scope: "tasks:read".',
      '  POST /core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface/attach needs virtual_machines:network_interfaces (or virtual_machines).',
      `  The create action needs ${scopeSentence('create')}.`,
    ])
  })

  it('explains permission_denied with its details', () => {
    const message = describeFailure(katapultError(403, 'permission_denied', { detail: { details: 'Not your VM' } }))
    expect(message).toContain('  "Not your VM"')
    expect(message).toContain('The token is valid but its user may not do this')
  })

  it('points at the api-token secret for token errors', () => {
    for (const code of ['invalid_api_token', 'missing_api_token']) {
      expect(describeFailure(katapultError(403, code))).toContain('Check the secret passed as api-token')
    }
  })

  it('gives the rate limit', () => {
    expect(describeFailure(katapultError(429, 'rate_limit_reached', { detail: { total_permitted: 1000 } }))).toContain(
      'The limit is 1000 requests a minute',
    )
  })

  it('shows the details of other errors', () => {
    expect(describeFailure(katapultError(406, 'task_queueing_error', { detail: { details: 'Queue full' } }))).toContain(
      '  "Queue full"',
    )
    expect(describeFailure(katapultError(404, 'virtual_machine_not_found'))).toBe(
      'Katapult API error: POST /core/v1/x answered 404 virtual_machine_not_found: "about virtual_machine_not_found"',
    )
  })

  it('makes workflow commands in every string of the error inert', () => {
    const hostile = katapultError(422, 'validation_error', {
      description: 'bad\n::add-mask::everything',
      detail: { errors: ['##[save-state name=allocated-ip-ids]["ip_x"]', 'a\r\n::stop-commands::t'] },
    })
    const message = describeFailure(hostile)
    for (const line of message.split('\n')) {
      expect(line.trimStart().startsWith('::')).toBe(false)
      expect(line).not.toContain('##[')
    }
    expect(message).toContain('"bad\\n:\\u003aadd-mask:\\u003aeverything"')
  })

  it('shows a short quoted excerpt of an answer that is not JSON', () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(500)}</body></html>`
    const message = describeFailure(htmlPage(502, page))
    expect(message).toMatch(
      /^POST \/core\/v1\/x answered 502 Bad Gateway with a body that is not Katapult's JSON \(text\/html\): "<html><head><title>502 Bad Gateway/,
    )
    expect(message.length).toBeLessThan(400)
  })

  it('says what went wrong with the connection, and names api-url', () => {
    const refused = transportFailure('ECONNREFUSED', false, 'connect ECONNREFUSED 127.0.0.1:9', {
      request: 'GET /core/v1/x',
      destination: { origin: 'http://127.0.0.1:9', proxy: undefined },
    })
    expect(describeFailure(refused)).toBe(
      [
        'GET /core/v1/x got no complete answer: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9',
        "  Check api-url (http://127.0.0.1:9): its host and port must reach Katapult's API.",
      ].join('\n'),
    )
  })

  it('keeps the code and description when a trash date is beyond the calendar', () => {
    const message = describeFailure(
      katapultError(406, 'object_in_trash', {
        detail: { trash_object: { object_type: 'VirtualMachine', object_id: 'vm_1', keep_until: 1e13 } },
      }),
    )
    expect(message).toContain('answered 406 object_in_trash: "about object_in_trash"')
    expect(message).toContain('In the trash: "VirtualMachine" vm_1')
    expect(message).not.toContain('kept until')
  })

  it.each<[string, object]>([
    ['50,000 missing scopes', { scopes: Array.from({ length: 50_000 }, (_, n) => `scope_${n}`) }],
    ['one scope of 200 KB', { scopes: ['s'.repeat(200_000)] }],
    ['details of 200 KB', { details: 'd'.repeat(200_000) }],
    [
      'a trashed object named in 200 KB',
      { trash_object: { object_type: 't'.repeat(200_000), object_id: 'x'.repeat(200_000) } },
    ],
    ['validation errors of control characters', { errors: Array.from({ length: 50 }, () => '\u0001'.repeat(5000)) }],
  ])('stays short whatever the detail holds: %s', (_name, detail) => {
    for (const code of [
      'scope_not_granted',
      'permission_denied',
      'object_in_trash',
      'validation_error',
      'other_code',
    ]) {
      expect(describeFailure(katapultError(403, code, { detail }), 'create').length).toBeLessThan(4096)
    }
  })
})
