// The create action's inputs, checked before any request is sent.
import { type InputReader, parseBoolean, readList, throwIfAny } from '../action/input-reading.ts'
import { type NetworkTarget } from '../action/network-target.ts'
import { misspeltInputs } from '../action/misspelt-inputs.ts'
import { parseNetworkTarget, parseSpeedProfile, parseVirtualMachine } from '../action/lookup-inputs.ts'
import { readConnection } from '../action/connection-inputs.ts'
import { checkLookupByNetwork } from '../action/ownership.ts'
import { parseReservedAddresses } from '../action/reserved-addresses.ts'
import type { AddressVersion } from '../katapult/addresses.ts'
import type { ConnectionSettings } from '../katapult/client.ts'
import { type Lookup } from '../katapult/lookups.ts'
import { quote } from '../katapult/untrusted.ts'

/** The inputs of action.yml, in its order (a test holds the two to each other). */
export const CREATE_INPUTS = [
  'api-token',
  'api-url',
  'virtual-machine-id',
  'virtual-machine-fqdn',
  'network-id',
  'network-permalink',
  'virtual-network-id',
  'speed-profile-id',
  'speed-profile-permalink',
  'max-attempts',
  'request-timeout',
  'step-timeout',
  'reuse-existing',
  'attach',
  'allocate-ips',
  'ip-address',
  'cleanup',
] as const

export interface CreateSettings extends ConnectionSettings {
  virtualMachine: Lookup
  network: NetworkTarget
  speedProfile: Lookup
  reuseExisting: boolean
  attach: boolean
  allocateIps: AddressVersion[]
  /** Addresses the organisation holds, to allocate to the interface: `{ address }` or `{ id }`. */
  reservedAddresses: Lookup[]
  cleanup: boolean
}

function parseAddressVersions(read: InputReader, problems: string[]): AddressVersion[] {
  const versions = new Set<AddressVersion>()
  for (const item of readList(read, 'allocate-ips')) {
    const lower = item.toLowerCase()
    if (lower === 'ipv4' || lower === 'ipv6') versions.add(lower)
    else
      problems.push(
        `allocate-ips: ${quote(item)} is not an address family; list ipv4, ipv6 (one a line, or comma-separated)`,
      )
  }
  return [...versions]
}

export function parseCreateSettings(read: InputReader, withKeys: readonly string[]): CreateSettings {
  const problems: string[] = []
  misspeltInputs(withKeys, CREATE_INPUTS, problems)
  const connection = readConnection(read, problems)
  const virtualMachine = parseVirtualMachine(read, problems)
  const network = parseNetworkTarget(read, problems)
  const speedProfile = parseSpeedProfile(read, problems)
  const reuseExisting = parseBoolean(read, 'reuse-existing', problems)
  if (reuseExisting) checkLookupByNetwork('reuse-existing', network, problems)
  const settings = {
    ...connection,
    virtualMachine,
    network: network ?? { object: 'network' as const, lookup: {} },
    speedProfile,
    reuseExisting,
    attach: parseBoolean(read, 'attach', problems),
    allocateIps: parseAddressVersions(read, problems),
    reservedAddresses: parseReservedAddresses(read, problems),
    cleanup: parseBoolean(read, 'cleanup', problems),
  }
  throwIfAny(problems)
  return settings
}
