// The post step. With `cleanup` on, it removes what the main step created, and only that. It also
// resolves a create or an allocation whose answer never came (a cancelled job, a lost connection):
// what appeared is this run's, removed with `cleanup`, named in a warning without it. Cleanup never
// fails the job: what it cannot remove is named in a warning.
import * as core from '@actions/core'
import { parseBoolean, readConnection, throwIfAny } from '../action/inputs.ts'
import { readInput, runStep } from '../action/step.ts'
import { releaseAddress, removeInterface, tryRemoval, unallocateAddress } from '../action/teardown.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { escapeHtml } from '../katapult/untrusted.ts'
import { allocatedSince } from './prepare.ts'
import { appearedSince } from './provision.ts'
import { type SavedState, readState } from './state.ts'

/** What this run made: an interface it created, new addresses, and the organisation's addresses it allocated. */
interface Made {
  interfaceId: string | undefined
  allocatedIpIds: string[]
  reservedIpIds: string[]
}

/**
 * Finds what the requests that got no answer made. What cannot be told apart from another
 * creator's work is named in a warning and left alone.
 */
async function resolvePending(client: KatapultClient, state: SavedState): Promise<Made> {
  const found: Made = { interfaceId: undefined, allocatedIpIds: [], reservedIpIds: [] }
  if (state.pendingCreate) {
    const appeared = await appearedSince(client, state.pendingCreate)
    if (appeared.length > 1) {
      core.warning(
        `A create request of this run got no answer, and ${appeared.length} interfaces appeared on the network since ` +
          `(${appeared.map((nic) => nic.id).join(', ')}): this run cannot tell which is its own, so none is removed.`,
      )
    } else if (appeared[0]) {
      core.info(`The create request that got no answer did create interface ${appeared[0].id}`)
      found.interfaceId = appeared[0].id
    } else {
      core.info('The create request that got no answer created nothing')
    }
  }
  if (state.pendingAllocation) {
    const appeared = await allocatedSince(client, state.pendingAllocation)
    if (appeared.length > 1) {
      core.warning(
        `An allocation of this run got no answer, and ${appeared.length} addresses appeared on the interface since ` +
          `(${appeared.map((ip) => ip.id).join(', ')}): this run cannot tell which is its own, so none is removed.`,
      )
    } else if (appeared[0]) {
      core.info(`The allocation that got no answer did allocate ${appeared[0].address} (${appeared[0].id})`)
      const list = 'reserved' in state.pendingAllocation ? found.reservedIpIds : found.allocatedIpIds
      list.push(appeared[0].id)
    } else {
      core.info('The allocation that got no answer allocated nothing')
    }
  }
  return found
}

function describe(made: Made): string {
  return [
    ...made.reservedIpIds.map((id) => `the organisation's IP address ${id} on the interface`),
    ...made.allocatedIpIds.map((id) => `IP address ${id}`),
    ...(made.interfaceId ? [`interface ${made.interfaceId}`] : []),
  ].join(', ')
}

/** Removes what this run made, addresses first, and reports each outcome in one line. */
async function removeAll(client: KatapultClient, made: Made): Promise<void> {
  const report = { log: core.info, warn: core.warning }
  const outcomes: [string, string][] = []
  // The organisation's own addresses are only unallocated: it keeps them for the next run.
  for (const ipId of made.reservedIpIds) {
    const what = `IP address ${ipId}`
    const removal = (): Promise<boolean> => unallocateAddress(client, ipId)
    outcomes.push([what, await tryRemoval(what, removal, { ...report, done: 'unallocated (kept)' })])
  }
  for (const ipId of made.allocatedIpIds) {
    const what = `IP address ${ipId}`
    const removal = (): Promise<boolean> => releaseAddress(client, ipId)
    outcomes.push([what, await tryRemoval(what, removal, { ...report, done: 'removed' })])
  }
  if (made.interfaceId) {
    const id = made.interfaceId
    const what = `interface ${id}`
    const removal = (): Promise<boolean> => removeInterface(client, id, core.info)
    outcomes.push([what, await tryRemoval(what, removal, { ...report, done: 'removed' })])
  }
  if (outcomes.length === 0) return
  const line = `Cleanup: ${outcomes.map(([what, outcome]) => `${what} ${outcome}`).join('; ')}`
  core.info(line)
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(escapeHtml(line), true).write()
}

export async function run(): Promise<void> {
  await runStep(
    async (connect) => {
      const state = readState(core.getState, core.warning)
      // The interface id is saved before the pending create is cleared, so with both, it is known.
      const pendingCreate = state.created && state.interfaceId ? undefined : state.pendingCreate
      const toResolve = { ...state, pendingCreate }
      const known: Made = {
        interfaceId: state.created ? state.interfaceId : undefined,
        allocatedIpIds: state.allocatedIpIds,
        reservedIpIds: state.reservedIpIds,
      }
      const anyPending = pendingCreate !== undefined || state.pendingAllocation !== undefined
      if (!anyPending && describe(known) === '') {
        core.info('Cleanup: this run created nothing, so there is nothing to remove')
        return
      }
      const problems: string[] = []
      const cleanup = parseBoolean(readInput, 'cleanup', problems)
      if (!cleanup && !anyPending) {
        core.info(`Cleanup is off, so what this run created stays: ${describe(known)}`)
        return
      }
      const connection = readConnection(readInput, problems)
      throwIfAny(problems)
      const client = connect(connection)
      const found = await resolvePending(client, toResolve)
      if (!cleanup) {
        if (describe(found)) {
          core.warning(
            `Cleanup is off, and a request of this run that got no answer did take effect: ${describe(found)} exists.`,
          )
        }
        return
      }

      await removeAll(client, {
        interfaceId: known.interfaceId ?? found.interfaceId,
        allocatedIpIds: [...known.allocatedIpIds, ...found.allocatedIpIds],
        reservedIpIds: [...known.reservedIpIds, ...found.reservedIpIds],
      })
    },
    (message) => {
      core.warning(`Cleanup could not finish, so what this run created may be left behind: ${message}`)
    },
  )
}
