// Which scopes each feature of the actions needs: the one source that the api-token descriptions
// of both action.yml files, the README's table and the advice after scope_not_granted are made
// from or checked against (__tests__/repository/). Each feature is the endpoints it calls; the
// scopes are those endpoints' (katapult/endpoint-scopes.ts), the narrowest of each.
import { ENDPOINT_SCOPES, type Endpoint } from '../katapult/endpoint-scopes.ts'
import { INTERFACE_PATH as INTERFACE, VM_INTERFACES_PATH } from '../katapult/paths.ts'

export interface Feature {
  /** The input that turns it on, or what every run does. */
  name: string
  endpoints: readonly Endpoint[]
}

export type ActionName = 'create' | 'delete'

/** For each action: first what every run calls, then what each input adds. */
export const FEATURES: Record<ActionName, readonly Feature[]> = {
  create: [
    {
      name: 'every run',
      endpoints: [`GET ${VM_INTERFACES_PATH}`, `POST ${VM_INTERFACES_PATH}`, 'GET /virtual_machines/virtual_machine'],
    },
    { name: 'attach', endpoints: [`POST ${INTERFACE}/attach`, 'GET /tasks/task', `GET ${INTERFACE}`] },
    {
      name: 'reuse-existing',
      endpoints: [`GET ${INTERFACE}`, `PATCH ${INTERFACE}/update_speed_profile`, 'GET /tasks/task'],
    },
    { name: 'allocate-ips', endpoints: [`POST ${INTERFACE}/allocate_new_ip`, `GET ${INTERFACE}`] },
    { name: 'ip-address', endpoints: [`POST ${INTERFACE}/allocate_ip`, `GET ${INTERFACE}`] },
    {
      name: 'cleanup',
      endpoints: [`GET ${INTERFACE}`, `POST ${INTERFACE}/detach`, 'GET /tasks/task', `DELETE ${INTERFACE}`],
    },
  ],
  delete: [
    {
      name: 'every run',
      endpoints: [
        `GET ${VM_INTERFACES_PATH}`,
        `GET ${INTERFACE}`,
        `POST ${INTERFACE}/detach`,
        'GET /tasks/task',
        `DELETE ${INTERFACE}`,
      ],
    },
    { name: 'delete-ips', endpoints: ['DELETE /ip_addresses/ip_address'] },
    { name: 'ip-address', endpoints: ['POST /ip_addresses/ip_address/unallocate'] },
  ],
}

/** The narrowest scope of each endpoint the feature calls, in the order first needed. */
export function scopesOf(feature: Feature): string[] {
  return [...new Set(feature.endpoints.flatMap((endpoint) => ENDPOINT_SCOPES[endpoint].slice(-1)))]
}

/** `a`, `a and b`, `a, b and c`. */
function inProse(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}

/** The broad scopes that cover the narrow ones: `or virtual_machines, which covers both`. */
function broadAlternative(scopes: readonly string[]): string {
  const broad = [...new Set(scopes.filter((scope) => scope.includes(':')).map((scope) => scope.split(':')[0] ?? ''))]
  if (broad.length === 0) return ''
  const which = broad.length > 1 ? 'which cover them' : scopes.length > 2 ? 'which covers them' : 'which covers both'
  return ` (or ${inProse(broad)}, ${which})`
}

/**
 * The scopes an action needs, in one sentence: `virtual_machines:read and …, plus tasks:read for
 * attach, cleanup and reuse-existing, …`.
 */
export function scopeSentence(action: ActionName): string {
  const [always, ...inputs] = FEATURES[action]
  const base = always ? scopesOf(always) : []
  const extras = new Map<string, string[]>()
  for (const feature of inputs) {
    for (const scope of scopesOf(feature)) {
      if (!base.includes(scope)) extras.set(scope, [...(extras.get(scope) ?? []), feature.name])
    }
  }
  // A broad scope needed as it is, not only as the cover of the narrow ones above, is said so.
  const itself = (scope: string): string => (base.some((narrow) => narrow.startsWith(`${scope}:`)) ? ' itself' : '')
  const plus = [...extras].map(([scope, names]) => `${scope}${itself(scope)} for ${inProse(names)}`)
  return `${inProse(base)}${broadAlternative(base)}${plus.length > 0 ? `; plus ${inProse(plus)}` : ''}`
}
