// Hands the interface to the steps that follow: step outputs, and a table in the job summary.
import { addressVersion } from '../katapult/addresses.ts'
import type { NetworkInterface } from '../katapult/answer-shapes.ts'
import { lookupValue } from '../katapult/lookups.ts'
import { summaryTable } from '../action/summary.ts'
import type { CreateSettings } from './inputs.ts'

/** Every output at once, from an interface whose shape was already checked: nothing here can fail. */
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
    interface: JSON.stringify(networkInterface.raw),
    created: String(created),
  }
}

/** The job summary's table of the interface. */
export function interfaceSummary(
  networkInterface: NetworkInterface,
  created: boolean,
  settings: CreateSettings,
): string {
  const { network, virtual_network: virtualNetwork, virtual_machine: vm, speed_profile: speed } = networkInterface
  const place = virtualNetwork
    ? `virtual network ${virtualNetwork.name ?? virtualNetwork.id}`
    : (network?.name ?? network?.id ?? lookupValue(settings.network.lookup))
  const rows: [string, string][] = [
    ['ID', networkInterface.id],
    ['Name', networkInterface.name],
    ['Virtual machine', vm?.name ?? vm?.id ?? lookupValue(settings.virtualMachine)],
    ['Network', place],
    ['Speed profile', speed?.name ?? speed?.permalink ?? lookupValue(settings.speedProfile)],
    ['State', networkInterface.state],
    ['MAC address', networkInterface.mac_address],
    ['IP addresses', networkInterface.ip_addresses.map((ip) => ip.address).join(', ') || 'none'],
    ['Created or reused', created ? 'created by this run' : 'reused (already existed)'],
  ]
  return summaryTable('Katapult network interface', rows)
}
