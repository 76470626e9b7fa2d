// Addresses on the interface: new ones of the families asked for (allocate-ips), and the
// organisation's own (ip-address), which cleanup only unallocates.
import { describe, expect, it } from '@jest/globals'
import { IDS, RESERVED_ADDRESSES } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import {
  ALLOCATE_IP_ROUTE,
  ALLOCATE_ROUTE,
  ATTACH_ROUTE,
  baseInputs,
  DELETE_IP_ROUTE,
  earlierInterface,
  ON_PUBLIC_NETWORK,
  routesAfter,
  UNALLOCATE_ROUTE,
  useStandIn,
} from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const env = useStandIn()

const REUSE = { 'reuse-existing': 'true' }

describe('allocate-ips', () => {
  it.each([
    ['ipv4', ['ipv4'], /^185\.199\.\d+\.\d+$/, ''],
    ['ipv6', ['ipv6'], '', /^2a03:2800:500::[0-9a-f]+$/],
    ['ipv4, ipv6', ['ipv4', 'ipv6'], /^185\.199\./, /^2a03:2800:/],
  ])('allocates %s', async (families, versions, ipv4, ipv6) => {
    const result = await step('main', baseInputs(env.apiUrl, { 'allocate-ips': families }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(ALLOCATE_ROUTE).map((request) => request.body)).toEqual(
      versions.map((version) => ({
        virtual_machine_network_interface: { id: result.outputs.id },
        address_version: version,
      })),
    )
    expect(result.outputs['ipv4-address']).toMatch(ipv4)
    expect(result.outputs['ipv6-address']).toMatch(ipv6)
    const addresses = JSON.parse(result.outputs['ip-addresses'] ?? '') as string[]
    expect(addresses).toHaveLength(versions.length)
    expect(result.summary).toContain(addresses.join(', '))
  })

  it('allocates nothing of a family the interface already has', async () => {
    earlierInterface(env.standIn, { addresses: ['ipv4'] })
    const result = await step('main', baseInputs(env.apiUrl, { ...REUSE, 'allocate-ips': 'ipv4' }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(ALLOCATE_ROUTE)).toEqual([])
    expect(result.stdout).toContain('already has an ipv4 address')
  })
})

describe('the organisation’s reserved addresses (ip-address)', () => {
  it('allocates them to the interface before attaching, outputs them, and cleanup only unallocates them', async () => {
    const inputs = baseInputs(env.apiUrl, {
      ...ON_PUBLIC_NETWORK,
      'ip-address': `${RESERVED_ADDRESSES.ipv4}\n${IDS.reservedIpv6}`,
      attach: 'true',
      cleanup: 'true',
    })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    expect(main.outputs['ipv4-address']).toBe(RESERVED_ADDRESSES.ipv4)
    expect(main.outputs['ipv6-address']).toBe(RESERVED_ADDRESSES.ipv6)
    expect(env.standIn.requestsTo(ALLOCATE_IP_ROUTE).map((request) => request.body)).toEqual([
      { virtual_machine_network_interface: { id: main.outputs.id }, ip_address: { address: RESERVED_ADDRESSES.ipv4 } },
      { virtual_machine_network_interface: { id: main.outputs.id }, ip_address: { id: IDS.reservedIpv6 } },
    ])
    const routes = routesAfter(env.standIn, 0)
    expect(routes.lastIndexOf(ALLOCATE_IP_ROUTE)).toBeLessThan(routes.indexOf(ATTACH_ROUTE))
    expect(JSON.parse(main.state['reserved-ip-ids'] ?? '')).toEqual([IDS.reservedIpv4, IDS.reservedIpv6])

    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(env.standIn.requestsTo(UNALLOCATE_ROUTE)).toHaveLength(2)
    expect(env.standIn.requestsTo(DELETE_IP_ROUTE)).toEqual([])
    const reserved = env.standIn.ipAddresses.filter((ip) => ip.id === IDS.reservedIpv4 || ip.id === IDS.reservedIpv6)
    expect(reserved.map((ip) => ip.interfaceId)).toEqual([null, null])
    expect(post.stdout).toContain(`IP address ${IDS.reservedIpv4} unallocated (kept)`)
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })

  it('skips an address already on the interface, and cleanup of a reused interface leaves it alone', async () => {
    const earlier = earlierInterface(env.standIn, { addresses: ['ipv6'] })
    const address = env.standIn.ipAddresses.find((ip) => ip.interfaceId === earlier.id)?.address ?? ''
    // The same address spelt the long way, in capitals: compared as an address, not as text.
    const [head = '', tail = ''] = address.split('::')
    const groups = [...head.split(':'), ...tail.split(':')].filter(Boolean)
    const zeros = Array.from({ length: 8 - groups.length }, () => '0000')
    const spelt = [...head.split(':'), ...zeros, ...tail.split(':')].map((group) => group.padStart(4, '0')).join(':')
    expect(spelt).toMatch(/^([0-9a-f]{4}:){7}[0-9a-f]{4}$/)
    const inputs = baseInputs(env.apiUrl, {
      'reuse-existing': 'true',
      'ip-address': spelt.toUpperCase(),
      cleanup: 'true',
    })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    expect(env.standIn.requestsTo(ALLOCATE_IP_ROUTE)).toEqual([])
    expect(main.stdout).toContain(`already has the address ${address}`)
    const before = env.standIn.requests.length
    const post = await step('post', inputs, { state: main.state })
    expect(post.stdout).toContain('Cleanup: this run created nothing')
    expect(routesAfter(env.standIn, before)).toEqual([])
  })

  it("fails with Katapult's code and the address when it is unknown, and cleanup still removes the created interface", async () => {
    const inputs = baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'ip-address': '198.51.100.7', cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toContain(
      'ip-address 198.51.100.7: Katapult API error: POST /core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_ip answered 404 ip_address_not_found',
    )
    expect(main.outputs).toEqual({})
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
    expect(env.standIn.requestsTo(UNALLOCATE_ROUTE)).toEqual([])
  })

  it("fails with Katapult's code when the address is not valid for the interface's network", async () => {
    const main = await step('main', baseInputs(env.apiUrl, { 'ip-address': RESERVED_ADDRESSES.ipv4 }))
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toContain(`ip-address ${RESERVED_ADDRESSES.ipv4}: Katapult API error:`)
    expect(errorsOf(main)).toContain('answered 422 invalid_ip')
  })

  it.each([
    [
      'a duplicate',
      `${RESERVED_ADDRESSES.ipv4}, ${RESERVED_ADDRESSES.ipv4}`,
      `ip-address: "${RESERVED_ADDRESSES.ipv4}" is listed twice`,
    ],
    [
      'a malformed value',
      '185.44.254',
      'ip-address: "185.44.254" is neither an IP address nor an IP address id (ip_…)',
    ],
    [
      'an address with a zone id',
      'fe80::1%eth0',
      'ip-address: "fe80::1%eth0" has a zone id (%eth0), which no Katapult address has; drop it',
    ],
    [
      'an IPv4 address written as IPv6',
      '::ffff:185.44.254.39',
      'ip-address: "::ffff:185.44.254.39" is the IPv4 address 185.44.254.39 written as IPv6; give 185.44.254.39',
    ],
    [
      'a network interface id',
      'vmnet_abc',
      'ip-address: "vmnet_abc" is a network interface id, not an IP address id (ip_…)',
    ],
  ])('refuses %s before any request, naming the input', async (_name, value, message) => {
    const result = await step('main', baseInputs(env.apiUrl, { 'ip-address': value }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(message)
    expect(env.standIn.requests).toEqual([])
  })
})
