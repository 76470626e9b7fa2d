// How the bundled action fails: bad inputs before any request, every documented Katapult error
// with its code, description and detail, answers that are not JSON, retries and timeouts.
import { describe, expect, it } from '@jest/globals'
import { TOKENS } from '../stand-in/katapult-stand-in.ts'
import {
  CREATE_ROUTE,
  LIST_ROUTE,
  UNAVAILABLE,
  baseInputs,
  errorsOf,
  rateLimited,
  step,
  useStandIn,
} from './support.ts'

const env = useStandIn()

describe('bad inputs', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['no api-token', { 'api-token': ' ' }, ['api-token: required']],
    [
      'both VM lookups',
      { 'virtual-machine-id': 'vm_web1' },
      ['set exactly one of virtual-machine-id, virtual-machine-fqdn'],
    ],
    ['no VM lookup', { 'virtual-machine-fqdn': '' }, ['set exactly one of virtual-machine-id, virtual-machine-fqdn']],
    ['both network lookups', { 'network-id': 'netw_1' }, ['set at most one of network-id, network-permalink']],
    [
      'a network and a virtual network',
      { 'virtual-network-id': 'vnet_1' },
      ['set either network-id / network-permalink or virtual-network-id'],
    ],
    [
      'no speed profile',
      { 'speed-profile-permalink': '' },
      ['set exactly one of speed-profile-id, speed-profile-permalink'],
    ],
    [
      'both speed profiles',
      { 'speed-profile-id': 'nsp_1' },
      ['set exactly one of speed-profile-id, speed-profile-permalink'],
    ],
    ['max-attempts 0', { 'max-attempts': '0' }, ['max-attempts: "0" is not a whole number of at least 1']],
    ['a bad request-timeout', { 'request-timeout': '-3' }, ['request-timeout: "-3" is not a number of seconds']],
    ['a bad allocate-ips', { 'allocate-ips': 'ipv4,ip6' }, ['allocate-ips: "ip6" is not an address family']],
    ['a bad boolean', { attach: 'yes' }, ['attach: "yes" is not a boolean']],
    [
      'reuse-existing without a network',
      { 'reuse-existing': 'true', 'network-permalink': '' },
      ['reuse-existing: set network-id'],
    ],
    [
      'several problems at once',
      { 'virtual-machine-fqdn': '', 'max-attempts': 'x', cleanup: 'maybe' },
      ['max-attempts: "x"', 'set exactly one of virtual-machine-id, virtual-machine-fqdn', 'cleanup: "maybe"'],
    ],
  ])('%s: fails naming the inputs, before any request', async (_name, change, messages) => {
    const result = await step('main', baseInputs(env.apiUrl, change))
    expect(result.exitCode).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toMatch(/^Invalid inputs:\n {2}- /)
    for (const message of messages) expect(errors).toContain(message)
    expect(env.standIn.requests).toEqual([])
    expect(result.outputs).toEqual({})
  })

  it('refuses plain http to a host that is not loopback, before the token is sent', async () => {
    const result = await step('main', baseInputs('http://api.katapult.io'))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(
      'api-url: http://api.katapult.io would send the API token unencrypted; use https://',
    )
  })

  it('masks the token before anything else, even when the inputs are bad', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': 'x' }))
    expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${TOKENS.valid}`)
  })
})

const documented: [string, Record<string, string>, () => void, string[]][] = [
  [
    '400 missing_api_token',
    {},
    () => {
      env.standIn.inject(LIST_ROUTE, {
        kind: 'respond',
        status: 400,
        body: {
          code: 'missing_api_token',
          description:
            'No API token was provided in the Authorization header. Ensure a token is provided prefixed with Bearer',
          detail: {},
        },
      })
    },
    ['answered 400 missing_api_token: No API token was provided', 'Check the secret passed as api-token'],
  ],
  [
    '403 invalid_api_token',
    { 'api-token': 'kat-expired-token-11' },
    () => undefined,
    ['answered 403 invalid_api_token: The API token provided was not valid', 'Check the secret passed as api-token'],
  ],
  [
    '403 invalid_capabilities_token',
    {},
    () => {
      env.standIn.inject(LIST_ROUTE, {
        kind: 'respond',
        status: 403,
        body: {
          code: 'invalid_capabilities_token',
          description:
            'The capabilities token provided was not valid (either not valid, expired or not signed by the correct key)',
          detail: {},
        },
      })
    },
    ['answered 403 invalid_capabilities_token: The capabilities token provided was not valid'],
  ],
  [
    '403 scope_not_granted',
    { 'api-token': TOKENS.readOnly },
    () => undefined,
    [
      'POST /core/v1/virtual_machines/virtual_machine/network_interfaces answered 403 scope_not_granted',
      'Missing scopes: virtual_machines, virtual_machines:network_interfaces.',
    ],
  ],
  [
    '403 unauthorized_network_for_api_token',
    { 'api-token': TOKENS.officeOnly },
    () => undefined,
    ['answered 403 unauthorized_network_for_api_token: Network is not allowed', 'The request came from 127.0.0.1'],
  ],
  [
    '404 virtual_machine_not_found',
    { 'virtual-machine-fqdn': 'db-9.example.com' },
    () => undefined,
    ['answered 404 virtual_machine_not_found: No virtual machine was found'],
  ],
  [
    '404 network_not_found',
    { 'network-permalink': 'nowhere' },
    () => undefined,
    ['answered 404 network_not_found: No network was found'],
  ],
  [
    '404 virtual_network_not_found',
    { 'network-permalink': '', 'virtual-network-id': 'vnet_gone' },
    () => undefined,
    ['answered 404 virtual_network_not_found: No virtual network was found'],
  ],
  [
    '404 network_speed_profile_not_found',
    { 'speed-profile-permalink': '100gbps' },
    () => undefined,
    ['answered 404 network_speed_profile_not_found: No network speed profile was found'],
  ],
  [
    '406 object_in_trash',
    { 'virtual-machine-fqdn': 'trashed.example.com' },
    () => undefined,
    [
      'answered 406 object_in_trash: The object found is in the trash',
      'In the trash: VirtualMachine vm_trashed (trash object trsh_vm0ld1, kept until 2026-12-31T00:00:00.000Z).',
    ],
  ],
  [
    '422 validation_error',
    { 'network-permalink': 'ams-public' },
    () => undefined,
    [
      'answered 422 validation_error: A validation error occurred',
      "  - Network Amsterdam Public is not in the virtual machine's data center (uk-lon-01)",
    ],
  ],
  [
    '429 rate_limit_reached',
    { 'max-attempts': '1' },
    () => {
      env.standIn.inject(CREATE_ROUTE, rateLimited(300))
    },
    ['answered 429 rate_limit_reached: You have reached the rate limit', 'The limit is 300 requests per minute'],
  ],
  [
    '503 service_unavailable',
    { 'max-attempts': '1' },
    () => {
      env.standIn.inject(CREATE_ROUTE, UNAVAILABLE)
    },
    ['answered 503 service_unavailable: The service is currently unavailable'],
  ],
]

describe('documented Katapult errors', () => {
  it.each(documented)(
    '%s fails the step with the status, code, description and detail',
    async (_name, change, arrange, messages) => {
      arrange()
      const result = await step('main', baseInputs(env.apiUrl, change))
      expect(result.exitCode).toBe(1)
      const errors = errorsOf(result)
      expect(errors).toMatch(/^Katapult API error: (GET|POST) \/core\/v1\//)
      for (const message of messages) expect(errors).toContain(message)
      expect(result.outputs).toEqual({})
    },
  )
})

describe('answers that are not Katapult JSON', () => {
  it('fails with the status and a short excerpt of an HTML error page', async () => {
    const page = `<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>${'<p>oops</p>'.repeat(100)}</body></html>`
    env.standIn.inject(LIST_ROUTE, { kind: 'respond', status: 500, body: page })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toContain(
      'answered 500 Internal Server Error with a body that is not Katapult\'s JSON (text/html): "<!DOCTYPE html><html><head><title>500 Internal Server Error',
    )
    expect(errors.length).toBeLessThan(400)
    expect(errors).not.toContain('SyntaxError')
  })

  it('retries a GET whose body was cut short, then succeeds', async () => {
    env.standIn.inject(LIST_ROUTE, { kind: 'respond', status: 200, body: '{"virtual_machine_network_interfaces": [' })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(LIST_ROUTE)).toHaveLength(2)
  })
})

describe('retries', () => {
  it('retries 429 and 503 with backoff when there is no Retry-After, logging each retry', async () => {
    env.standIn.inject(CREATE_ROUTE, rateLimited(), UNAVAILABLE)
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(3)
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(2)
    const retries = result.stdout.split('\n').filter((line) => line.includes('retrying'))
    expect(retries).toEqual([
      expect.stringMatching(
        /^POST \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces: attempt 1 of 5 failed \(429 rate_limit_reached\); retrying in [0-2]\.\d\ds \(backoff\)$/,
      ),
      expect.stringMatching(
        /: attempt 2 of 5 failed \(503 service_unavailable\); retrying in [0-5]\.\d\ds \(backoff\)$/,
      ),
    ])
  })

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    env.standIn.inject(
      CREATE_ROUTE,
      { ...rateLimited(), headers: { 'Retry-After': '1' } },
      { ...UNAVAILABLE, headers: { 'Retry-After': new Date(Date.now() - 5000).toUTCString() } },
    )
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('attempt 1 of 5 failed (429 rate_limit_reached); retrying in 1.00s (Retry-After)')
    expect(result.stdout).toContain('attempt 2 of 5 failed (503 service_unavailable); retrying in 0.00s (Retry-After)')
    const [first, second] = env.standIn.requestsTo(CREATE_ROUTE)
    expect(first && second).toBeTruthy()
    expect(result.durationMs).toBeGreaterThanOrEqual(1000)
  })

  it('stops after max-attempts and reports the last error', async () => {
    env.standIn.inject(CREATE_ROUTE, rateLimited(), rateLimited(), rateLimited())
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '2' }))
    expect(result.exitCode).toBe(1)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(2)
    expect(result.stdout).toContain('attempt 2 of 2 failed (429 rate_limit_reached); giving up')
    expect(errorsOf(result)).toContain('answered 429 rate_limit_reached')
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })

  it('does not retry other client errors', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'network-permalink': 'ams-public' }))
    expect(result.exitCode).toBe(1)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
  })

  it('abandons a request with no answer within request-timeout', async () => {
    env.standIn.inject(LIST_ROUTE, { kind: 'hang', when: 'before' })
    const result = await step('main', baseInputs(env.apiUrl, { 'request-timeout': '0.5', 'max-attempts': '1' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toBe(
      'GET /core/v1/virtual_machines/virtual_machine/network_interfaces got no complete answer: no complete answer within 0.5s (request-timeout)',
    )
    expect(result.durationMs).toBeLessThan(5000)
  })

  it('retries a GET that timed out', async () => {
    env.standIn.inject(LIST_ROUTE, { kind: 'hang', when: 'before' })
    const result = await step('main', baseInputs(env.apiUrl, { 'request-timeout': '0.5' }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(LIST_ROUTE)).toHaveLength(2)
  })
})
