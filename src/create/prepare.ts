// Makes an interface ready to use: the requested address families allocated, and attached.
import type { AddressVersion } from '../action/inputs.ts'
import {
  type IpAddressRef,
  type NetworkInterface,
  allocateNewIp,
  attachInterface,
  getInterface,
} from '../katapult/endpoints.ts'
import type { KatapultClient } from '../katapult/client.ts'
import type { RetryClock } from '../katapult/retry.ts'
import { waitForTask } from '../katapult/tasks.ts'

export function addressVersion(address: string): AddressVersion {
  return address.includes(':') ? 'ipv6' : 'ipv4'
}

export interface PrepareOptions {
  allocateIps: readonly AddressVersion[]
  attach: boolean
  /** Called as soon as an address is allocated, so that cleanup knows of it even if a later step fails. */
  onAllocated: (address: IpAddressRef) => void
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
  let changed = false
  for (const version of options.allocateIps) {
    const present = networkInterface.ip_addresses.find((ip) => addressVersion(ip.address) === version)
    if (present) {
      options.log(`Interface ${id} already has an ${version} address (${present.address}); none allocated`)
      continue
    }
    // After an ambiguous failure, an address of this family on the interface is the lost one's.
    const findAllocated = async (): Promise<IpAddressRef | undefined> =>
      (await getInterface(client, id)).ip_addresses.find((ip) => addressVersion(ip.address) === version)
    const address = await allocateNewIp(client, id, version, findAllocated)
    options.onAllocated(address)
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
