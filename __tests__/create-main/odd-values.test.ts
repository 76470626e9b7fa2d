// Odd but valid values, read right.
import { describe, expect, it } from '@jest/globals'
import { IDS } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import { baseInputs, CREATE_ROUTE, earlierInterface, LIST_ROUTE, useStandIn } from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('odd but valid values', () => {
  it.each([
    ['fe80::1%eth0', 'ip-address: "fe80::1%eth0" has a zone id (%eth0), which no Katapult address has; drop it'],
    [
      '::ffff:185.44.254.39',
      'ip-address: "::ffff:185.44.254.39" is the IPv4 address 185.44.254.39 written as IPv6; give 185.44.254.39',
    ],
    ['vmnet_abc', 'ip-address: "vmnet_abc" is a network interface id, not an IP address id (ip_…)'],
  ])('ip-address %s is an input error naming the input, before any request', async (value, message) => {
    const result = await step('main', baseInputs(env.apiUrl, { 'ip-address': value }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(message)
    expect(env.standIn.requests).toEqual([])
  })

  it('a listing that counts no pages and gives no page size goes on while a page is full: reuse-existing finds page 2', async () => {
    // 30 of the VM's interfaces on a network, the 31st on the virtual network: Katapult pages by 30 here.
    for (let n = 0; n < 30; n++)
      env.standIn.addInterfaceElsewhere('web-1.example.com', { networkId: IDS.publicNetwork })
    const earlier = earlierInterface(env.standIn)
    let all: unknown[] = []
    const largeSet = (answer: Record<string, unknown>, page: number): unknown => {
      if (page === 1) all = answer.virtual_machine_network_interfaces as unknown[]
      return {
        pagination: { current_page: page, total_pages: null, total: null, large_set: true },
        virtual_machine_network_interfaces: all.slice((page - 1) * 30, page * 30),
      }
    }
    env.standIn.inject(
      LIST_ROUTE,
      { kind: 'rewrite', change: (answer) => largeSet(answer, 1) },
      { kind: 'rewrite', change: (answer) => largeSet(answer, 2) },
    )
    const result = await step('main', baseInputs(env.apiUrl, { 'reuse-existing': 'true' }))
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ id: earlier.id, created: 'false' })
    expect(env.standIn.requestsTo(LIST_ROUTE)).toHaveLength(2)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toEqual([])
  })
})
