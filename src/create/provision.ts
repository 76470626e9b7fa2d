// Gets the user exactly one interface on the requested network: reuses one when asked to, and
// creates one otherwise without ever leaving a duplicate behind an ambiguous failure.
import { onNetwork } from '../action/networks.ts'
import type { InterfaceSummary, NetworkInterface } from '../katapult/answers.ts'
import type { KatapultClient } from '../katapult/client.ts'
import {
  type CreateBody,
  VM_INTERFACES_PATH,
  createInterface,
  getInterface,
  listInterfaces,
  lookupQuery,
} from '../katapult/endpoints.ts'
import { describeFailure } from '../katapult/errors.ts'
import type { CreateSettings } from './inputs.ts'
import type { PendingCreate } from './state.ts'

export interface Provisioned {
  networkInterface: NetworkInterface
  created: boolean
}

function listingHint(pending: PendingCreate): string {
  const query = new URLSearchParams(lookupQuery('virtual_machine', pending.virtualMachine)).toString()
  return `GET /core/v1${VM_INTERFACES_PATH}?${decodeURIComponent(query)}`
}

/** The interface may exist, and this run cannot tell: the user must look. */
export class UnresolvedCreateError extends Error {
  constructor(pending: PendingCreate, cause: unknown) {
    super(
      'The create request failed in a way that may have created the interface, and listing the ' +
        "VM's interfaces to find out failed too, so this run cannot tell whether it exists " +
        '(the post step looks again). ' +
        `Check before re-running: ${listingHint(pending)} ` +
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
        'and this run cannot tell which one is its own. None was adopted; remove the extra ones, and ' +
        'give the jobs that create on this VM a concurrency group (see the README).',
    )
    this.name = 'ConcurrentCreateError'
  }
}

export function createBody(settings: CreateSettings): CreateBody {
  return {
    virtual_machine: settings.virtualMachine,
    [settings.network.object]: settings.network.lookup,
    speed_profile: settings.speedProfile,
  }
}

/** The interfaces that appeared on the pending create's network since it was sent. */
export async function appearedSince(client: KatapultClient, pending: PendingCreate): Promise<InterfaceSummary[]> {
  const known = new Set(pending.before)
  const after = await listInterfaces(client, pending.virtualMachine)
  return onNetwork(client, pending.network)(after.filter((nic) => !known.has(nic.id)))
}

export async function provisionInterface(
  client: KatapultClient,
  settings: CreateSettings,
  log: (message: string) => void,
  beforeCreate: (pending: PendingCreate) => void,
): Promise<Provisioned> {
  const before = await listInterfaces(client, settings.virtualMachine)

  if (settings.reuseExisting) {
    const [existing, ...others] = await onNetwork(client, settings.network)(before)
    if (existing) {
      const also =
        others.length > 0 ? ` (the VM has ${others.length} more there: ${others.map((nic) => nic.id).join(', ')})` : ''
      log(`Reusing interface ${existing.id}, already on the requested network (reuse-existing)${also}`)
      return { networkInterface: await getInterface(client, existing.id), created: false }
    }
    log('No interface on the requested network yet (reuse-existing); creating one')
  }

  const pending: PendingCreate = {
    virtualMachine: settings.virtualMachine,
    network: settings.network,
    before: before.map((nic) => nic.id),
  }
  beforeCreate(pending)
  const findCreated = async (): Promise<NetworkInterface | undefined> => {
    let appeared: InterfaceSummary[]
    try {
      appeared = await appearedSince(client, pending)
    } catch (error) {
      throw new UnresolvedCreateError(pending, error)
    }
    if (appeared.length > 1) throw new ConcurrentCreateError(appeared.map((nic) => nic.id))
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
