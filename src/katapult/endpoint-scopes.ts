// The scopes Katapult's published OpenAPI document gives each endpoint the actions call, under
// `security`: a token needs one scope of each list, the broad one first and the narrowest last. The
// organisation's listings and the network lookup have none: any valid token may call them.
import { INTERFACE_PATH as INTERFACE, VM_INTERFACES_PATH } from './paths.ts'

const VM_READ = ['virtual_machines', 'virtual_machines:read'] as const
const VM_INTERFACES = ['virtual_machines', 'virtual_machines:network_interfaces'] as const
const IP_ADDRESSES = ['ip_addresses'] as const

export const ENDPOINT_SCOPES = {
  'GET /virtual_machines/virtual_machine': VM_READ,
  [`GET ${VM_INTERFACES_PATH}`]: VM_READ,
  [`POST ${VM_INTERFACES_PATH}`]: VM_INTERFACES,
  [`GET ${INTERFACE}`]: VM_READ,
  [`DELETE ${INTERFACE}`]: VM_INTERFACES,
  [`POST ${INTERFACE}/attach`]: VM_INTERFACES,
  [`POST ${INTERFACE}/detach`]: VM_INTERFACES,
  [`POST ${INTERFACE}/allocate_new_ip`]: IP_ADDRESSES,
  [`POST ${INTERFACE}/allocate_ip`]: IP_ADDRESSES,
  [`PATCH ${INTERFACE}/update_speed_profile`]: ['virtual_machines'],
  'DELETE /ip_addresses/ip_address': IP_ADDRESSES,
  'POST /ip_addresses/ip_address/unallocate': IP_ADDRESSES,
  'GET /tasks/task': ['tasks', 'tasks:read'],
  'GET /networks/network': [],
  'GET /organizations/organization/available_networks': [],
  'GET /organizations/organization/network_speed_profiles': [],
} as const satisfies Record<string, readonly string[]>

export type Endpoint = keyof typeof ENDPOINT_SCOPES

/** The scopes of which the request (`METHOD /core/v1/…`) needs one; undefined for a request not in the table. */
export function scopesOfRequest(request: string): readonly string[] | undefined {
  const [method, path] = request.split(' ')
  return (ENDPOINT_SCOPES as Record<string, readonly string[]>)[
    `${method ?? ''} ${(path ?? '').replace(/^\/core\/v1/, '')}`
  ]
}
