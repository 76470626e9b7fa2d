// Gets the user exactly one interface on the requested network: reuses the one on the virtual
// network when asked to, and creates one otherwise without ever leaving a duplicate behind an
// ambiguous failure.
import { keepOnNetwork } from '../action/network-target.ts'
import type { NetworkInterface } from '../katapult/answer-shapes.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { type CreateBody, createInterface, getInterface, listInterfaces } from '../katapult/endpoints.ts'
import type { CreateSettings } from './inputs.ts'
import { listIds } from '../katapult/untrusted.ts'
import type { StateWriter } from './step-state.ts'
import { type PendingCreate, adoptCreated, sendRecorded } from './lost-requests.ts'

export interface Provisioned {
  networkInterface: NetworkInterface
  created: boolean
}

export function createBody(settings: CreateSettings): CreateBody {
  return {
    virtual_machine: settings.virtualMachine,
    [settings.network.object]: settings.network.lookup,
    speed_profile: settings.speedProfile,
  }
}

/** The interface to hand on, saved to the state as soon as it is known. */
export async function provisionInterface(
  client: KatapultClient,
  settings: CreateSettings,
  log: (message: string) => void,
  state: StateWriter,
): Promise<Provisioned> {
  const before = await listInterfaces(client, settings.virtualMachine)

  // The inputs allow reuse-existing only on a virtual network (see action/ownership.ts).
  if (settings.reuseExisting) {
    const [existing, ...others] = await keepOnNetwork(client, settings.network)(before)
    if (existing) {
      const also =
        others.length > 0 ? ` (the VM has ${others.length} more there: ${listIds(others.map((nic) => nic.id))})` : ''
      log(`Reusing interface ${existing.id}, already on the requested virtual network (reuse-existing)${also}`)
      state.interfaceKnown(existing.id, false)
      return { networkInterface: await getInterface(client, existing.id), created: false }
    }
    log('No interface on the requested virtual network yet (reuse-existing); creating one')
  }

  const pending: PendingCreate = {
    virtualMachine: settings.virtualMachine,
    network: settings.network,
    before: before.map((nic) => nic.id),
  }
  const created = await sendRecorded(
    pending,
    (record) => {
      state.pendingCreate(record)
    },
    () =>
      createInterface(client, createBody(settings), () =>
        adoptCreated(client, pending, log, (id) => {
          state.interfaceKnown(id, true)
        }),
      ),
  )
  state.interfaceKnown(created.id, true)
  return { networkInterface: created, created: true }
}
