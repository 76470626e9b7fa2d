// Makes an interface ready to use: the requested speed profile on a reused one, the organisation's
// reserved addresses and new addresses of the requested families on it, and attached.
import { type AddressVersion, addressVersion, isAddress } from '../katapult/addresses.ts'
import type { IpAddressRef, NetworkInterface } from '../katapult/answer-shapes.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { allocateIp, allocateNewIp, attachInterface, getInterface, updateSpeedProfile } from '../katapult/endpoints.ts'
import { type Lookup, lookupValue } from '../katapult/lookups.ts'
import { describeFailure } from '../action/failure-messages.ts'
import { KatapultApiError } from '../katapult/api-errors.ts'
import { waitForTask } from '../katapult/tasks.ts'
import { quote } from '../katapult/untrusted.ts'
import type { StateWriter } from './step-state.ts'
import { type PendingAllocation, adoptAllocated, sendRecorded } from './lost-requests.ts'

export interface PrepareOptions {
  /** Whether the interface was reused: only a reused one can have another speed profile than asked. */
  reused: boolean
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

/** Puts the requested speed profile on a reused interface that has another; no request when it has it. */
async function convergeSpeedProfile(
  client: KatapultClient,
  networkInterface: NetworkInterface,
  options: PrepareOptions,
): Promise<boolean> {
  if (!options.reused || hasSpeedProfile(networkInterface, options.speedProfile)) return false
  const { id } = networkInterface
  options.log(`Changing the speed profile of interface ${id} to ${quote(lookupValue(options.speedProfile))}`)
  // No task: Katapult says the profile is the one asked for already, which the answer did not show.
  const task = await updateSpeedProfile(client, id, options.speedProfile)
  if (!task) return false
  await waitForTask(client, `Changing the speed profile of interface ${id}`, task)
  return true
}

/** Allocates one of the organisation's addresses, unless the interface has it; returns its addresses afterwards. */
async function allocateReserved(
  client: KatapultClient,
  id: string,
  addresses: IpAddressRef[],
  lookup: Lookup,
  options: PrepareOptions,
): Promise<IpAddressRef[]> {
  const named = `ip-address ${lookup.id ?? lookup.address ?? ''}`
  const present = addresses.find((ip) => isAddress(ip, lookup))
  if (present) {
    options.log(`Interface ${id} already has the address ${present.address} (${present.id}); not allocated again`)
    return addresses
  }
  const pending: PendingAllocation = { interfaceId: id, before: addresses.map((ip) => ip.id), reserved: lookup }
  let after: NetworkInterface
  try {
    after = await sendRecorded(
      pending,
      (record) => {
        options.state.pendingAllocation(record)
      },
      () =>
        allocateIp(client, id, lookup, async () =>
          (await adoptAllocated(client, pending)) ? getInterface(client, id) : undefined,
        ),
    )
  } catch (error) {
    if (!(error instanceof KatapultApiError)) throw error
    // Already allocated, and to this interface (whose answer spelt the address differently): as asked.
    const now = error.code === 'ip_already_allocated' ? await getInterface(client, id) : undefined
    const there = now?.ip_addresses.find((ip) => isAddress(ip, lookup))
    if (!now || !there) throw new Error(`${named}: ${describeFailure(error, 'create')}`, { cause: error })
    options.log(`Interface ${id} already has the address ${there.address} (${there.id}); not allocated again`)
    return now.ip_addresses
  }
  const allocated = after.ip_addresses.find((ip) => isAddress(ip, lookup))
  if (!allocated) {
    throw new Error(`${named}: Katapult answered the allocation without the address on interface ${id}`)
  }
  options.state.reserved(allocated.id)
  options.log(`Allocated the organisation's address ${allocated.address} (${allocated.id}) to interface ${id}`)
  return after.ip_addresses
}

/** Allocates a new address of the family, unless the interface has one; returns its addresses afterwards. */
async function allocateNew(
  client: KatapultClient,
  id: string,
  addresses: IpAddressRef[],
  version: AddressVersion,
  options: PrepareOptions,
): Promise<IpAddressRef[]> {
  const present = addresses.find((ip) => addressVersion(ip.address) === version)
  if (present) {
    options.log(`Interface ${id} already has an ${version} address (${present.address}); none allocated`)
    return addresses
  }
  const pending: PendingAllocation = { interfaceId: id, before: addresses.map((ip) => ip.id), version }
  // After an ambiguous failure, a new address of this family on the interface is the lost one's.
  const address = await sendRecorded(
    pending,
    (record) => {
      options.state.pendingAllocation(record)
    },
    () => allocateNewIp(client, id, version, () => adoptAllocated(client, pending)),
  )
  options.state.allocated(address.id)
  options.log(`Allocated ${version} address ${address.address} to interface ${id}`)
  return [...addresses, address]
}

/**
 * Addresses come before attaching, so that the interface comes up on the VM with them: first the
 * organisation's reserved addresses, then new ones for the families still missing. Returns the
 * interface as it is afterwards (unchanged when there was nothing to do). What the post step
 * needs is saved before each request that may allocate something.
 */
export async function prepareInterface(
  client: KatapultClient,
  networkInterface: NetworkInterface,
  options: PrepareOptions,
): Promise<NetworkInterface> {
  const { id } = networkInterface
  let changed = await convergeSpeedProfile(client, networkInterface, options)
  let addresses = networkInterface.ip_addresses
  for (const lookup of options.reservedAddresses) {
    const after = await allocateReserved(client, id, addresses, lookup, options)
    changed ||= after !== addresses
    addresses = after
  }
  for (const version of options.allocateIps) {
    const after = await allocateNew(client, id, addresses, version, options)
    changed ||= after !== addresses
    addresses = after
  }
  if (options.attach && networkInterface.state !== 'attached') {
    options.log(`Attaching interface ${id} to its virtual machine`)
    const task = await attachInterface(client, id)
    if (task) {
      await waitForTask(client, `Attaching interface ${id}`, task)
      options.log(`Interface ${id} attached (task ${task.id})`)
    } else {
      options.log(`Interface ${id} is attached already`)
    }
    changed = true
  }
  return changed ? getInterface(client, id) : networkInterface
}
