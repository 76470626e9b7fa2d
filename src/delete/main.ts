// The delete action, for teardown workflows: finds one interface (by id, or by VM and virtual
// network), takes the organisation's addresses that `ip-address` names off it (they stay the
// organisation's), optionally releases its other addresses, detaches it if attached and deletes
// it. Nothing there is success (`deleted=false`); two candidates on the virtual network are a
// failure that deletes nothing. What it may take is action/ownership.ts's rule.
import { describeFailure } from '../action/failure-messages.ts'
import { explainLookupFailure } from '../action/lookup-errors.ts'
import { describeNetwork, keepOnNetwork } from '../action/network-target.ts'
import { actionsRunner } from '../action/actions-runner.ts'
import type { Runner } from '../action/runner.ts'
import { runStep } from '../action/step.ts'
import { addToSummary, summaryLine } from '../action/summary.ts'
import { removeFound } from '../action/remove-interface.ts'
import type { IpAddressRef, NetworkInterface } from '../katapult/answer-shapes.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { type Clock, systemClock } from '../katapult/step-clock.ts'
import { isAddress } from '../katapult/addresses.ts'
import { deleteIpAddress, getInterfaceUnlessGone, listInterfaces, unallocateIp } from '../katapult/endpoints.ts'
import { lookupValue } from '../katapult/lookups.ts'
import { loadTlsEarly } from '../katapult/transport.ts'
import { listIds, quote } from '../katapult/untrusted.ts'
import { type DeleteSettings, type Target, parseDeleteSettings } from './inputs.ts'

async function find(client: KatapultClient, target: Target): Promise<NetworkInterface | undefined> {
  if ('interfaceId' in target) return getInterfaceUnlessGone(client, target.interfaceId)
  const candidates = await keepOnNetwork(client, target.network)(await listInterfaces(client, target.virtualMachine))
  if (candidates.length > 1) {
    throw new Error(
      `The VM has ${candidates.length} interfaces on that network (${listIds(candidates.map((nic) => nic.id))}), ` +
        'so this action cannot tell which to delete and deleted none; give interface-id instead.',
    )
  }
  const [only] = candidates
  return only ? getInterfaceUnlessGone(client, only.id) : undefined
}

function describeTarget(target: Target): string {
  if ('interfaceId' in target) return `interface ${target.interfaceId}`
  return `interface on ${describeNetwork(target.network)} on VM ${quote(lookupValue(target.virtualMachine))}`
}

function finish(runner: Runner, line: string, outputs: Record<string, string>): void {
  runner.info(line)
  for (const [name, value] of Object.entries(outputs)) runner.setOutput(name, value)
  addToSummary(runner, summaryLine(line))
}

async function deleteFound(
  client: KatapultClient,
  found: NetworkInterface,
  settings: DeleteSettings,
  runner: Runner,
): Promise<void> {
  const named = (ip: IpAddressRef): boolean => settings.reservedAddresses.some((lookup) => isAddress(ip, lookup))
  const deletedAddresses: string[] = []
  for (const ip of found.ip_addresses.filter(named)) {
    const unallocated = (await unallocateIp(client, ip.id)) === 'removed'
    runner.info(
      `IP address ${ip.address} (${ip.id}) ${unallocated ? 'unallocated: the organisation keeps it (ip-address)' : 'was no longer on the interface'}`,
    )
  }
  if (settings.deleteIps) {
    for (const ip of found.ip_addresses.filter((ip) => !named(ip))) {
      const released = (await deleteIpAddress(client, ip.id)) === 'removed'
      if (released) deletedAddresses.push(ip.address)
      runner.info(
        `IP address ${ip.address} (${ip.id}) ${released ? 'released from the organisation' : 'was already gone'}`,
      )
    }
  }
  const deleted = (await removeFound(client, found, runner.info)) === 'removed'
  const released = deletedAddresses.length > 0 ? ` and released ${deletedAddresses.join(', ')}` : ''
  finish(
    runner,
    deleted
      ? `Deleted interface ${found.id}${released}`
      : `Interface ${found.id} was deleted by something else meanwhile`,
    { deleted: String(deleted), id: found.id, 'deleted-ip-addresses': JSON.stringify(deletedAddresses) },
  )
}

/** The step; the entry file runs it on the real runner, a test on a recording one. */
export async function run(actual: Runner = actionsRunner, clock: Clock = systemClock): Promise<void> {
  loadTlsEarly()
  await runStep(
    { runner: actual, clock, action: 'delete' },
    async ({ runner, connect }) => {
      const settings = parseDeleteSettings(runner.getInput, runner.inputKeys())
      const client = connect(settings)
      const { target } = settings
      try {
        const found = await find(client, target)
        if (found) {
          await deleteFound(client, found, settings, runner)
        } else {
          finish(runner, `Nothing to delete: there is no ${describeTarget(target)}`, {
            deleted: 'false',
            id: '',
            'deleted-ip-addresses': '[]',
          })
        }
      } catch (error) {
        const explained = 'interfaceId' in target ? undefined : await explainLookupFailure(error, client, target)
        throw new Error(explained ?? describeFailure(error, 'delete'), { cause: error })
      }
    },
    (runner, message) => {
      runner.setFailed(message)
    },
  )
}
