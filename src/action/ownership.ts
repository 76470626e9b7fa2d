// What the actions may take as theirs. The rule, in full:
//
// - They create, adopt, change and delete only what the user named explicitly or what a run of
//   this action provably made.
// - Named explicitly: the delete action's `interface-id`, and the create action's `ip-address`
//   addresses (allocated to the interface, and at cleanup only unallocated: the organisation keeps
//   them).
// - Made by this run: what the main step's answers said it created or allocated, saved to the
//   step's state before anything else happens (create/step-state.ts). Cleanup removes that and nothing
//   else; a reused interface is never deleted.
// - A request that got no answer may have acted: what appeared since it was sent, and only that,
//   is its effect, and only when exactly one thing appeared (create/lost-requests.ts). A definite
//   answer (what mayHaveActed in katapult/retry-policy.ts rules out) means it did nothing: its record is cleared, and nothing that
//   appears later is ever taken for its effect.
// - A lookup by VM and network takes an interface only on a virtual network. Every VM has an
//   interface on its data centre's public network from the day it was built, which is how it
//   reaches the internet, and nothing in Katapult's answers tells it from one a run added; on a
//   virtual network a VM has one interface, which Katapult's own Terraform provider also treats as
//   the one to manage. So `reuse-existing` reuses, and the delete action by VM deletes, only on a
//   virtual network; on a network, the interface is named by its id.
import { type NetworkTarget } from './network-target.ts'
import { lookupInput } from './lookup-inputs.ts'

/** Refuses a lookup by VM and network, not virtual network, before any request: the last rule above. */
export function checkLookupByNetwork(
  purpose: 'reuse-existing' | 'delete',
  network: NetworkTarget | undefined,
  problems: string[],
): void {
  if (network?.object !== 'network') return
  const input = lookupInput('network', network.lookup) ?? 'network-id'
  const own =
    `a VM has its own interface on a network from the day it was built, which this action cannot tell ` +
    `from one a run added, so it`
  if (purpose === 'reuse-existing') {
    problems.push(
      `reuse-existing: ${own} reuses only on a virtual network (virtual-network-id), not by ${input}; ` +
        'to add an interface on this network, drop reuse-existing (with cleanup: true, the post step removes it again)',
    )
  } else {
    problems.push(
      `${input}: ${own} deletes by VM only on a virtual network (virtual-network-id); to delete an interface on ` +
        'a network, give interface-id alone (the id output of the step that created it)',
    )
  }
}
