// The post step. With `cleanup` on, it removes what the main step made, and only that (see
// action/ownership.ts). It also resolves a create or an allocation whose answer never came (a
// cancelled job, a lost connection): what appeared is this run's, removed with `cleanup`, named
// in a warning without it. It sends nothing unless there is something to remove or resolve.
// Cleanup never fails the job: what it cannot remove is named in a warning.
import { parseBoolean, throwIfAny } from '../action/input-reading.ts'
import { readConnection } from '../action/connection-inputs.ts'
import { actionsRunner } from '../action/actions-runner.ts'
import type { Runner } from '../action/runner.ts'
import { runStep } from '../action/step.ts'
import { addToSummary, summaryLine } from '../action/summary.ts'
import { describeFailure } from '../action/failure-messages.ts'
import { removeInterface } from '../action/remove-interface.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { type Clock, systemClock } from '../katapult/step-clock.ts'
import { type Removal, deleteIpAddress, getInterfaceUnlessGone, unallocateIp } from '../katapult/endpoints.ts'
import { readState } from './step-state.ts'
import { type MadeByThisRun, findWhatLostRequestsMade } from './lost-requests.ts'

function listMade(made: MadeByThisRun): string {
  return [
    ...made.reservedIpIds.map((id) => `the organisation's IP address ${id} on the interface`),
    ...made.allocatedIpIds.map((id) => `IP address ${id}`),
    ...(made.interfaceId ? [`interface ${made.interfaceId}`] : []),
  ].join(', ')
}

/**
 * Runs a removal that must not fail the job: what cannot be removed becomes a warning. Returns
 * what happened, e.g. `removed`, `already gone`, `left behind`, for the one line that reports them all.
 */
async function tryRemoval(
  what: string,
  removal: () => Promise<Removal>,
  { done, warn }: { done: string; warn: (message: string) => void },
): Promise<string> {
  try {
    return (await removal()) === 'removed' ? done : 'already gone'
  } catch (error) {
    warn(`Could not remove ${what}; it is left behind. ${describeFailure(error, 'create')}`)
    return 'left behind'
  }
}

/**
 * The ids of the addresses on the interface now: an address is removed only while it is on this
 * run's interface, since one that moved (to another VM, in a failover) is not this run's to take.
 * Undefined, with a warning, when the interface cannot be read.
 */
async function addressesOnInterface(
  client: KatapultClient,
  interfaceId: string,
  warn: (message: string) => void,
): Promise<Set<string> | undefined> {
  try {
    return new Set((await getInterfaceUnlessGone(client, interfaceId))?.ip_addresses.map((ip) => ip.id))
  } catch (error) {
    warn(
      `Could not read interface ${interfaceId} to see which of this run's addresses are still on it, so they are ` +
        `left behind. ${describeFailure(error, 'create')}`,
    )
    return undefined
  }
}

/** Removes what this run made, addresses first, and reports each outcome in one line. */
async function removeAll(
  client: KatapultClient,
  made: MadeByThisRun,
  addressesOn: string | undefined,
  runner: Runner,
): Promise<void> {
  const outcomes: [string, string][] = []
  const remove = async (what: string, removal: () => Promise<Removal>, done: string): Promise<void> => {
    outcomes.push([what, await tryRemoval(what, removal, { done, warn: runner.warning })])
  }
  const addresses = [...made.reservedIpIds, ...made.allocatedIpIds]
  const onInterface =
    addresses.length > 0 && addressesOn ? await addressesOnInterface(client, addressesOn, runner.warning) : undefined
  const stillOn = (ipId: string): boolean => {
    if (onInterface?.has(ipId)) return true
    outcomes.push([`IP address ${ipId}`, onInterface ? 'no longer on the interface, left alone' : 'left behind'])
    return false
  }
  // The organisation's own addresses are only unallocated: it keeps them for the next run.
  for (const ipId of made.reservedIpIds.filter(stillOn)) {
    await remove(`IP address ${ipId}`, () => unallocateIp(client, ipId), 'unallocated (kept)')
  }
  const moved = made.allocatedIpIds.filter((ipId) => onInterface && !onInterface.has(ipId))
  for (const ipId of made.allocatedIpIds.filter(stillOn)) {
    await remove(`IP address ${ipId}`, () => deleteIpAddress(client, ipId), 'removed')
  }
  if (moved.length > 0) {
    runner.warning(
      `This run allocated ${moved.join(', ')}, which ${moved.length === 1 ? 'is' : 'are'} no longer on interface ` +
        `${addressesOn ?? ''}: left alone, since something else may use ${moved.length === 1 ? 'it' : 'them'} now.`,
    )
  }
  const { interfaceId } = made
  if (interfaceId)
    await remove(`interface ${interfaceId}`, () => removeInterface(client, interfaceId, runner.info), 'removed')
  if (outcomes.length === 0) return
  const line = `Cleanup: ${outcomes.map(([what, outcome]) => `${what} ${outcome}`).join('; ')}`
  runner.info(line)
  addToSummary(runner, summaryLine(line))
}

/** The step; the entry file runs it on the real runner, a test on a recording one. */
export async function run(actual: Runner = actionsRunner, clock: Clock = systemClock): Promise<void> {
  await runStep(
    { runner: actual, clock, action: 'create' },
    async ({ runner, connect }) => {
      const read = runner.getInput
      const state = readState(runner.getState, runner.warning)
      // The interface id is saved before the pending create is cleared, so with both, it is known.
      const open = {
        create: state.created && state.interfaceId ? undefined : state.pendingCreate,
        allocation: state.pendingAllocation,
      }
      const known: MadeByThisRun = {
        interfaceId: state.created ? state.interfaceId : undefined,
        allocatedIpIds: state.allocatedIpIds,
        reservedIpIds: state.reservedIpIds,
      }
      const anyOpen = open.create !== undefined || open.allocation !== undefined
      if (!anyOpen && listMade(known) === '') {
        runner.info('Cleanup: this run created nothing, so there is nothing to remove')
        return
      }
      const problems: string[] = []
      const cleanup = parseBoolean(read, 'cleanup', problems)
      if (!cleanup && !anyOpen) {
        runner.info(`Cleanup is off, so what this run created stays: ${listMade(known)}`)
        return
      }
      const connection = readConnection(read, problems)
      throwIfAny(problems)
      const client = connect(connection)
      const found = await findWhatLostRequestsMade(client, open, runner.info, runner.warning)
      if (!cleanup) {
        if (listMade(found)) {
          runner.warning(
            `Cleanup is off, and a request of this run that got no answer did take effect: ${listMade(found)} exists.`,
          )
        }
        return
      }
      await removeAll(
        client,
        {
          interfaceId: known.interfaceId ?? found.interfaceId,
          allocatedIpIds: [...known.allocatedIpIds, ...found.allocatedIpIds],
          reservedIpIds: [...known.reservedIpIds, ...found.reservedIpIds],
        },
        state.interfaceId ?? open.allocation?.interfaceId,
        runner,
      )
    },
    (runner, message) => {
      runner.warning(`Cleanup could not finish, so what this run created may be left behind: ${message}`)
    },
  )
}
