// The bundled action creating an interface against the stand-in, as the runner runs it.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { CREATE_ROUTE, LIST_ROUTE, baseInputs, errorsOf, step, useStandIn } from './support.ts'

const env = useStandIn()
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

describe('creating an interface', () => {
  it('creates by FQDN and permalinks, and hands the interface to later steps', async () => {
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)

    const [post] = env.standIn.requestsTo(CREATE_ROUTE)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
    expect(post?.body).toEqual({
      virtual_machine: { fqdn: 'web-1.example.com' },
      network: { permalink: 'private' },
      speed_profile: { permalink: '1gbps' },
    })
    expect(post?.headers.authorization).toBe(`Bearer ${baseInputs('')['api-token'] ?? ''}`)
    expect(post?.headers['content-type']).toBe('application/json')
    expect(post?.headers['user-agent']).toBe(`katapult-network-interface-action/${version}`)

    const [created] = env.standIn.interfacesOf('web-1.example.com').filter((nic) => nic.networkId === 'netw_prv2Lon')
    expect(result.outputs).toEqual({
      id: created?.id,
      name: 'eth1',
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
      virtual_machine: { id: 'vm_web1', name: 'web-1' },
      name: 'eth1',
      network: { id: 'netw_prv2Lon', name: 'Private Network' },
      virtual_network: null,
      mac_address: created?.macAddress,
      state: 'detached',
      ip_addresses: [],
      speed_profile: { id: 'nsp_1gbpsAbc', name: '1 Gbps', permalink: '1gbps' },
    })
  })

  it('creates by ids', async () => {
    const inputs = {
      ...baseInputs(env.apiUrl),
      'virtual-machine-fqdn': '',
      'virtual-machine-id': 'vm_web1',
      'network-permalink': '',
      'network-id': 'netw_prv2Lon',
      'speed-profile-permalink': '',
      'speed-profile-id': 'nsp_10gbpsDe',
    }
    const result = await step('main', inputs)
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)[0]?.body).toEqual({
      virtual_machine: { id: 'vm_web1' },
      network: { id: 'netw_prv2Lon' },
      speed_profile: { id: 'nsp_10gbpsDe' },
    })
    expect(env.standIn.requestsTo(LIST_ROUTE)[0]?.query).toMatchObject({ 'virtual_machine[id]': 'vm_web1' })
    expect(JSON.parse(result.outputs.interface ?? '')).toMatchObject({ speed_profile: { permalink: '10gbps' } })
  })

  it('creates on a virtual network', async () => {
    const result = await step('main', {
      ...baseInputs(env.apiUrl),
      'network-permalink': '',
      'virtual-network-id': 'vnet_backend01',
    })
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)[0]?.body).toEqual({
      virtual_machine: { fqdn: 'web-1.example.com' },
      virtual_network: { id: 'vnet_backend01' },
      speed_profile: { permalink: '1gbps' },
    })
    expect(JSON.parse(result.outputs.interface ?? '')).toMatchObject({
      network: null,
      virtual_network: { id: 'vnet_backend01' },
    })
  })

  it('writes a job summary of the interface', async () => {
    const result = await step('main', baseInputs(env.apiUrl))
    const id = result.outputs.id ?? ''
    for (const cell of [
      id,
      'eth1',
      'web-1',
      'Private Network',
      '1 Gbps',
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
