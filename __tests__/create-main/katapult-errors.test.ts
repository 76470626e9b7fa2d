// How the main step fails on Katapult's answers: every documented Katapult error (in the wrapped
// form the API sends, and in the top-level form its document shows) with its code, description
// and detail, and answers that are not its JSON.
import { describe, expect, it } from '@jest/globals'
import { type KatapultStandIn, type StandInOptions, TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { scopeSentence } from '../../src/action/scopes.ts'
import { step } from '../support/in-process-step.ts'
import { CREATE_ROUTE, LIST_ROUTE, UNAVAILABLE, baseInputs, rateLimited, useStandIn } from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

type Arrange = (standIn: KatapultStandIn) => void

/** [name, input changes, what the stand-in does, what the error says]: one per documented code. */
const documented: [string, Record<string, string>, Arrange, string[]][] = [
  [
    '400 missing_api_token',
    {},
    (standIn) => {
      standIn.inject(LIST_ROUTE, {
        kind: 'error',
        status: 400,
        code: 'missing_api_token',
        description:
          'No API token was provided in the Authorization header. Ensure a token is provided prefixed with Bearer',
      })
    },
    ['answered 400 missing_api_token: "No API token was provided', 'Check the secret passed as api-token'],
  ],
  [
    '403 invalid_api_token',
    { 'api-token': 'Ex9pD3rT6yQ2wL8mK5vN1bZ4cH7jF0sA' },
    () => undefined,
    ['answered 403 invalid_api_token: "The API token provided was not valid', 'Check the secret passed as api-token'],
  ],
  [
    '403 invalid_capabilities_token',
    {},
    (standIn) => {
      standIn.inject(LIST_ROUTE, {
        kind: 'error',
        status: 403,
        code: 'invalid_capabilities_token',
        description:
          'The capabilities token provided was not valid (either not valid, expired or not signed by the correct key)',
      })
    },
    ['answered 403 invalid_capabilities_token: "The capabilities token provided was not valid'],
  ],
  [
    '403 scope_not_granted',
    { 'api-token': TOKENS.readOnly },
    () => undefined,
    [
      'POST /core/v1/virtual_machines/virtual_machine/network_interfaces answered 403 scope_not_granted',
      'Missing scopes: "virtual_machines", "virtual_machines:network_interfaces".',
      'POST /core/v1/virtual_machines/virtual_machine/network_interfaces needs virtual_machines:network_interfaces (or virtual_machines).',
      `The create action needs ${scopeSentence('create')}.`,
    ],
  ],
  [
    '403 permission_denied',
    {},
    (standIn) => {
      standIn.inject(CREATE_ROUTE, {
        kind: 'error',
        status: 403,
        code: 'permission_denied',
        description: 'The authenticated identity is not permitted to perform this action',
        detail: { details: 'Additional information regarding the reason why permission was denied' },
      })
    },
    [
      'answered 403 permission_denied: "The authenticated identity is not permitted to perform this action"',
      '  "Additional information regarding the reason why permission was denied"',
      "The token is valid but its user may not do this: check that the token's organisation owns the virtual machine",
    ],
  ],
  [
    '403 unauthorized_network_for_api_token',
    { 'api-token': TOKENS.officeOnly },
    () => undefined,
    ['answered 403 unauthorized_network_for_api_token: "Network is not allowed', 'The request came from 127.0.0.1'],
  ],
  [
    '404 virtual_machine_not_found',
    { 'virtual-machine-fqdn': 'db-9.example.com' },
    () => undefined,
    [
      'virtual-machine-fqdn: Katapult has no virtual machine "db-9.example.com"',
      'answered 404 virtual_machine_not_found: "No virtual machine was found',
    ],
  ],
  [
    '404 network_not_found',
    { 'virtual-network-id': '', 'network-permalink': 'nowhere' },
    () => undefined,
    ['network-permalink: Katapult has no network "nowhere"', 'answered 404 network_not_found: "No network was found'],
  ],
  [
    '404 virtual_network_not_found',
    { 'virtual-network-id': 'vnet_gone' },
    () => undefined,
    [
      'virtual-network-id: Katapult has no virtual network "vnet_gone"',
      'answered 404 virtual_network_not_found: "No virtual network was found',
    ],
  ],
  [
    '404 network_speed_profile_not_found',
    { 'speed-profile-permalink': '100gbps' },
    () => undefined,
    [
      'speed-profile-permalink: Katapult has no network speed profile "100gbps"',
      'answered 404 network_speed_profile_not_found: "No network speed profile was found',
    ],
  ],
  [
    '406 object_in_trash',
    { 'virtual-machine-fqdn': 'trashed.example.com' },
    () => undefined,
    [
      'answered 406 object_in_trash: "The object found is in the trash',
      '(trash object trsh_vm0ld1, kept until 2026-12-31T00:00:00.000Z).',
      'Restore it from the trash in Katapult',
    ],
  ],
  [
    '422 validation_error',
    { 'virtual-network-id': '', 'network-permalink': 'eu-ams-01' },
    () => undefined,
    [
      'answered 422 validation_error: "A validation error occurred',
      `  - "Network Public Network - AMS is not in the virtual machine's data center (uk-lon-01)"`,
    ],
  ],
  [
    '429 rate_limit_reached',
    { 'max-attempts': '1' },
    (standIn) => {
      standIn.inject(CREATE_ROUTE, rateLimited(300))
    },
    ['answered 429 rate_limit_reached: "You have reached the rate limit', 'The limit is 300 requests a minute'],
  ],
  [
    '503 service_unavailable',
    { 'max-attempts': '1' },
    (standIn) => {
      standIn.inject(CREATE_ROUTE, UNAVAILABLE)
    },
    ['answered 503 service_unavailable: "The service is currently unavailable'],
  ],
]

describe.each<[string, StandInOptions]>([
  ['wrapped in {"error":{…}}, as api.katapult.io sends them', {}],
  ['with the fields at the top level, as the published document shows them', { errorForm: 'top-level' }],
])('documented Katapult errors %s', (_form, options) => {
  const env = useStandIn(options)

  it.each(documented)(
    '%s fails the step with the status, code, description and detail',
    async (_name, change, arrange, messages) => {
      arrange(env.standIn)
      const result = await step('main', baseInputs(env.apiUrl, change))
      expect(result.exitCode).toBe(1)
      const errors = errorsOf(result)
      // A lookup that found nothing names its input first; every other error starts with the request.
      expect(errors).toMatch(/^(Katapult API error: (GET|POST) \/core\/v1\/|[a-z-]+: Katapult has no )/)
      for (const message of messages) expect(errors).toContain(message)
      expect(result.outputs).toEqual({})
    },
  )
})

describe('answers that are not Katapult JSON', () => {
  const env = useStandIn()

  it('fails with the status and a short quoted excerpt of an HTML error page', async () => {
    const page = `<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>${'<p>oops</p>'.repeat(100)}</body></html>`
    env.standIn.inject(LIST_ROUTE, { kind: 'respond', status: 500, body: page })
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '1' }))
    expect(result.exitCode).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toContain(
      'answered 500 Internal Server Error with a body that is not Katapult\'s JSON (text/html): "<!DOCTYPE html><html><head><title>500 Internal Server Error',
    )
    expect(errors.length).toBeLessThan(400)
    expect(errors).not.toContain('SyntaxError')
  })

  it('reports a JSON error body of neither form with its status and an excerpt', async () => {
    env.standIn.inject(LIST_ROUTE, { kind: 'respond', status: 404, body: { message: 'Not here' } })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toBe(
      'GET /core/v1/virtual_machines/virtual_machine/network_interfaces answered 404 Not Found with a body that is ' +
        'not Katapult\'s JSON (application/json): "{\\"message\\":\\"Not here\\"}"',
    )
  })

  it('retries a GET whose body was cut short, then succeeds', async () => {
    env.standIn.inject(LIST_ROUTE, { kind: 'respond', status: 200, body: '{"virtual_machine_network_interfaces": [' })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(LIST_ROUTE)).toHaveLength(2)
  })
})
