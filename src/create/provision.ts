// Gets the user exactly one interface on the requested network: reuses one when asked to, and
// creates one otherwise without ever leaving a duplicate behind an ambiguous failure.
import { describeFailure } from '../katapult/errors.ts'
import type { CreateSettings } from '../action/inputs.ts'
import {
  type CreateBody,
  type InterfaceSummary,
  type NetworkInterface,
  createInterface,
  getInterface,
  getNetworkId,
  listInterfaces,
  VM_INTERFACES_PATH,
} from '../katapult/endpoints.ts'
import type { KatapultClient } from '../katapult/client.ts'

export interface Provisioned {
  networkInterface: NetworkInterface
  created: boolean
}

/** The interface may exist, and this run cannot tell: the user must look. */
export class UnresolvedCreateError extends Error {
  constructor(settings: CreateSettings, cause: unknown) {
    const vm = Object.entries(settings.virtualMachine).map(([key, value]) => `virtual_machine[${key}]=${value}`)[0]
    super(
      'The create request failed in a way that may have created the interface, and listing the ' +
        "VM's interfaces to find out failed too, so this run cannot tell whether it exists. " +
        `Check before re-running: GET /core/v1${VM_INTERFACES_PATH}?${vm ?? ''} ` +
        "(or the VM's network page in the Katapult console), and delete or reuse any interface " +
        `you do not expect (re-running with reuse-existing: true adopts it). Listing failed with: ${describeFailure(cause)}`,
      { cause },
    )
    this.name = 'UnresolvedCreateError'
  }
}

/** Several interfaces appeared on the requested network at once: someone else is creating too. */
export class ConcurrentCreateError extends Error {
  constructor(ids: readonly string[]) {
    super(
      `After an ambiguous failure, ${ids.length} new interfaces appeared on the requested network ` +
        `(${ids.join(', ')}), so something else is creating interfaces on this VM at the same time ` +
        'and this run cannot tell which one is its own. None was adopted; remove the extra ones.',
    )
    this.name = 'ConcurrentCreateError'
  }
}

export function createBody(settings: CreateSettings): CreateBody {
  return {
    virtual_machine: settings.virtualMachine,
    ...(settings.network ? { network: settings.network } : {}),
    ...(settings.virtualNetwork ? { virtual_network: settings.virtualNetwork } : {}),
    speed_profile: settings.speedProfile,
  }
}

export async function provisionInterface(
  client: KatapultClient,
  settings: CreateSettings,
  log: (message: string) => void,
): Promise<Provisioned> {
  const before = await listInterfaces(client, settings.virtualMachine)

  let networkId: Promise<string | undefined> | undefined
  const onRequestedNetworkOnly = async (candidates: InterfaceSummary[]): Promise<InterfaceSummary[]> => {
    const { network, virtualNetwork } = settings
    if (virtualNetwork) return candidates.filter((candidate) => candidate.virtual_network?.id === virtualNetwork.id)
    if (!network || candidates.length === 0) return candidates
    // The list shows networks by id only, so a permalink is resolved to its id, once.
    networkId ??= network.permalink ? getNetworkId(client, network.permalink) : Promise.resolve(network.id)
    const id = await networkId
    return candidates.filter((candidate) => candidate.network?.id === id)
  }

  if (settings.reuseExisting) {
    const [existing] = await onRequestedNetworkOnly(before)
    if (existing) {
      log(`Reusing interface ${existing.id} (${existing.name}), already on the requested network (reuse-existing)`)
      return { networkInterface: await getInterface(client, existing.id), created: false }
    }
    log('No interface on the requested network yet (reuse-existing); creating one')
  }

  const known = new Set(before.map((candidate) => candidate.id))
  const findCreated = async (): Promise<NetworkInterface | undefined> => {
    let after: InterfaceSummary[]
    try {
      after = await listInterfaces(client, settings.virtualMachine)
    } catch (error) {
      throw new UnresolvedCreateError(settings, error)
    }
    const appeared = await onRequestedNetworkOnly(after.filter((candidate) => !known.has(candidate.id)))
    if (appeared.length > 1) throw new ConcurrentCreateError(appeared.map((candidate) => candidate.id))
    const [adopted] = appeared
    if (!adopted) {
      log('No new interface appeared on the VM: the lost request created nothing')
      return undefined
    }
    log(`Interface ${adopted.id} appeared on the VM: the lost request did create it, so it is adopted`)
    try {
      return await getInterface(client, adopted.id)
    } catch (error) {
      throw new Error(
        `Interface ${adopted.id} was created, but fetching it failed, so the step cannot output it; ` +
          `re-run with reuse-existing: true to adopt it. ${describeFailure(error)}`,
        { cause: error },
      )
    }
  }

  return { networkInterface: await createInterface(client, createBody(settings), findCreated), created: true }
}
