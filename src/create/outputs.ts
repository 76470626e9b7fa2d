// Hands the interface to the steps that follow: step outputs, and a table in the job summary.
import * as core from '@actions/core'
import type { CreateSettings } from '../action/inputs.ts'
import type { NetworkInterface } from '../katapult/endpoints.ts'
import { addressVersion } from './prepare.ts'

export function interfaceOutputs(networkInterface: NetworkInterface, created: boolean): Record<string, string> {
  const addresses = networkInterface.ip_addresses.map((ip) => ip.address)
  return {
    id: networkInterface.id,
    name: networkInterface.name,
    'mac-address': networkInterface.mac_address,
    state: networkInterface.state,
    'ip-addresses': JSON.stringify(addresses),
    'ipv4-address': addresses.find((address) => addressVersion(address) === 'ipv4') ?? '',
    'ipv6-address': addresses.find((address) => addressVersion(address) === 'ipv6') ?? '',
    interface: JSON.stringify(networkInterface),
    created: String(created),
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`)
}

function describeLookup(lookup: Readonly<Record<string, string>> | undefined): string {
  return Object.values(lookup ?? {}).join('')
}

export async function writeSummary(
  networkInterface: NetworkInterface,
  created: boolean,
  settings: CreateSettings,
): Promise<void> {
  const { network, virtual_network: virtualNetwork, virtual_machine: vm, speed_profile: speed } = networkInterface
  const place = virtualNetwork
    ? `virtual network ${virtualNetwork.name ?? virtualNetwork.id}`
    : (network?.name ?? network?.id ?? describeLookup(settings.network))
  const rows: [string, string][] = [
    ['ID', networkInterface.id],
    ['Name', networkInterface.name],
    ['Virtual machine', vm?.name ?? vm?.id ?? describeLookup(settings.virtualMachine)],
    ['Network', place],
    ['Speed profile', speed?.name ?? speed?.permalink ?? describeLookup(settings.speedProfile)],
    ['State', networkInterface.state],
    ['MAC address', networkInterface.mac_address],
    ['IP addresses', networkInterface.ip_addresses.map((ip) => ip.address).join(', ') || 'none'],
    ['Created or reused', created ? 'created by this run' : 'reused (already existed)'],
  ]
  await core.summary
    .addHeading('Katapult network interface', 3)
    .addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true },
      ],
      ...rows.map(([field, value]) => [field, escapeHtml(value)]),
    ])
    .write()
}
