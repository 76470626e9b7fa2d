// A lookup that found nothing, told the way a user can act on it: which input, which value, and
// what does exist (the organisation's speed profiles, the networks available to it), with the
// nearest match first. The listing costs one or two extra requests, only on this failure path,
// through the same client and retry rules; when it fails, the message says why the list is missing
// and is complete without it.
import type { PermalinkRef } from '../katapult/answer-shapes.ts'
import type { KatapultClient } from '../katapult/client.ts'
import { getAvailableNetworks, getVirtualMachine, listSpeedProfiles } from '../katapult/endpoints.ts'
import { type Lookup, lookupValue } from '../katapult/lookups.ts'
import { KatapultApiError } from '../katapult/api-errors.ts'
import { isPermalink } from '../katapult/ids.ts'
import { quote, quoteCut } from '../katapult/untrusted.ts'
import { describeFailure } from './failure-messages.ts'
import { type LookupObject, lookupInput } from './lookup-inputs.ts'
import { type NetworkTarget } from './network-target.ts'
import { byNearness, nearest } from './near-miss.ts'

/** The lookups of the step that failed, as its inputs gave them. */
export interface StepLookups {
  virtualMachine: Lookup
  network?: NetworkTarget | undefined
  speedProfile?: Lookup | undefined
}

const NOT_FOUND: Record<string, { object: LookupObject; noun: string } | undefined> = {
  virtual_machine_not_found: { object: 'virtual_machine', noun: 'virtual machine' },
  network_not_found: { object: 'network', noun: 'network' },
  virtual_network_not_found: { object: 'virtual_network', noun: 'virtual network' },
  network_speed_profile_not_found: { object: 'speed_profile', noun: 'network speed profile' },
}

function lookupOf(object: LookupObject, lookups: StepLookups): Lookup | undefined {
  if (object === 'virtual_machine') return lookups.virtualMachine
  if (object === 'speed_profile') return lookups.speedProfile
  return lookups.network?.object === object ? lookups.network.lookup : undefined
}

/** What a user would type for it: its permalink, or (a virtual network) its id. */
const typedAs = (item: PermalinkRef): string => item.permalink ?? item.id

/** A permalink is text from the API: printed as it is only in a permalink's form. */
const shown = (typed: string): string => (isPermalink(typed) ? typed : quoteCut(typed, 60))

/** How many of what exists are listed: the nearest first, and the count of the rest. */
export const MAX_LISTED = 10

/** `1gbps ("1Gbps", nsp_…)`, or `vnet_… ("backend")`: what a user types, then what else identifies it. */
function describeListed(item: PermalinkRef): string {
  const name = item.name === undefined ? [] : [quoteCut(item.name, 60)]
  const details = item.permalink === undefined ? name : [...name, item.id]
  return details.length > 0 ? `${shown(typedAs(item))} (${details.join(', ')})` : shown(typedAs(item))
}

/** What exists of the kind that was not found, nearest match first; or why that cannot be said. */
async function whatExists(
  client: KatapultClient,
  object: LookupObject,
  lookups: StepLookups,
  typed: string,
): Promise<string[]> {
  if (object === 'virtual_machine') {
    return [
      'Katapult finds a VM by its id (vm_…) or its full FQDN as the Katapult console shows it, in the organisation the API token belongs to.',
    ]
  }
  const what = object === 'speed_profile' ? 'speed profiles' : object === 'network' ? 'networks' : 'virtual networks'
  let items: PermalinkRef[]
  try {
    const { organizationId } = await getVirtualMachine(client, lookups.virtualMachine)
    if (object === 'speed_profile') {
      items = await listSpeedProfiles(client, organizationId)
    } else {
      const available = await getAvailableNetworks(client, organizationId)
      items = object === 'network' ? available.networks : available.virtualNetworks
    }
  } catch (error) {
    return [
      `(The organisation's ${what} could not be listed to say which exist: ${describeFailure(error).split('\n')[0] ?? ''})`,
    ]
  }
  if (items.length === 0) return [`The organisation has no ${what} available.`]
  const closest = nearest(typed, items.map(typedAs))
  const listed = byNearness(typed, items, typedAs).slice(0, MAX_LISTED)
  const more = items.length > listed.length ? `, and ${items.length - listed.length} more` : ''
  return [
    ...(closest === undefined ? [] : [`Did you mean ${shown(closest)}?`]),
    `The ${what} available to the organisation: ${listed.map(describeListed).join(', ')}${more}.`,
  ]
}

/**
 * For a failure whose Katapult code ties it to a lookup (virtual_machine_not_found, …), the
 * message that names the input and its value and says what exists; undefined for any other failure.
 */
export async function explainLookupFailure(
  error: unknown,
  client: KatapultClient,
  lookups: StepLookups,
): Promise<string | undefined> {
  if (!(error instanceof KatapultApiError)) return undefined
  const notFound = NOT_FOUND[error.code]
  const lookup = notFound && lookupOf(notFound.object, lookups)
  const input = notFound && lookup && lookupInput(notFound.object, lookup)
  if (!notFound || !lookup || !input) return undefined
  const value = lookupValue(lookup)
  const lines = await whatExists(client, notFound.object, lookups, value)
  return [
    `${input}: Katapult has no ${notFound.noun} ${quote(value)} (${error.message})`,
    ...lines.map((line) => `  ${line}`),
  ].join('\n')
}
