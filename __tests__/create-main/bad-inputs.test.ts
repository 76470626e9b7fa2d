// Bad inputs fail the step before any request, naming the inputs, the value and what to do.
import { describe, expect, it } from '@jest/globals'
import { secretForms } from '../../src/action/secrets.ts'
import { IDS, TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import { baseInputs, LIST_ROUTE, useStandIn } from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('bad inputs', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['no api-token', { 'api-token': ' ' }, ['api-token: required']],
    [
      'a token pasted with a second line',
      { 'api-token': `${TOKENS.valid}\nSc2nD7lN4eS9cR6tXq3wZ8` },
      ['api-token: the secret holds more than one line'],
    ],
    [
      'a token with characters a header cannot carry',
      { 'api-token': 'Ün1cödéTök3nXq8wZ2' },
      ['api-token: holds a space or a character outside printable ASCII'],
    ],
    [
      'both VM lookups',
      { 'virtual-machine-id': 'vm_web1' },
      ['set exactly one of virtual-machine-id, virtual-machine-fqdn'],
    ],
    ['no VM lookup', { 'virtual-machine-fqdn': '' }, ['set exactly one of virtual-machine-id, virtual-machine-fqdn']],
    [
      'no network',
      { 'virtual-network-id': '' },
      ['set exactly one of network-id, network-permalink, virtual-network-id (none is set)'],
    ],
    [
      'a network and a virtual network',
      { 'network-permalink': 'uk-lon-01-public' },
      [
        'set exactly one of network-id, network-permalink, virtual-network-id (network-permalink and virtual-network-id are set)',
      ],
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
    ['max-attempts 0', { 'max-attempts': '0' }, ['max-attempts: "0" is not a whole number from 1 to 20']],
    ['max-attempts 1000', { 'max-attempts': '1000' }, ['max-attempts: "1000" is not a whole number from 1 to 20']],
    [
      'a bad request-timeout',
      { 'request-timeout': '-3' },
      ['request-timeout: "-3" is not a number of seconds above 0 and up to 3600'],
    ],
    [
      'a request-timeout beyond what a timer holds',
      { 'request-timeout': '2147484' },
      ['request-timeout: "2147484" is not a number of seconds above 0 and up to 3600'],
    ],
    ['a bad allocate-ips', { 'allocate-ips': 'ipv4,ip6' }, ['allocate-ips: "ip6" is not an address family']],
    ['a bad boolean', { attach: 'yes' }, ['attach: "yes" is not a boolean']],
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
    expect(result.state).toEqual({})
  })

  it.each<[Record<string, string>, string]>([
    [
      { 'virtual-network-id': '', 'network-id': 'uk-lon-01-public' },
      'network-id: "uk-lon-01-public" is a permalink: use network-permalink',
    ],
    [
      { 'virtual-network-id': '', 'network-id': IDS.virtualNetwork },
      `network-id: "${IDS.virtualNetwork}" is a virtual network id, not a network id (netw_…): use virtual-network-id`,
    ],
    [
      { 'virtual-network-id': IDS.publicNetwork },
      `virtual-network-id: "${IDS.publicNetwork}" is a network id, not a virtual network id (vnet_…): use network-id`,
    ],
    [
      { 'virtual-network-id': '', 'network-permalink': IDS.publicNetwork },
      `network-permalink: "${IDS.publicNetwork}" is a network id: use network-id`,
    ],
    [
      { 'virtual-machine-fqdn': '', 'virtual-machine-id': 'web-1' },
      'virtual-machine-id: "web-1" is not a virtual machine id (vm_…); to find the VM by its name, use virtual-machine-fqdn with its full name (e.g. web-1.example.com)',
    ],
    [
      { 'virtual-machine-fqdn': '', 'virtual-machine-id': 'web-1.example.com' },
      'virtual-machine-id: "web-1.example.com" is an FQDN: use virtual-machine-fqdn',
    ],
    [
      { 'virtual-machine-fqdn': 'vm_9RpX415zCFuq0001' },
      'virtual-machine-fqdn: "vm_9RpX415zCFuq0001" is a virtual machine id: use virtual-machine-id',
    ],
    [
      { 'speed-profile-permalink': '', 'speed-profile-id': '1gbps' },
      'speed-profile-id: "1gbps" is a permalink: use speed-profile-permalink',
    ],
    [
      { 'virtual-network-id': 'uk-lon-01-public' },
      'virtual-network-id: "uk-lon-01-public" is not a virtual network id (vnet_…): a network\'s permalink goes in network-permalink; GET /core/v1/organizations/organization/available_networks?organization[sub_domain]=<your organisation> lists them with their ids',
    ],
    [
      { 'virtual-network-id': 'backend network' },
      'virtual-network-id: "backend network" is not a virtual network id (vnet_…); GET /core/v1/organizations/organization/available_networks?organization[sub_domain]=<your organisation> lists them with their ids',
    ],
    [
      { 'virtual-network-id': '', 'network-id': 'Public Network' },
      'network-id: "Public Network" is not a network id (netw_…); GET /core/v1/organizations/organization/available_networks?organization[sub_domain]=<your organisation> lists them with their ids',
    ],
    [
      { 'speed-profile-permalink': '', 'speed-profile-id': '1 Gbps' },
      'speed-profile-id: "1 Gbps" is not a speed profile id (nsp_…); GET /core/v1/organizations/organization/network_speed_profiles?organization[sub_domain]=<your organisation> lists them with their ids',
    ],
    [{ 'virtual-machine-fqdn': 'web 1' }, 'virtual-machine-fqdn: "web 1" is not an FQDN such as web-1.example.com'],
  ])('an id input of the wrong form, %j: named with the hint, before any request', async (change, message) => {
    const result = await step('main', baseInputs(env.apiUrl, change))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toBe(`Invalid inputs:\n  - ${message}`)
    expect(env.standIn.requests).toEqual([])
  })

  it('refuses plain http to a host that is not loopback, before the token is sent', async () => {
    const result = await step('main', baseInputs('http://api.katapult.io'))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(
      'api-url: http://api.katapult.io would send the API token unencrypted; use https://',
    )
  })
})

// The step's log for an input error, as the user reads it: the runner's masks come first, and the
// step prints nothing of a rejected token but them (what each mask holds: action/secrets.test.ts).
describe('the token in the log of a step whose inputs are bad', () => {
  it('masks the token before anything else, even when the inputs are bad', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': 'x' }))
    expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${TOKENS.valid}`)
  })

  it('masks each line of a multi-line secret and prints nothing of it but the masks', async () => {
    const token = `${TOKENS.valid}\nSc2nD7lN4eS9cR6tXq3wZ8`
    const result = await step('main', baseInputs(env.apiUrl, { 'api-token': token }))
    const masks = result.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
    expect(masks).toEqual(
      expect.arrayContaining([
        `::add-mask::${TOKENS.valid}%0ASc2nD7lN4eS9cR6tXq3wZ8`,
        `::add-mask::${TOKENS.valid}`,
        '::add-mask::Sc2nD7lN4eS9cR6tXq3wZ8',
      ]),
    )
    // The rest are the forms the token could be printed in (URL-encoded, base64…), each masked too.
    const forms = [token, ...token.split('\n')].flatMap(secretForms)
    const decoded = masks.map((mask) => mask.slice('::add-mask::'.length).replace(/%0A/g, '\n').replace(/%25/g, '%'))
    for (const mask of decoded) expect(forms).toContain(mask)
  })
})

describe('small input mistakes, fixed or named before any request', () => {
  it('takes an FQDN in DNS’s absolute form, with its final dot', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'virtual-machine-fqdn': 'web-1.example.com.' }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(LIST_ROUTE)[0]?.query).toMatchObject({ 'virtual_machine[fqdn]': 'web-1.example.com' })
  })

  it.each([
    ['network_permalink', 'network-permalink'],
    ['speed-profile', 'speed-profile-id or speed-profile-permalink'],
    ['vm-id', 'virtual-machine-id'],
    ['allocate-ip', 'allocate-ips'],
  ])('names the with: key %s with the input it probably means', async (key, meant) => {
    const result = await step('main', baseInputs(env.apiUrl, { [key]: 'x' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(`with: "${key}" is not an input of this action; did you mean ${meant}?`)
    expect(env.standIn.requests).toEqual([])
  })

  it('leaves a with: key that is close to no input to the runner’s own warning', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'deploy-environment': 'staging' }))
    expect(result.exitCode).toBe(0)
  })
})
