// The delete action's inputs: an interface by id, or a VM and the network it is on. Checked
// before any request is sent.
import {
  type InputReader,
  type NetworkTarget,
  parseBoolean,
  parseNetworkTarget,
  parseVirtualMachine,
  readConnection,
  readTrimmed,
  throwIfAny,
} from '../action/inputs.ts'
import type { ConnectionSettings } from '../katapult/client.ts'
import type { Lookup } from '../katapult/endpoints.ts'
import { quote } from '../katapult/untrusted.ts'

export type Target = { interfaceId: string } | { virtualMachine: Lookup; network: NetworkTarget }

export interface DeleteSettings extends ConnectionSettings {
  target: Target
  deleteIps: boolean
}

const PLACEMENT_INPUTS = [
  'virtual-machine-id',
  'virtual-machine-fqdn',
  'network-id',
  'network-permalink',
  'virtual-network-id',
] as const

const INTERFACE_ID = /^vmnet_[A-Za-z0-9]{1,64}$/

function parseTarget(read: InputReader, problems: string[]): Target {
  const interfaceId = readTrimmed(read, 'interface-id')
  const placement = PLACEMENT_INPUTS.filter((name) => readTrimmed(read, name) !== undefined)
  if (interfaceId === undefined) {
    if (placement.length === 0) {
      problems.push(
        'set interface-id, or a virtual machine (virtual-machine-id or virtual-machine-fqdn) and the network its ' +
          'interface is on (network-id, network-permalink or virtual-network-id)',
      )
    }
    return { virtualMachine: parseVirtualMachine(read, problems), network: parseNetworkTarget(read, problems) }
  }
  if (placement.length > 0) {
    problems.push(
      `interface-id: give it alone, or drop it and find the interface by VM and network (${placement.join(', ')} also set)`,
    )
  } else if (!INTERFACE_ID.test(interfaceId)) {
    problems.push(`interface-id: ${quote(interfaceId)} is not a network interface id (vmnet_…)`)
  }
  return { interfaceId }
}

export function parseDeleteSettings(read: InputReader): DeleteSettings {
  const problems: string[] = []
  const settings = {
    ...readConnection(read, problems),
    target: parseTarget(read, problems),
    deleteIps: parseBoolean(read, 'delete-ips', problems),
  }
  throwIfAny(problems)
  return settings
}
