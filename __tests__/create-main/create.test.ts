// The main step creating an interface: what it sends, what it hands on, what it logs.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { IDS } from '../../stand-in/katapult-stand-in.ts'
import { step } from '../support/in-process-step.ts'
import {
  baseInputs,
  CREATE_ROUTE,
  LIST_ROUTE,
  ON_PUBLIC_NETWORK,
  onVirtualNetwork,
  routesAfter,
  useStandIn,
} from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string
}

describe('creating an interface', () => {
  it('creates on a virtual network and hands the interface to later steps', async () => {
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)

    const [post] = env.standIn.requestsTo(CREATE_ROUTE)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(post?.body).toEqual({
      virtual_machine: { fqdn: 'web-1.example.com' },
      virtual_network: { id: IDS.virtualNetwork },
      speed_profile: { permalink: '1gbps' },
    })
    expect(post?.headers.authorization).toBe(`Bearer ${baseInputs('')['api-token'] ?? ''}`)
    expect(post?.headers['content-type']).toBe('application/json')
    expect(post?.headers['user-agent']).toBe(`katapult-network-interface-action/${version}`)

    const created = env.standIn.interfaces.find((nic) => nic.id === onVirtualNetwork(env.standIn)[0])
    expect(result.outputs).toEqual({
      id: created?.id,
      name: 'backend on web-1',
      'mac-address': created?.macAddress,
      state: 'detached',
      'ip-addresses': '[]',
      'ipv4-address': '',
      'ipv6-address': '',
      interface: expect.any(String),
      created: 'true',
    })
    expect(JSON.parse(result.outputs.interface ?? '')).toEqual({
      id: created?.id,
      virtual_machine: { id: env.standIn.vm('web-1.example.com').id, name: 'web-1' },
      name: 'backend on web-1',
      network: null,
      virtual_network: { id: IDS.virtualNetwork, name: 'backend' },
      mac_address: created?.macAddress,
      state: 'detached',
      ip_addresses: [],
      speed_profile: { id: IDS.speed1g, name: '1Gbps', permalink: '1gbps' },
    })
  })

  it('creates on a network given by permalink', async () => {
    const result = await step('main', baseInputs(env.apiUrl, ON_PUBLIC_NETWORK))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)[0]?.body).toEqual({
      virtual_machine: { fqdn: 'web-1.example.com' },
      network: { permalink: 'uk-lon-01-public' },
      speed_profile: { permalink: '1gbps' },
    })
    expect(JSON.parse(result.outputs.interface ?? '')).toMatchObject({
      network: { id: IDS.publicNetwork },
      virtual_network: null,
    })
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(2)
  })

  it('creates by ids', async () => {
    const vmId = env.standIn.vm('web-1.example.com').id
    const inputs = {
      ...baseInputs(env.apiUrl),
      'virtual-machine-fqdn': '',
      'virtual-machine-id': vmId,
      'virtual-network-id': '',
      'network-id': IDS.publicNetwork,
      'speed-profile-permalink': '',
      'speed-profile-id': IDS.speed10g,
    }
    const result = await step('main', inputs)
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)[0]?.body).toEqual({
      virtual_machine: { id: vmId },
      network: { id: IDS.publicNetwork },
      speed_profile: { id: IDS.speed10g },
    })
    expect(env.standIn.requestsTo(LIST_ROUTE)[0]?.query).toMatchObject({ 'virtual_machine[id]': vmId })
    expect(JSON.parse(result.outputs.interface ?? '')).toMatchObject({ speed_profile: { permalink: '10gbps' } })
  })

  it('writes a job summary of the interface', async () => {
    const result = await step('main', baseInputs(env.apiUrl))
    const id = result.outputs.id ?? ''
    for (const cell of [
      id,
      'backend on web-1',
      'web-1',
      'virtual network backend',
      '1Gbps',
      'detached',
      result.outputs['mac-address'],
      'none',
      'created by this run',
    ]) {
      expect(result.summary).toContain(`<td>${cell ?? ''}</td>`)
    }
  })

  it('logs each request at debug level, without the token or the Authorization header', async () => {
    const result = await step('main', baseInputs(env.apiUrl))
    const debug = result.stdout.split('\n').filter((line) => line.startsWith('::debug::'))
    expect(debug).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^::debug::GET \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces → 200 \(attempt 1, \d+ ms\)$/,
        ),
        expect.stringMatching(
          /^::debug::POST \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces → 200 \(attempt 1, \d+ ms\)$/,
        ),
      ]),
    )
    expect(result.stdout).not.toMatch(/authorization|bearer/i)
  })

  it('fails with the error and sets no outputs when the VM does not exist', async () => {
    const result = await step('main', baseInputs(env.apiUrl, { 'virtual-machine-fqdn': 'nope.example.com' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('404 virtual_machine_not_found')
    expect(result.outputs).toEqual({})
  })
})

describe('the success path', () => {
  it('pays nothing: a plain create is exactly the listing and the create', async () => {
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(routesAfter(env.standIn, 0)).toEqual([LIST_ROUTE, CREATE_ROUTE])
  })
})
