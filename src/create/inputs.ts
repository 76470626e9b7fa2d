// The create action's inputs, checked before any request is sent.
import {
  type InputReader,
  type NetworkTarget,
  parseBoolean,
  parseNetworkTarget,
  parseSpeedProfile,
  parseVirtualMachine,
  readConnection,
  readList,
  throwIfAny,
} from '../action/inputs.ts'
import type { ConnectionSettings } from '../katapult/client.ts'
import type { AddressVersion, Lookup } from '../katapult/endpoints.ts'
import { quote } from '../katapult/untrusted.ts'

export interface CreateSettings extends ConnectionSettings {
  virtualMachine: Lookup
  network: NetworkTarget
  speedProfile: Lookup
  reuseExisting: boolean
  attach: boolean
  allocateIps: AddressVersion[]
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

export function parseCreateSettings(read: InputReader): CreateSettings {
  const problems: string[] = []
  const settings = {
    ...readConnection(read, problems),
    virtualMachine: parseVirtualMachine(read, problems),
    network: parseNetworkTarget(read, problems),
    speedProfile: parseSpeedProfile(read, problems),
    reuseExisting: parseBoolean(read, 'reuse-existing', problems),
    attach: parseBoolean(read, 'attach', problems),
    allocateIps: parseAddressVersions(read, problems),
    cleanup: parseBoolean(read, 'cleanup', problems),
  }
  throwIfAny(problems)
  return settings
}
