// A lookup that finds nothing names its input and value, and says what exists, nearest first.
import { describe, expect, it } from '@jest/globals'
import { IDS } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import {
  baseInputs,
  CREATE_ROUTE,
  LIST_ROUTE,
  rateLimited,
  routesAfter,
  SPEED_PROFILES_ROUTE,
  useStandIn,
  VM_ROUTE,
} from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('a lookup that finds nothing names its input and value, and says what exists', () => {
  it.each([
    ['5gbps', '1gbps'],
    ['1Gbps', '1gbps'],
    ['fast', undefined],
  ])('speed-profile-permalink: %s', async (value, meant) => {
    const result = await step('main', baseInputs(env.apiUrl, { 'speed-profile-permalink': value }))
    expect(result.exitCode).toBe(1)
    const lines = errorsOf(result).split('\n')
    expect(lines[0]).toBe(
      `speed-profile-permalink: Katapult has no network speed profile "${value}" (POST /core/v1/virtual_machines/virtual_machine/network_interfaces ` +
        'answered 404 network_speed_profile_not_found: "No network speed profile was found matching any of the criteria provided in the arguments")',
    )
    const list = `The speed profiles available to the organisation: ${meant === undefined ? '' : '1gbps ("1Gbps", nsp_Y8YS65yTivlCAjIY), '}`
    expect(lines.slice(1)).toEqual([
      ...(meant === undefined ? [] : [`  Did you mean ${meant}?`]),
      expect.stringContaining(`  ${list}`),
    ])
    expect(lines.at(-1)).toContain('1gbps ("1Gbps", nsp_Y8YS65yTivlCAjIY)')
    expect(lines.at(-1)).toContain('10gbps ("10Gbps", nsp_FKZSFo5xhn9Pfr79)')
    // The listing costs two requests, on this failure path only.
    expect(routesAfter(env.standIn, 0)).toEqual([LIST_ROUTE, CREATE_ROUTE, VM_ROUTE, SPEED_PROFILES_ROUTE])
  })

  it('lists at most a few of an organisation’s 3000 speed profiles, nearest first, in under 4 KiB', async () => {
    for (let n = 1; n <= 3000; n++) {
      env.standIn.speedProfiles.push({
        id: `nsp_Bulk${String(n).padStart(12, '0')}`,
        name: `Profile ${n}`,
        permalink: `tier-${n}`,
      })
    }
    const result = await step('main', baseInputs(env.apiUrl, { 'speed-profile-permalink': 'tier-25x' }))
    expect(result.exitCode).toBe(1)
    const errors = errorsOf(result)
    expect(Buffer.byteLength(errors)).toBeLessThan(4096)
    const lines = errors.split('\n')
    expect(lines[1]).toBe('  Did you mean tier-25?')
    expect(lines[2]).toMatch(
      /^ {2}The speed profiles available to the organisation: tier-25 \("Profile 25", nsp_Bulk000000000025\), /,
    )
    expect(lines[2]).toMatch(/, and 2992 more\.$/)
  })

  it('network-permalink: the data centre instead of its network', async () => {
    const result = await step(
      'main',
      baseInputs(env.apiUrl, { 'virtual-network-id': '', 'network-permalink': 'uk-lon-01' }),
    )
    expect(result.exitCode).toBe(1)
    const lines = errorsOf(result).split('\n')
    expect(lines[0]).toMatch(
      /^network-permalink: Katapult has no network "uk-lon-01" \(POST .* answered 404 network_not_found/,
    )
    expect(lines[1]).toBe('  Did you mean uk-lon-01-public?')
    expect(lines[2]).toBe(
      `  The networks available to the organisation: uk-lon-01-public ("Public Network", ${IDS.publicNetwork}), ` +
        `eu-ams-01 ("Public Network - AMS", ${IDS.amsterdamNetwork}).`,
    )
  })

  it('virtual-network-id: lists the virtual networks', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'virtual-network-id': 'vnet_gone00000000000' }))
    expect(errorsOf(result)).toContain(`virtual-network-id: Katapult has no virtual network "vnet_gone00000000000"`)
    expect(errorsOf(result)).toContain(
      `  The virtual networks available to the organisation: ${IDS.virtualNetwork} ("backend").`,
    )
  })

  it('virtual-machine-fqdn: names the input and says how Katapult finds VMs, with no extra request', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'virtual-machine-fqdn': 'web-9.example.com' }))
    expect(errorsOf(result).split('\n')).toEqual([
      expect.stringMatching(
        /^virtual-machine-fqdn: Katapult has no virtual machine "web-9\.example\.com" \(GET .* answered 404 virtual_machine_not_found/,
      ),
      '  Katapult finds a VM by its id (vm_…) or its full FQDN as the Katapult console shows it, in the organisation the API token belongs to.',
    ])
    expect(routesAfter(env.standIn, 0)).toEqual([LIST_ROUTE])
  })

  it.each<[string, () => void, string]>([
    [
      'a scope the token lacks',
      () => {
        env.standIn.inject(SPEED_PROFILES_ROUTE, {
          kind: 'error',
          status: 403,
          code: 'scope_not_granted',
          description: 'The scope required for this endpoint has not been granted to the authenticating identity',
          detail: { scopes: ['organizations:read'] },
        })
      },
      "(The organisation's speed profiles could not be listed to say which exist: Katapult API error: GET /core/v1/organizations/organization/network_speed_profiles answered 403 scope_not_granted",
    ],
    [
      'a 429',
      () => {
        env.standIn.inject(VM_ROUTE, rateLimited())
      },
      "(The organisation's speed profiles could not be listed to say which exist: Katapult API error: GET /core/v1/virtual_machines/virtual_machine answered 429 rate_limit_reached",
    ],
  ])('still reads well when the listing fails on %s, and says why the list is missing', async (_name, arrange, why) => {
    arrange()
    const result = await step(
      'main',
      baseInputs(env.apiUrl, { 'speed-profile-permalink': '5gbps', 'max-attempts': '1' }),
    )
    const lines = errorsOf(result).split('\n')
    expect(lines[0]).toMatch(/^speed-profile-permalink: Katapult has no network speed profile "5gbps" \(/)
    expect(lines[1]).toContain(`  ${why}`)
    expect(lines).toHaveLength(2)
  })

  it('prints what the listing says inert, however it is spelt', async () => {
    env.standIn.inject(SPEED_PROFILES_ROUTE, {
      kind: 'rewrite',
      change: (answer) => {
        const [first] = answer.network_speed_profiles as Record<string, unknown>[]
        if (first) first.permalink = '1gbps\n::add-mask::everything'
        return answer
      },
    })
    const result = await step('main', baseInputs(env.apiUrl, { 'speed-profile-permalink': '2gbps' }))
    expect(errorsOf(result)).toContain('"1gbps\\n:\\u003aadd-mask:\\u003aeverything" ("1Gbps", nsp_Y8YS65yTivlCAjIY)')
  })
})
