// How the stand-in answers, the way api.katapult.io does on the wire rather than the way the
// published OpenAPI document describes it: the headers every answer carries, the error document
// (wrapped in {"error":{…}} unless a test asks for the documented top-level form), listings paged
// as Katapult pages them, and the JSON each resource is shown as.
import type * as http from 'node:http'
import { randomUUID } from 'node:crypto'
import type { StandInClock } from './stand-in-clock.ts'
import type { Args, RecordedRequest } from './requests.ts'
import type { IpAddress, Network, StandInInterface, VirtualMachine, World } from './world.ts'

/** An answer as Katapult would send it. */
export interface Answer {
  status: number
  body: unknown
  headers: Record<string, string>
}

/** Katapult's error answer, thrown by whatever finds the request wanting and sent as its error document. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly detail: Record<string, unknown>
  constructor(status: number, code: string, description: string, detail: Record<string, unknown> = {}) {
    super(description)
    this.status = status
    this.code = code
    this.detail = detail
  }
}

/** Katapult's answer to arguments it will not take, saying why. */
export function validationError(why: string): ApiError {
  return new ApiError(
    422,
    'validation_error',
    'A validation error occurred with the object that was being created/updated/deleted',
    { errors: [why] },
  )
}

/** Headers and error documents, dated by the stand-in's clock and in the error form it was asked for. */
export class Answers {
  readonly #clock: StandInClock
  readonly #perMinute: number
  readonly #errorForm: 'wrapped' | 'top-level'

  constructor(clock: StandInClock, perMinute: number, errorForm: 'wrapped' | 'top-level' = 'wrapped') {
    this.#clock = clock
    this.#perMinute = perMinute
    this.#errorForm = errorForm
  }

  /** The headers api.katapult.io sends with every answer: no Retry-After, even with a 429. */
  headers(remaining: number, error: boolean): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      'Cache-Control': error ? 'no-cache' : 'max-age=0, private, must-revalidate',
      Date: new Date(this.#clock.now()).toUTCString(),
      Vary: 'Accept-Encoding',
      'X-Ratelimit-Permitted': String(this.#perMinute),
      'X-Ratelimit-Remaining': String(remaining),
      'X-Request-Id': randomUUID(),
      ...(error ? { 'X-Api-Schema': 'json-error' } : {}),
    }
  }

  errorBody(code: string, description: string, detail: Record<string, unknown>): unknown {
    const document = { code, description, detail }
    return this.#errorForm === 'top-level' ? document : { error: document }
  }
}

/** Sends an answer, and records its status on the request. */
export function send(
  response: http.ServerResponse,
  recorded: RecordedRequest,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  recorded.status = status
  response.writeHead(status, headers)
  response.end(typeof body === 'string' ? body : JSON.stringify(body))
}

/** One page of a listing, as Katapult pages them: 30 by default, at most 200. */
export function paginate(args: Args, key: string, all: unknown[]): unknown {
  const perPage = Math.min(200, Number(args.per_page ?? 30))
  const page = Number(args.page ?? 1)
  return {
    pagination: {
      current_page: page,
      total_pages: Math.max(1, Math.ceil(all.length / perPage)),
      total: all.length,
      per_page: perPage,
      large_set: false,
    },
    [key]: all.slice((page - 1) * perPage, page * perPage),
  }
}

export function presentInterface(world: World, found: StandInInterface): Record<string, unknown> {
  const vm = world.virtualMachines.find((candidate) => candidate.id === found.vmId)
  const network = world.networks.find((candidate) => candidate.id === found.networkId)
  const virtualNetwork = world.virtualNetworks.find((candidate) => candidate.id === found.virtualNetworkId)
  const speed = world.speedProfiles.find((candidate) => candidate.id === found.speedProfileId)
  return {
    id: found.id,
    virtual_machine: { id: vm?.id, name: vm?.name },
    name: found.name,
    network: network ? { id: network.id, name: network.name } : null,
    virtual_network: virtualNetwork ? { id: virtualNetwork.id, name: virtualNetwork.name } : null,
    mac_address: found.macAddress,
    state: found.state,
    ip_addresses: world.ipAddresses
      .filter((ip) => ip.interfaceId === found.id)
      .map((ip) => ({ id: ip.id, address: ip.address })),
    speed_profile: speed ? { id: speed.id, name: speed.name, permalink: speed.permalink } : null,
  }
}

/** The VM as GET /virtual_machines/virtual_machine shows it, in the fields the published document lists. */
export function presentVm(world: World, vm: VirtualMachine): Record<string, unknown> {
  const hostname = vm.fqdn.split('.')[0] ?? vm.name
  const { organization } = world
  return {
    id: vm.id,
    name: vm.name,
    hostname,
    fqdn: vm.fqdn,
    created_at: 1_786_000_000,
    initial_root_password: null,
    state: 'started',
    zone: {
      id: 'zone_Pc2gB6sD9rWq1xYz',
      name: 'Zone A',
      permalink: `${vm.dataCenter}-a`,
      data_center: { id: `loc_${vm.dataCenter.replace(/-/g, '')}`, name: vm.dataCenter, permalink: vm.dataCenter },
    },
    organization: { id: organization.id, name: organization.name, sub_domain: organization.subDomain },
    ip_addresses: world.ipAddresses
      .filter((ip) => world.interfaces.some((nic) => nic.vmId === vm.id && nic.id === ip.interfaceId))
      .map((ip) => presentIp(ip)),
  }
}

export function presentNetwork(network: Network): Record<string, unknown> {
  return {
    id: network.id,
    name: network.name,
    permalink: network.permalink,
    default: true,
    data_center: {
      id: `loc_${network.dataCenter.replace(/-/g, '')}`,
      name: network.dataCenter,
      permalink: network.dataCenter,
    },
  }
}

export function presentIp(ip: IpAddress): Record<string, unknown> {
  const address = ip.address
  return {
    id: ip.id,
    address,
    reverse_dns: `${address.replace(/[.:]/g, '-')}.rdns.katapult.io`,
    vip: false,
    label: null,
    address_with_mask: address.includes(':') ? `${address}/48` : `${address}/22`,
    allocation_id: ip.interfaceId,
    allocation_type: ip.interfaceId ? 'VirtualMachineNetworkInterface' : null,
  }
}
