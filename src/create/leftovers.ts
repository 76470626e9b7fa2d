// When the main step fails, what this run made, or may have made, is still there: the message
// says so, and what happens to it, so that nobody has to guess whether to look.
import { describeNetwork } from '../action/network-target.ts'
import { lookupValue } from '../katapult/lookups.ts'
import { quote } from '../katapult/untrusted.ts'
import type { SavedState } from './step-state.ts'

export function describeLeftovers(saved: SavedState, cleanup: boolean): string[] {
  const lines: string[] = []
  if (saved.interfaceId && saved.created) {
    lines.push(
      `Interface ${saved.interfaceId} was created by this run and exists: ` +
        (cleanup
          ? 'the post step removes it at the end of the job (cleanup: true).'
          : `it stays (cleanup is off); remove it with the delete action and interface-id: ${saved.interfaceId}.`),
    )
  }
  const on = `on interface ${saved.interfaceId ?? ''}`
  if (saved.allocatedIpIds.length > 0) {
    lines.push(
      `This run allocated ${saved.allocatedIpIds.join(', ')} ${on}: ` +
        (cleanup ? 'the post step releases them.' : 'they stay the organisation’s (cleanup is off).'),
    )
  }
  if (saved.reservedIpIds.length > 0) {
    lines.push(
      `This run put the organisation's ${saved.reservedIpIds.join(', ')} ${on}: ` +
        (cleanup
          ? 'the post step unallocates them; the organisation keeps them.'
          : 'they stay there (cleanup is off).'),
    )
  }
  const then = cleanup ? 'removes it' : 'names it in a warning'
  if (saved.pendingCreate) {
    const { network, virtualMachine } = saved.pendingCreate
    lines.push(
      `The create request got no answer, so an interface may exist on ${describeNetwork(network)} ` +
        `of VM ${quote(lookupValue(virtualMachine))}: the post step looks for it and ${then}.`,
    )
  }
  if (saved.pendingAllocation) {
    lines.push(
      `An address allocation got no answer, so an address may be on interface ${saved.pendingAllocation.interfaceId}: ` +
        `the post step looks for it and ${then}.`,
    )
  }
  return lines
}
