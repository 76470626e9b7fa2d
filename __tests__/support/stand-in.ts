// The test's Katapult: a fresh stand-in before each test of a file, its world as Katapult builds
// one (every VM with its own interface and address on the public network, the organisation's
// reserved addresses), the inputs most tests start from, and the routes and faults they aim at.
import { afterEach, beforeEach } from '@jest/globals'
import { exampleCreate } from '../../stand-in/example-inputs.ts'
import {
  type Fault,
  IDS,
  KatapultStandIn,
  type StandInInterface,
  type StandInOptions,
  TOKENS,
} from '../../stand-in/katapult-stand-in.ts'

export const CREATE_ROUTE = 'POST /core/v1/virtual_machines/virtual_machine/network_interfaces'
export const LIST_ROUTE = 'GET /core/v1/virtual_machines/virtual_machine/network_interfaces'
const INTERFACE_ROUTE = '/core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface'
export const GET_INTERFACE_ROUTE = `GET ${INTERFACE_ROUTE}`
export const DELETE_INTERFACE_ROUTE = `DELETE ${INTERFACE_ROUTE}`
export const ATTACH_ROUTE = `POST ${INTERFACE_ROUTE}/attach`
export const DETACH_ROUTE = `POST ${INTERFACE_ROUTE}/detach`
export const ALLOCATE_ROUTE = `POST ${INTERFACE_ROUTE}/allocate_new_ip`
export const ALLOCATE_IP_ROUTE = `POST ${INTERFACE_ROUTE}/allocate_ip`
export const SPEED_ROUTE = `PATCH ${INTERFACE_ROUTE}/update_speed_profile`
export const DELETE_IP_ROUTE = 'DELETE /core/v1/ip_addresses/ip_address'
export const UNALLOCATE_ROUTE = 'POST /core/v1/ip_addresses/ip_address/unallocate'
export const TASK_ROUTE = 'GET /core/v1/tasks/task'
export const VM_ROUTE = 'GET /core/v1/virtual_machines/virtual_machine'
export const SPEED_PROFILES_ROUTE = 'GET /core/v1/organizations/organization/network_speed_profiles'

type KatapultError = Extract<Fault, { kind: 'error' }>

/** Katapult's 429 as its rate limiter sends it: no Retry-After, `X-Ratelimit-Remaining: 0`. */
export function rateLimited(totalPermitted = 1000): KatapultError {
  return {
    kind: 'error',
    status: 429,
    code: 'rate_limit_reached',
    description: 'You have reached the rate limit for this type of request',
    detail: { total_permitted: totalPermitted },
  }
}

export const UNAVAILABLE: KatapultError = {
  kind: 'error',
  status: 503,
  code: 'service_unavailable',
  description: 'The service is currently unavailable, please try again later',
  detail: {},
}

/** Katapult's answer to a detach of an interface that is not attached. */
export const ALREADY_DETACHED: KatapultError = {
  kind: 'error',
  status: 422,
  code: 'virtual_machine_network_interface_already_detached',
  description: 'The virtual machine network interface is already detached',
}

/** Katapult's answer to a create whose speed profile it does not know. */
export const SPEED_PROFILE_NOT_FOUND: KatapultError = {
  kind: 'error',
  status: 404,
  code: 'network_speed_profile_not_found',
  description: 'No network speed profile was found matching any of the criteria provided in the arguments',
}

/** The stand-in of the running test, whose clock the action's sleeps drive, and its URL. */
let current: { standIn: KatapultStandIn; apiUrl: string } | undefined

export function currentStandIn(): KatapultStandIn | undefined {
  return current?.standIn
}

/** The connection inputs for the running test's stand-in: its test token and its URL. */
export function connectionInputs(): Record<string, string> {
  return { 'api-token': TOKENS.valid, 'api-url': current?.apiUrl ?? '' }
}

/** Starts a fresh stand-in before each test of the file; `env.standIn` and `env.apiUrl` reach it. */
export function useStandIn(options: StandInOptions = {}): { standIn: KatapultStandIn; apiUrl: string } {
  const env = { standIn: new KatapultStandIn(options), apiUrl: '' }
  beforeEach(async () => {
    env.standIn = new KatapultStandIn(options)
    env.apiUrl = await env.standIn.start()
    current = env
  })
  afterEach(async () => {
    current = undefined
    await env.standIn.stop()
  })
  return env
}

/** The usual request: a new interface on a virtual network, next to the VM's public eth0. */
export function baseInputs(apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...exampleCreate(apiUrl), ...extra }
}

/** Inputs that target the public network (where every VM's first interface is) instead. */
export const ON_PUBLIC_NETWORK = { 'virtual-network-id': '', 'network-permalink': 'uk-lon-01-public' }

/**
 * An interface that something other than this run made on web-1's virtual network (an earlier run,
 * Terraform): the one `reuse-existing` adopts. Attached, with the 1 Gbps profile, unless said otherwise.
 */
export function earlierInterface(
  standIn: KatapultStandIn,
  options: { state?: 'attached' | 'detached'; speedProfileId?: string; addresses?: ('ipv4' | 'ipv6')[] } = {},
): StandInInterface {
  const nic = standIn.addInterfaceElsewhere('web-1.example.com', {
    virtualNetworkId: IDS.virtualNetwork,
    state: options.state ?? 'attached',
    ...(options.speedProfileId ? { speedProfileId: options.speedProfileId } : {}),
  })
  for (const version of options.addresses ?? []) standIn.allocateElsewhere(nic.id, version)
  return nic
}

/** The VM's interfaces on the virtual network that baseInputs asks for. */
export function onVirtualNetwork(standIn: KatapultStandIn, fqdn = 'web-1.example.com'): string[] {
  return standIn
    .interfacesOf(fqdn)
    .filter((nic) => nic.virtualNetworkId === IDS.virtualNetwork)
    .map((nic) => nic.id)
}

/** The requests a test made after `count` earlier ones, as `METHOD path`. */
export function routesAfter(standIn: KatapultStandIn, count: number): string[] {
  return standIn.requests.slice(count).map((request) => `${request.method} ${request.path}`)
}
