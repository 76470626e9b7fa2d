// A request as the stand-in sees it: recorded as it arrived, for tests to look back on; its
// arguments, taken from the query and the JSON body alike, as Katapult takes them; and the
// resources they name, or Katapult's error when they name none (or a VM in the trash).
import type * as http from 'node:http'
import { ApiError } from './answers.ts'
import type { IpAddress, Network, SpeedProfile, StandInInterface, VirtualMachine, World } from './world.ts'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  headers: http.IncomingHttpHeaders
  /** The stand-in clock's time when the request arrived. */
  at: number
  /** The status it was answered with; undefined when it got no answer. */
  status?: number
}

export type Args = Record<string, string | undefined>

/** The routes of one resource, by `METHOD /path` under /core/v1, each answering with its JSON. */
export type Routes = Record<string, (args: Args) => unknown>

export const NOT_FOUND = 'was found matching any of the criteria provided in the arguments'

/** The request as it arrived at `at`: a body that is not JSON is kept as its text. */
export function record(request: http.IncomingMessage, chunks: Buffer[], at: number): RecordedRequest {
  const url = new URL(request.url ?? '/', 'http://stand-in')
  const text = Buffer.concat(chunks).toString('utf8')
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = text
  }
  return {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body,
    headers: request.headers,
    at,
  }
}

/** The query's arguments and the body's, in one form. */
export function argsOf(request: RecordedRequest): Args {
  return { ...request.query, ...(typeof request.body === 'object' ? flatten(request.body) : {}) }
}

/** `{ virtual_machine: { fqdn: 'x' } }` as `{ 'virtual_machine[fqdn]': 'x' }`, the query's form. */
function flatten(body: unknown): Args {
  const args: Args = {}
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, string | Record<string, string>>)) {
    if (typeof value === 'string') args[key] = value
    else for (const [inner, innerValue] of Object.entries(value)) args[`${key}[${inner}]`] = innerValue
  }
  return args
}

export function findVm(world: World, args: Args): VirtualMachine {
  const vm = world.virtualMachines.find(
    (candidate) =>
      (args['virtual_machine[id]'] !== undefined && candidate.id === args['virtual_machine[id]']) ||
      (args['virtual_machine[fqdn]'] !== undefined && candidate.fqdn === args['virtual_machine[fqdn]']),
  )
  if (!vm) throw new ApiError(404, 'virtual_machine_not_found', `No virtual machine ${NOT_FOUND}`)
  if (vm.trashed) {
    throw new ApiError(
      406,
      'object_in_trash',
      'The object found is in the trash and therefore cannot be manipulated through the API. It should be restored in order to run this operation.',
      {
        trash_object: {
          id: 'trsh_vm0ld1',
          keep_until: 1_798_675_200,
          object_id: vm.id,
          object_type: 'VirtualMachine',
        },
      },
    )
  }
  return vm
}

export function findOrganization(world: World, args: Args): void {
  const { id, subDomain } = world.organization
  if (args['organization[id]'] !== id && args['organization[sub_domain]'] !== subDomain) {
    throw new ApiError(404, 'organization_not_found', `No organization ${NOT_FOUND}`)
  }
}

export function findNetwork(world: World, args: Args): Network {
  const network = world.networks.find(
    (candidate) => candidate.id === args['network[id]'] || candidate.permalink === args['network[permalink]'],
  )
  if (!network) throw new ApiError(404, 'network_not_found', `No network ${NOT_FOUND}`)
  return network
}

export function findInterface(world: World, args: Args): StandInInterface {
  const found = world.interfaces.find((candidate) => candidate.id === args['virtual_machine_network_interface[id]'])
  if (!found)
    throw new ApiError(404, 'virtual_machine_network_interface_not_found', `No network interface ${NOT_FOUND}`)
  return found
}

export function findSpeedProfile(world: World, args: Args): SpeedProfile {
  const speed = world.speedProfiles.find(
    (candidate) =>
      candidate.id === args['speed_profile[id]'] || candidate.permalink === args['speed_profile[permalink]'],
  )
  if (!speed) throw new ApiError(404, 'network_speed_profile_not_found', `No network speed profile ${NOT_FOUND}`)
  return speed
}

export function findIp(world: World, args: Args): IpAddress {
  const ip = world.ipAddresses.find(
    (candidate) => candidate.id === args['ip_address[id]'] || candidate.address === args['ip_address[address]'],
  )
  if (!ip) {
    throw new ApiError(
      404,
      'ip_address_not_found',
      `No IP addresses were found matching any of the criteria provided in the arguments`,
    )
  }
  return ip
}
