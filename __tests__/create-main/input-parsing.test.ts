// The create action's inputs as parseCreateSettings (src/create/inputs.ts) reads them: defaults,
// each problem named with its input and what to do, and the create request's body they give.
import { describe, expect, it } from '@jest/globals'
import { parseCreateSettings } from '../../src/create/inputs.ts'
import { createBody } from '../../src/create/create-or-reuse.ts'

const minimal = {
  'api-token': 'secret-token',
  'virtual-machine-fqdn': 'web-1.example.com',
  'network-permalink': 'uk-lon-01-public',
  'speed-profile-permalink': '1gbps',
}

/** The settings from these `with:` inputs, as the step reads them. */
function parse(inputs: Record<string, string>): ReturnType<typeof parseCreateSettings> {
  return parseCreateSettings((name) => inputs[name] ?? '', Object.keys(inputs))
}

function problemsOf(inputs: Record<string, string>): readonly string[] {
  try {
    parse(inputs)
  } catch (error) {
    const [heading, ...lines] = (error as Error).message.split('\n')
    if (heading === 'Invalid inputs:') return lines.map((line) => line.replace(/^ {2}- /, ''))
    throw error
  }
  throw new Error('the inputs were accepted')
}

describe('parseCreateSettings', () => {
  it('applies the defaults of api-url, max-attempts and request-timeout', () => {
    const settings = parse(minimal)
    expect(settings.apiBase).toBe('https://api.katapult.io/core/v1')
    expect(settings.maxAttempts).toBe(5)
    expect(settings.requestTimeoutMs).toBe(30_000)
    expect(settings.reuseExisting).toBe(false)
    expect(settings.allocateIps).toEqual([])
  })

  it('builds one lookup object per group given, each with exactly the key given, values trimmed', () => {
    const settings = parse({ ...minimal, 'virtual-machine-fqdn': '  web-1.example.com \n', 'network-id': '   ' })
    expect(createBody(settings)).toEqual({
      virtual_machine: { fqdn: 'web-1.example.com' },
      network: { permalink: 'uk-lon-01-public' },
      speed_profile: { permalink: '1gbps' },
    })
  })

  it('uses ids where ids are given, and a virtual network instead of a network', () => {
    const settings = parse({
      'api-token': 't',
      'virtual-machine-id': 'vm_1',
      'virtual-network-id': 'vnet_1',
      'speed-profile-id': 'nsp_1',
    })
    expect(createBody(settings)).toEqual({
      virtual_machine: { id: 'vm_1' },
      virtual_network: { id: 'vnet_1' },
      speed_profile: { id: 'nsp_1' },
    })
  })

  it('reports every problem at once, each naming its inputs', () => {
    const problems = problemsOf({
      'virtual-machine-id': 'vm_1',
      'virtual-machine-fqdn': 'web-1.example.com',
      'network-id': 'n1',
      'network-permalink': 'public',
      'max-attempts': '0',
      'request-timeout': 'soon',
    })
    expect(problems).toEqual([
      expect.stringContaining('api-token: required'),
      'max-attempts: "0" is not a whole number from 1 to 20',
      'request-timeout: "soon" is not a number of seconds above 0 and up to 3600',
      'set exactly one of virtual-machine-id, virtual-machine-fqdn (virtual-machine-id and virtual-machine-fqdn are set)',
      'set exactly one of network-id, network-permalink, virtual-network-id (network-id and network-permalink are set)',
      'set exactly one of speed-profile-id, speed-profile-permalink (none is set)',
    ])
  })

  it('takes a permalink of letters, digits, dots, dashes and underscores, and says so when refusing one', () => {
    expect(parse({ ...minimal, 'network-permalink': 'eu_ams.01' }).network.lookup).toEqual({
      permalink: 'eu_ams.01',
    })
    expect(problemsOf({ ...minimal, 'network-permalink': 'uk lon 01' })).toEqual([
      'network-permalink: "uk lon 01" is not a permalink (letters, digits, dots, dashes and underscores, e.g. uk-lon-01-public)',
    ])
  })

  it('counts whitespace-only values as unset', () => {
    expect(problemsOf({ ...minimal, 'virtual-machine-fqdn': '   ' })).toEqual([
      'set exactly one of virtual-machine-id, virtual-machine-fqdn (none is set)',
    ])
  })

  it('needs a network or a virtual network, so that the interface is placed and matched where asked', () => {
    expect(problemsOf({ ...minimal, 'network-permalink': '' })).toEqual([
      'set exactly one of network-id, network-permalink, virtual-network-id (none is set)',
    ])
  })

  it.each([
    ['http://api.katapult.io', 'would send the API token unencrypted'],
    ['http://10.0.0.5:8080', 'would send the API token unencrypted'],
    ['ftp://api.katapult.io', 'ftp: is not supported'],
    ['api.katapult.io', 'is not a URL'],
    ['https://user:pw@api.katapult.io', 'without credentials, query or fragment'],
  ])('refuses api-url %s', (apiUrl, message) => {
    expect(problemsOf({ ...minimal, 'api-url': apiUrl })).toEqual([expect.stringContaining(message)])
  })

  it.each(['http://127.0.0.1:8080', 'http://localhost:3000/', 'http://[::1]:9000', 'http://127.1.2.3'])(
    'accepts the loopback http URL %s',
    (apiUrl) => {
      const settings = parse({ ...minimal, 'api-url': apiUrl })
      expect(settings.apiBase).toBe(`${new URL(apiUrl).origin}/core/v1`)
    },
  )

  it('accepts api-url with the API path /core/v1 already on it', () => {
    expect(parse({ ...minimal, 'api-url': 'https://api.katapult.io/core/v1/' }).apiBase).toBe(
      'https://api.katapult.io/core/v1',
    )
  })

  it('keeps a path prefix of api-url', () => {
    expect(parse({ ...minimal, 'api-url': 'https://proxy.example.com/katapult/' }).apiBase).toBe(
      'https://proxy.example.com/katapult/core/v1',
    )
  })

  it.each(['1.5', '-1', 'five', '0', '21'])('refuses max-attempts %s', (value) => {
    expect(problemsOf({ ...minimal, 'max-attempts': value })).toEqual([expect.stringContaining('max-attempts')])
  })

  it('accepts fractional request timeouts up to an hour', () => {
    expect(parse({ ...minimal, 'request-timeout': '0.5' }).requestTimeoutMs).toBe(500)
    expect(parse({ ...minimal, 'request-timeout': '3600' }).requestTimeoutMs).toBe(3_600_000)
    expect(problemsOf({ ...minimal, 'request-timeout': '3600.5' })).toEqual([
      expect.stringContaining('request-timeout'),
    ])
  })

  it('parses allocate-ips as a list of families, one a line or comma-separated, ignoring case and repeats', () => {
    expect(parse({ ...minimal, 'allocate-ips': ' IPv4, ipv6 ,ipv4,' }).allocateIps).toEqual(['ipv4', 'ipv6'])
    expect(parse({ ...minimal, 'allocate-ips': 'ipv4\nipv6\n' }).allocateIps).toEqual(['ipv4', 'ipv6'])
  })

  it('refuses anything else in allocate-ips', () => {
    expect(problemsOf({ ...minimal, 'allocate-ips': 'ipv4, ipv5' })).toEqual([
      'allocate-ips: "ipv5" is not an address family; list ipv4, ipv6 (one a line, or comma-separated)',
    ])
  })

  it('takes ip-address ids as they are spelt, and addresses in any spelling, for duplicates', () => {
    const settings = parse({ ...minimal, 'ip-address': 'ip_AbC1, ip_abc1, 2a03:2800:500::18' })
    expect(settings.reservedAddresses).toEqual([{ id: 'ip_AbC1' }, { id: 'ip_abc1' }, { address: '2a03:2800:500::18' }])
    expect(problemsOf({ ...minimal, 'ip-address': '2a03:2800:500::18, 2A03:2800:0500:0:0:0:0:18' })).toEqual([
      'ip-address: "2A03:2800:0500:0:0:0:0:18" is listed twice',
    ])
  })

  it('refuses booleans that are not true or false', () => {
    expect(problemsOf({ ...minimal, attach: 'yes', cleanup: 'TRUE' })).toEqual([
      'attach: "yes" is not a boolean; use true or false',
    ])
  })

  it.each([
    ['a second line', 'abc123\ndef456', 'api-token: the secret holds more than one line'],
    ['a space', 'abc 123', 'api-token: holds a space or a character outside printable ASCII'],
    ['a character outside Latin-1', 'abc€123', 'api-token: holds a space or a character outside printable ASCII'],
  ])('refuses a token with %s, without repeating it', (_name, token, message) => {
    const [problem] = problemsOf({ ...minimal, 'api-token': token })
    expect(problem).toContain(message)
    expect(problem).not.toContain('abc')
  })
})
