// The delete action's inputs: an interface by id, or a VM and the virtual network it is on.
// Checked before any request is sent.
import { type InputReader, parseBoolean, readTrimmed, throwIfAny } from '../action/input-reading.ts'
import { type NetworkTarget } from '../action/network-target.ts'
import {
  NETWORK_INPUTS,
  VIRTUAL_MACHINE_INPUTS,
  idProblem,
  parseNetworkTarget,
  parseVirtualMachine,
} from '../action/lookup-inputs.ts'
import { misspeltInputs } from '../action/misspelt-inputs.ts'
import { readConnection } from '../action/connection-inputs.ts'
import { checkLookupByNetwork } from '../action/ownership.ts'
import { parseReservedAddresses } from '../action/reserved-addresses.ts'
import type { ConnectionSettings } from '../katapult/client.ts'
import { type Lookup } from '../katapult/lookups.ts'
import { quote } from '../katapult/untrusted.ts'

/** The inputs of delete/action.yml, in its order (a test holds the two to each other). */
export const DELETE_INPUTS = [
  'api-token',
  'api-url',
  'interface-id',
  'virtual-machine-id',
  'virtual-machine-fqdn',
  'network-id',
  'network-permalink',
  'virtual-network-id',
  'delete-ips',
  'ip-address',
  'max-attempts',
  'request-timeout',
  'step-timeout',
] as const

export type Target = { interfaceId: string } | { virtualMachine: Lookup; network: NetworkTarget }

export interface DeleteSettings extends ConnectionSettings {
  target: Target
  deleteIps: boolean
  /** The organisation's addresses that may be on the interface: unallocated, never deleted. */
  reservedAddresses: Lookup[]
}

const PLACEMENT_INPUTS = [...VIRTUAL_MACHINE_INPUTS, ...NETWORK_INPUTS]

function parseTarget(read: InputReader, problems: string[]): Target {
  const interfaceId = readTrimmed(read, 'interface-id')
  const placement = PLACEMENT_INPUTS.filter((name) => readTrimmed(read, name) !== undefined)
  if (interfaceId === undefined) {
    if (placement.length === 0) {
      problems.push(
        'set interface-id, or a virtual machine (virtual-machine-id or virtual-machine-fqdn) and the virtual ' +
          'network its interface is on (virtual-network-id)',
      )
    }
    const virtualMachine = parseVirtualMachine(read, problems)
    const network = parseNetworkTarget(read, problems)
    checkLookupByNetwork('delete', network, problems)
    return { virtualMachine, network: network ?? { object: 'virtual_network', lookup: {} } }
  }
  const wrong = idProblem('interface-id', 'networkInterface', interfaceId, [])
  if (placement.length > 0) {
    problems.push(
      `interface-id: give it alone, or drop it and find the interface by VM and network (${placement.join(', ')} also set)`,
    )
  } else if (wrong) {
    problems.push(`interface-id: ${quote(interfaceId)} ${wrong}`)
  }
  return { interfaceId }
}

export function parseDeleteSettings(read: InputReader, withKeys: readonly string[]): DeleteSettings {
  const problems: string[] = []
  misspeltInputs(withKeys, DELETE_INPUTS, problems)
  const settings = {
    ...readConnection(read, problems),
    target: parseTarget(read, problems),
    deleteIps: parseBoolean(read, 'delete-ips', problems),
    reservedAddresses: parseReservedAddresses(read, problems),
  }
  throwIfAny(problems)
  return settings
}
