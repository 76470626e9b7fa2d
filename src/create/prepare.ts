// Makes an interface ready to use: the requested address families allocated, and attached.
import type { IpAddressRef, NetworkInterface } from '../katapult/answers.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { type AddressVersion, allocateNewIp, attachInterface, getInterface } from '../katapult/endpoints.ts'
import type { RetryClock } from '../katapult/retry.ts'
import { waitForTask } from '../katapult/tasks.ts'
import type { PendingAllocation, StateWriter } from './state.ts'

export function addressVersion(address: string): AddressVersion {
  return address.includes(':') ? 'ipv6' : 'ipv4'
}

/** The addresses of the pending allocation's family that the interface gained since it was sent. */
export async function allocatedSince(client: KatapultClient, pending: PendingAllocation): Promise<IpAddressRef[]> {
  const known = new Set(pending.before)
  const { ip_addresses: addresses } = await getInterface(client, pending.interfaceId)
  return addresses.filter((ip) => !known.has(ip.id) && addressVersion(ip.address) === pending.version)
}

export interface PrepareOptions {
  allocateIps: readonly AddressVersion[]
  attach: boolean
  state: StateWriter
  log: (message: string) => void
}

/**
 * Addresses are allocated before attaching, so that the interface comes up on the VM with them.
 * Returns the interface as it is afterwards (unchanged when there was nothing to do).
 */
export async function prepareInterface(
  client: KatapultClient,
  clock: RetryClock,
  networkInterface: NetworkInterface,
  options: PrepareOptions,
): Promise<NetworkInterface> {
  const { id } = networkInterface
  const addresses = [...networkInterface.ip_addresses]
  let changed = false
  for (const version of options.allocateIps) {
    const present = addresses.find((ip) => addressVersion(ip.address) === version)
    if (present) {
      options.log(`Interface ${id} already has an ${version} address (${present.address}); none allocated`)
      continue
    }
    const pending: PendingAllocation = { interfaceId: id, version, before: addresses.map((ip) => ip.id) }
    options.state.beforeAllocation(pending)
    // After an ambiguous failure, a new address of this family on the interface is the lost one's.
    const findAllocated = async (): Promise<IpAddressRef | undefined> => {
      const appeared = await allocatedSince(client, pending)
      if (appeared.length > 1) {
        throw new Error(
          `After an ambiguous failure, ${appeared.length} new ${version} addresses appeared on interface ${id} ` +
            `(${appeared.map((ip) => ip.id).join(', ')}), so this run cannot tell which one is its own; none was adopted.`,
        )
      }
      return appeared[0]
    }
    const address = await allocateNewIp(client, id, version, findAllocated)
    options.state.allocated(address.id)
    addresses.push(address)
    options.log(`Allocated ${version} address ${address.address} to interface ${id}`)
    changed = true
  }
  if (options.attach && networkInterface.state !== 'attached') {
    options.log(`Attaching interface ${id} to its virtual machine`)
    const task = await attachInterface(client, id)
    await waitForTask(client, clock, `Attaching interface ${id}`, task)
    options.log(`Interface ${id} attached (task ${task.id})`)
    changed = true
  }
  return changed ? getInterface(client, id) : networkInterface
}
