// Makes an interface ready to use: the requested speed profile, the organisation's reserved
// addresses and new addresses of the requested families on it, and attached.
import type { IpAddressRef, NetworkInterface } from '../katapult/answers.ts'
import type { KatapultClient } from '../katapult/client.ts'
import {
  type AddressVersion,
  type Lookup,
  allocateIp,
  allocateNewIp,
  attachInterface,
  getInterface,
  updateSpeedProfile,
} from '../katapult/endpoints.ts'
import { KatapultApiError, describeFailure } from '../katapult/errors.ts'
import type { RetryClock } from '../katapult/retry.ts'
import { waitForTask } from '../katapult/tasks.ts'
import { quote } from '../katapult/untrusted.ts'
import type { PendingAllocation, StateWriter } from './state.ts'

export function addressVersion(address: string): AddressVersion {
  return address.includes(':') ? 'ipv6' : 'ipv4'
}

/** Whether an address is the one an ip-address lookup names. */
function isAddress(ip: IpAddressRef, lookup: Lookup): boolean {
  return lookup.id !== undefined ? ip.id === lookup.id : ip.address === lookup.address
}

function describeAddress(lookup: Lookup): string {
  return lookup.id ?? lookup.address ?? ''
}

/** The addresses the pending allocation may have put on the interface since it was sent. */
export async function allocatedSince(client: KatapultClient, pending: PendingAllocation): Promise<IpAddressRef[]> {
  const known = new Set(pending.before)
  const { ip_addresses: addresses } = await getInterface(client, pending.interfaceId)
  return addresses.filter(
    (ip) =>
      !known.has(ip.id) &&
      ('version' in pending ? addressVersion(ip.address) === pending.version : isAddress(ip, pending.reserved)),
  )
}

export interface PrepareOptions {
  speedProfile: Lookup
  reservedAddresses: readonly Lookup[]
  allocateIps: readonly AddressVersion[]
  attach: boolean
  state: StateWriter
  log: (message: string) => void
}

function hasSpeedProfile(networkInterface: NetworkInterface, wanted: Lookup): boolean {
  const current = networkInterface.speed_profile
  if (!current) return false
  return wanted.id !== undefined ? current.id === wanted.id : current.permalink === wanted.permalink
}

/** Puts the requested speed profile on an interface that has another; no request when it has it. */
async function convergeSpeedProfile(
  client: KatapultClient,
  clock: RetryClock,
  networkInterface: NetworkInterface,
  options: PrepareOptions,
): Promise<boolean> {
  if (hasSpeedProfile(networkInterface, options.speedProfile)) return false
  const { id } = networkInterface
  const wanted = quote(Object.values(options.speedProfile).join(''))
  options.log(`Changing the speed profile of interface ${id} to ${wanted}`)
  try {
    await waitForTask(
      client,
      clock,
      `Changing the speed profile of interface ${id}`,
      await updateSpeedProfile(client, id, options.speedProfile),
    )
  } catch (error) {
    // The answer did not show the profile, but Katapult says it is the one asked for.
    if (error instanceof KatapultApiError && error.code === 'speed_profile_already_assigned') return false
    throw error
  }
  return true
}

/**
 * Addresses come before attaching, so that the interface comes up on the VM with them: first the
 * organisation's reserved addresses, then new ones for the families still missing. Returns the
 * interface as it is afterwards (unchanged when there was nothing to do). What the post step
 * needs is saved before each request that may allocate something.
 */
export async function prepareInterface(
  client: KatapultClient,
  clock: RetryClock,
  networkInterface: NetworkInterface,
  options: PrepareOptions,
): Promise<NetworkInterface> {
  const { id } = networkInterface
  let changed = await convergeSpeedProfile(client, clock, networkInterface, options)
  let addresses = [...networkInterface.ip_addresses]
  const findOne = async (pending: PendingAllocation, what: string): Promise<IpAddressRef | undefined> => {
    const appeared = await allocatedSince(client, pending)
    if (appeared.length > 1) {
      throw new Error(
        `After an ambiguous failure, ${appeared.length} new ${what} addresses appeared on interface ${id} ` +
          `(${appeared.map((ip) => ip.id).join(', ')}), so this run cannot tell which one is its own; none was adopted.`,
      )
    }
    return appeared[0]
  }

  for (const lookup of options.reservedAddresses) {
    const present = addresses.find((ip) => isAddress(ip, lookup))
    if (present) {
      options.log(`Interface ${id} already has the address ${present.address} (${present.id}); not allocated again`)
      continue
    }
    const pending: PendingAllocation = { interfaceId: id, before: addresses.map((ip) => ip.id), reserved: lookup }
    options.state.beforeAllocation(pending)
    let after: NetworkInterface
    try {
      after = await allocateIp(client, id, lookup, async () =>
        (await findOne(pending, 'reserved')) ? getInterface(client, id) : undefined,
      )
    } catch (error) {
      if (!(error instanceof KatapultApiError)) throw error
      throw new Error(`ip-address ${describeAddress(lookup)}: ${describeFailure(error)}`, { cause: error })
    }
    const allocated = after.ip_addresses.find((ip) => isAddress(ip, lookup))
    if (!allocated) {
      throw new Error(
        `ip-address ${describeAddress(lookup)}: Katapult answered the allocation without the address on interface ${id}`,
      )
    }
    options.state.reserved(allocated.id)
    addresses = after.ip_addresses
    options.log(`Allocated the organisation's address ${allocated.address} (${allocated.id}) to interface ${id}`)
    changed = true
  }

  for (const version of options.allocateIps) {
    const present = addresses.find((ip) => addressVersion(ip.address) === version)
    if (present) {
      options.log(`Interface ${id} already has an ${version} address (${present.address}); none allocated`)
      continue
    }
    const pending: PendingAllocation = { interfaceId: id, before: addresses.map((ip) => ip.id), version }
    options.state.beforeAllocation(pending)
    // After an ambiguous failure, a new address of this family on the interface is the lost one's.
    const address = await allocateNewIp(client, id, version, () => findOne(pending, version))
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
