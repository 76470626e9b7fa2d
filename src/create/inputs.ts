// The create action's inputs, checked before any request is sent.
import { isIP } from 'node:net'
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

const IP_ADDRESS_ID = /^ip_[A-Za-z0-9]{1,64}$/

function parseReservedAddresses(read: InputReader, problems: string[]): Lookup[] {
  const seen = new Set<string>()
  const addresses: Lookup[] = []
  for (const item of readList(read, 'ip-address')) {
    const key = item.toLowerCase()
    if (seen.has(key)) {
      problems.push(`ip-address: ${quote(item)} is listed twice`)
    } else if (isIP(item) === 4) {
      addresses.push({ address: item })
    } else if (isIP(item) === 6) {
      // Katapult writes IPv6 addresses in their short, lowercase form; so does the URL parser.
      addresses.push({ address: new URL(`http://[${item}]`).hostname.slice(1, -1) })
    } else if (IP_ADDRESS_ID.test(item)) {
      addresses.push({ id: item })
    } else {
      problems.push(`ip-address: ${quote(item)} is neither an IP address nor an IP address id (ip_…)`)
    }
    seen.add(key)
  }
  return addresses
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
    reservedAddresses: parseReservedAddresses(read, problems),
    cleanup: parseBoolean(read, 'cleanup', problems),
  }
  throwIfAny(problems)
  return settings
}
