// A local stand-in for the parts of Katapult's Core API that the actions use. It answers the way
// api.katapult.io does on the wire (see shared/katapult-api/recorded), not the way the published
// OpenAPI document describes it: errors wrapped in {"error":{…}} with `X-Api-Schema: json-error`,
// `X-Ratelimit-Permitted`/`X-Ratelimit-Remaining` and `Date` on every answer, a rate-limit budget
// per minute of its clock with no Retry-After, ids and permalinks shaped like the real ones. It
// also runs background tasks and injects the faults a real network produces (resets, hangs,
// proxy pages, malformed answers).
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { createHash, randomUUID } from 'node:crypto'
import { StandInClock } from './clock.ts'

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

/** Something else that happens in the organisation at the moment a fault strikes. */
interface Meanwhile {
  meanwhile?: () => void
}

export type Fault = Meanwhile &
  /** Let this request through untouched (to aim a later fault at a later request). */
  (
    | { kind: 'pass' }
    /**
     * Answer with Katapult's error document (in the stand-in's error form, with Katapult's headers).
     * 'before' (the default) answers without handling the request; 'after' once it took effect.
     */
    | {
        kind: 'error'
        status: number
        code: string
        description: string
        detail?: Record<string, unknown>
        headers?: Record<string, string>
        when?: 'before' | 'after'
      }
    /** Answer exactly this, with no Katapult headers: a proxy's page, a truncated or malformed body. */
    | { kind: 'respond'; status: number; body: unknown; headers?: Record<string, string>; when?: 'before' | 'after' }
    /** Handle the request, and send Katapult's answer changed by `change` (a field left out, say). */
    | { kind: 'rewrite'; change: (answer: Record<string, unknown>) => unknown }
    /** Close the connection without an answer, before or after the request took effect. */
    | { kind: 'reset'; when: 'before' | 'after' }
    /** Never answer, before or after the request took effect. */
    | { kind: 'hang'; when: 'before' | 'after' }
  )

export interface StandInOptions {
  /** Serve HTTPS with this key and certificate instead of HTTP. */
  tls?: { key: string; cert: string }
  /** Requests a minute, organisation-wide (1000, like api.katapult.io, by default). */
  perMinute?: number
  /** How many VMs web-1.example.com … web-N.example.com exist (at least 1). */
  virtualMachines?: number
  /** More VMs, by FQDN (a preview's `pr-42.preview.example.com`), built like the others. */
  moreVirtualMachines?: string[]
  /** How a task ends once it has run: attaching or detaching can be made to fail. */
  taskOutcome?: 'completed' | 'failed'
  /**
   * The error document's form: wrapped, as api.katapult.io sends it, or with the fields at the top
   * level, as the published OpenAPI document shows it.
   */
  errorForm?: 'wrapped' | 'top-level'
}

export const TOKENS = {
  /** All the scopes the actions need. */
  valid: 'kat-test-token-5f2b9c1e7d',
  /** Granted only virtual_machines:read. */
  readOnly: 'kat-read-only-token-0a1b',
  /** Restricted to a network the requests do not come from. */
  officeOnly: 'kat-office-only-token-9z8y',
} as const

/** The ids the stand-in's world is built with, for tests and for trying the action by hand. */
export const IDS = {
  publicNetwork: 'netw_gVRkZdSKczfNg34P',
  amsterdamNetwork: 'netw_gnlxBcgtF7xyMslK',
  virtualNetwork: 'vnet_Pm2Tokrw4bwUlKHV',
  speed1g: 'nsp_Y8YS65yTivlCAjIY',
  speed10g: 'nsp_FKZSFo5xhn9Pfr79',
  /** Addresses the organisation holds on the London public network, allocated to nothing. */
  reservedIpv4: 'ip_VOnKeWEKAYHz2X9v',
  reservedIpv6: 'ip_om0YWOTu6VSHrdRk',
} as const

export const RESERVED_ADDRESSES = { ipv4: '185.44.254.39', ipv6: '2a03:2800:500::18' } as const

interface Ref {
  id: string
  name: string
}
interface Network extends Ref {
  permalink: string
  dataCenter: string
}
interface SpeedProfile extends Ref {
  permalink: string
}
interface VirtualMachine extends Ref {
  fqdn: string
  dataCenter: string
  trashed: boolean
}
interface IpAddress {
  id: string
  address: string
  networkId: string
  interfaceId: string | null
}
export interface StandInInterface {
  id: string
  vmId: string
  name: string
  networkId: string | null
  virtualNetworkId: string | null
  macAddress: string
  state: 'attached' | 'detached'
  speedProfileId: string
}
interface Task {
  id: string
  name: string
  createdAt: number
  outcome: 'completed' | 'failed'
  onCompleted: () => void
  applied: boolean
}

class ApiError extends Error {
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

const SCOPE_NOT_GRANTED = 'The scope required for this endpoint has not been granted to the authenticating identity'
const NOT_FOUND = 'was found matching any of the criteria provided in the arguments'
/** Tasks stay pending, then running, for these many milliseconds. */
const TASK_PENDING_MS = 100
const TASK_RUNNING_MS = 200
const MINUTE_MS = 60_000
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export class KatapultStandIn {
  readonly requests: RecordedRequest[] = []
  readonly clock = new StandInClock()
  /** How many requests were refused with 429 because the minute's budget was spent. */
  rateLimited = 0
  readonly #options: StandInOptions
  readonly #server: http.Server
  readonly #faults = new Map<string, Fault[]>()
  readonly #sockets = new Set<Socket>()
  readonly networks: Network[] = [
    { id: IDS.publicNetwork, name: 'Public Network', permalink: 'uk-lon-01-public', dataCenter: 'uk-lon-01' },
    { id: IDS.amsterdamNetwork, name: 'Public Network - AMS', permalink: 'eu-ams-01', dataCenter: 'nl-ams-01' },
  ]
  readonly virtualNetworks: Ref[] = [{ id: IDS.virtualNetwork, name: 'backend' }]
  readonly speedProfiles: SpeedProfile[] = [
    { id: IDS.speed1g, name: '1Gbps', permalink: '1gbps' },
    { id: IDS.speed10g, name: '10Gbps', permalink: '10gbps' },
  ]
  readonly organization = { id: 'org_Zx7wRkq2LmPa9TbC', name: 'Acme', subDomain: 'acme' }
  readonly virtualMachines: VirtualMachine[] = []
  readonly interfaces: StandInInterface[] = []
  readonly ipAddresses: IpAddress[] = []
  readonly tasks: Task[] = []
  #nextId = 1
  #addressesHandedOut = 0
  #releaseClockOnRequest = false
  #budget = { minute: Number.NaN, remaining: 0 }

  constructor(options: StandInOptions = {}) {
    this.#options = options
    const count = Math.max(1, options.virtualMachines ?? 1)
    const fqdns = [
      ...Array.from({ length: count }, (_, n) => `web-${n + 1}.example.com`),
      ...(options.moreVirtualMachines ?? []),
    ]
    for (const fqdn of fqdns) {
      const name = fqdn.split('.')[0] ?? fqdn
      const vm = { id: this.#id('vm'), name, fqdn, dataCenter: 'uk-lon-01' }
      this.virtualMachines.push({ ...vm, trashed: false })
      // Every VM is built with one interface on its data centre's public network, as Katapult builds them.
      const eth0 = this.#addInterface(vm.id, IDS.publicNetwork, null, IDS.speed1g, 'attached')
      this.#allocate(eth0.id, 'ipv4')
    }
    this.ipAddresses.push(
      { id: IDS.reservedIpv4, address: RESERVED_ADDRESSES.ipv4, networkId: IDS.publicNetwork, interfaceId: null },
      { id: IDS.reservedIpv6, address: RESERVED_ADDRESSES.ipv6, networkId: IDS.publicNetwork, interfaceId: null },
    )
    this.virtualMachines.push({
      id: this.#id('vm'),
      name: 'old',
      fqdn: 'trashed.example.com',
      dataCenter: 'uk-lon-01',
      trashed: true,
    })
    const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
      this.#handle(request, response)
    }
    this.#server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler)
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => {
        this.#sockets.delete(socket)
      })
    })
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject).listen(port, host, () => {
        this.#server.off('error', reject)
        resolve()
      })
    })
    const { port: actual } = this.#server.address() as AddressInfo
    return `${this.#options.tls ? 'https' : 'http'}://${host}:${actual}`
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve()
      }),
    )
  }

  /** Queues faults for the next requests to `METHOD /core/v1/path`, one per request, in order. */
  inject(route: string, ...faults: Fault[]): void {
    this.#faults.set(route, [...(this.#faults.get(route) ?? []), ...faults])
  }

  requestsTo(route: string): RecordedRequest[] {
    return this.requests.filter((request) => `${request.method} ${request.path}` === route)
  }

  vm(fqdn: string): VirtualMachine {
    const vm = this.virtualMachines.find((candidate) => candidate.fqdn === fqdn)
    if (!vm) throw new Error(`the stand-in has no VM ${fqdn}`)
    return vm
  }

  interfacesOf(fqdn: string): StandInInterface[] {
    const vm = this.vm(fqdn)
    return this.interfaces.filter((candidate) => candidate.vmId === vm.id)
  }

  /** Removes an interface as if someone deleted it outside the workflow. */
  deleteElsewhere(interfaceId: string): void {
    this.#removeInterface(interfaceId)
  }

  /**
   * Adds an interface as if something else made it outside this run (another run, a person,
   * Terraform): detached with the 1 Gbps profile unless said otherwise.
   */
  addInterfaceElsewhere(
    fqdn: string,
    where: {
      networkId?: string
      virtualNetworkId?: string
      state?: StandInInterface['state']
      speedProfileId?: string
    },
  ): StandInInterface {
    return this.#addInterface(
      this.vm(fqdn).id,
      where.networkId ?? null,
      where.virtualNetworkId ?? null,
      where.speedProfileId ?? IDS.speed1g,
      where.state ?? 'detached',
    )
  }

  /** Allocates a new address to an interface as if something else did, outside this run. */
  allocateElsewhere(interfaceId: string, version: 'ipv4' | 'ipv6'): { id: string; address: string } {
    const { id, address } = this.#allocate(interfaceId, version)
    return { id, address }
  }

  /**
   * Holds the clock at `at` until the first request arrives, then lets it run: a minute that turns
   * soon after `at` turns that long after the first request, however long the client took to start.
   */
  holdClockUntilFirstRequest(at: string | number): void {
    this.clock.freeze(at)
    this.#releaseClockOnRequest = true
  }

  /** Leaves `requests` in this minute's budget, as if other automation of the organisation spent the rest. */
  leaveBudget(requests: number): void {
    this.#refreshBudget()
    this.#budget.remaining = requests
  }

  get perMinute(): number {
    return this.#options.perMinute ?? 1000
  }

  #refreshBudget(): void {
    const minute = Math.floor(this.clock.now() / MINUTE_MS)
    if (minute !== this.#budget.minute) this.#budget = { minute, remaining: this.perMinute }
  }

  /** Counts a request against this minute's budget; false when it is spent. */
  #admit(): boolean {
    this.#refreshBudget()
    if (this.#budget.remaining === 0) return false
    this.#budget.remaining--
    return true
  }

  /** An id with the real prefix and shape (`vmnet_NxJWGTnzOyqpE3kf`), unique and the same on every run. */
  #id(prefix: string): string {
    const n = this.#nextId++
    const scrambled = [...createHash('sha256').update(`${prefix}${n}`).digest()]
      .slice(0, 12)
      .map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length] ?? 'x')
      .join('')
    return `${prefix}_${scrambled}${n.toString(36).padStart(4, '0')}`
  }

  #addInterface(
    vmId: string,
    networkId: string | null,
    virtualNetworkId: string | null,
    speedProfileId: string,
    state: StandInInterface['state'],
  ): StandInInterface {
    const n = this.#nextId
    const vm = this.virtualMachines.find((candidate) => candidate.id === vmId)
    const network =
      this.networks.find((candidate) => candidate.id === networkId) ??
      this.virtualNetworks.find((candidate) => candidate.id === virtualNetworkId)
    const created: StandInInterface = {
      id: this.#id('vmnet'),
      vmId,
      name: `${network?.name ?? 'Network'} on ${vm?.name ?? vmId}`,
      networkId,
      virtualNetworkId,
      macAddress: `3a:de:${[n >> 24, n >> 16, n >> 8, n].map((byte) => (byte & 0xff).toString(16).padStart(2, '0')).join(':')}`,
      state,
      speedProfileId,
    }
    this.interfaces.push(created)
    return created
  }

  /** A new address, never one handed out before: numbered from a count that only goes up. */
  #allocate(interfaceId: string, version: 'ipv4' | 'ipv6'): IpAddress {
    const n = this.#addressesHandedOut++ + 10
    const address =
      version === 'ipv4' ? `185.199.${220 + Math.floor(n / 250)}.${(n % 250) + 1}` : `2a03:2800:500::${n.toString(16)}`
    const networkId = this.interfaces.find((candidate) => candidate.id === interfaceId)?.networkId ?? IDS.publicNetwork
    const ip = { id: this.#id('ip'), address, networkId, interfaceId }
    this.ipAddresses.push(ip)
    return ip
  }

  #removeInterface(interfaceId: string): void {
    const index = this.interfaces.findIndex((candidate) => candidate.id === interfaceId)
    if (index >= 0) this.interfaces.splice(index, 1)
    for (const ip of this.ipAddresses) if (ip.interfaceId === interfaceId) ip.interfaceId = null
  }

  /** The headers api.katapult.io sends with every answer. */
  #headers(remaining: number, error: boolean): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      'Cache-Control': error ? 'no-cache' : 'max-age=0, private, must-revalidate',
      Date: new Date(this.clock.now()).toUTCString(),
      Vary: 'Accept-Encoding',
      'X-Ratelimit-Permitted': String(this.perMinute),
      'X-Ratelimit-Remaining': String(remaining),
      'X-Request-Id': randomUUID(),
      ...(error ? { 'X-Api-Schema': 'json-error' } : {}),
    }
  }

  #errorBody(code: string, description: string, detail: Record<string, unknown>): unknown {
    const document = { code, description, detail }
    return this.#options.errorForm === 'top-level' ? document : { error: document }
  }

  #send(
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

  #handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (this.#releaseClockOnRequest) {
        this.#releaseClockOnRequest = false
        this.clock.run()
      }
      const url = new URL(request.url ?? '/', 'http://stand-in')
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        body = text
      }
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        headers: request.headers,
        at: this.clock.now(),
      }
      this.requests.push(recorded)
      const fault = this.#faults.get(`${recorded.method} ${recorded.path}`)?.shift() ?? { kind: 'pass' }
      const when = fault.kind === 'pass' || fault.kind === 'rewrite' ? 'after' : (fault.when ?? 'before')
      const answered =
        when === 'after'
          ? this.#answer(recorded, request.socket.remoteAddress ?? '', response, fault.kind === 'pass')
          : undefined
      fault.meanwhile?.()
      switch (fault.kind) {
        case 'error': {
          this.#refreshBudget()
          const remaining = fault.code === 'rate_limit_reached' ? 0 : this.#budget.remaining
          const headers = { ...this.#headers(remaining, true), ...fault.headers }
          this.#send(
            response,
            recorded,
            fault.status,
            this.#errorBody(fault.code, fault.description, fault.detail ?? {}),
            headers,
          )
          break
        }
        case 'respond': {
          const type = typeof fault.body === 'string' ? 'text/html' : 'application/json'
          this.#send(response, recorded, fault.status, fault.body, { 'Content-Type': type, ...fault.headers })
          break
        }
        case 'rewrite': {
          const { status, answer, headers } = answered ?? { status: 500, answer: {}, headers: {} }
          this.#send(response, recorded, status, fault.change(answer as Record<string, unknown>), headers)
          break
        }
        case 'reset':
          request.socket.destroy()
          break
        // A hang leaves the request unanswered until the client gives up; a pass was answered above.
      }
    })
  }

  /** Handles the request, and returns Katapult's answer; sends it only if `send`. */
  #answer(
    request: RecordedRequest,
    remoteAddress: string,
    response: http.ServerResponse,
    send: boolean,
  ): { status: number; answer: unknown; headers: Record<string, string> } {
    let status = 200
    let answer: unknown
    try {
      this.#authenticate(request, remoteAddress)
      answer = this.#route(request)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      status = error.status
      answer = this.#errorBody(error.code, error.message, error.detail)
    }
    const headers = this.#headers(this.#budget.remaining, status >= 400)
    if (send) this.#send(response, request, status, answer, headers)
    return { status, answer, headers }
  }

  #authenticate(request: RecordedRequest, remoteAddress: string): void {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')
    if (!match) {
      throw new ApiError(
        400,
        'missing_api_token',
        'No API token was provided in the Authorization header. Ensure a token is provided prefixed with Bearer',
      )
    }
    const token = match[1]
    if (!(Object.values(TOKENS) as string[]).includes(token ?? '')) {
      throw new ApiError(
        403,
        'invalid_api_token',
        'The API token provided was not valid (it may not exist or have expired)',
        { details: null },
      )
    }
    if (token === TOKENS.officeOnly) {
      throw new ApiError(
        403,
        'unauthorized_network_for_api_token',
        'Network is not allowed to access the API with this API token',
        { ip_address: remoteAddress.replace(/^::ffff:/, '') },
      )
    }
    if (!this.#admit()) {
      this.rateLimited++
      throw new ApiError(429, 'rate_limit_reached', 'You have reached the rate limit for this type of request', {
        total_permitted: this.perMinute,
      })
    }
    if (token === TOKENS.readOnly && request.method !== 'GET') {
      throw new ApiError(403, 'scope_not_granted', SCOPE_NOT_GRANTED, {
        scopes: ['virtual_machines', 'virtual_machines:network_interfaces'],
      })
    }
  }

  #route(request: RecordedRequest): unknown {
    const route = `${request.method} ${request.path.replace(/^\/core\/v1/, '')}`
    const args = { ...request.query, ...(typeof request.body === 'object' ? flatten(request.body) : {}) }
    switch (route) {
      case 'GET /virtual_machines/virtual_machine/network_interfaces':
        return this.#listInterfaces(args)
      case 'POST /virtual_machines/virtual_machine/network_interfaces':
        return this.#createInterface(args)
      case 'GET /virtual_machine_network_interfaces/virtual_machine_network_interface':
        return { virtual_machine_network_interface: this.#present(this.#findInterface(args)) }
      case 'DELETE /virtual_machine_network_interfaces/virtual_machine_network_interface':
        return this.#deleteInterface(args)
      case 'POST /virtual_machine_network_interfaces/virtual_machine_network_interface/attach':
        return this.#setAttached(args, 'attached')
      case 'POST /virtual_machine_network_interfaces/virtual_machine_network_interface/detach':
        return this.#setAttached(args, 'detached')
      case 'POST /virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_new_ip':
        return this.#allocateNewIp(args)
      case 'GET /networks/network':
        return { network: this.#presentNetwork(this.#findNetwork(args)) }
      case 'GET /virtual_machines/virtual_machine':
        return { virtual_machine: this.#presentVm(this.#findVm(args)), annotations: [] }
      case 'GET /organizations/organization/network_speed_profiles':
        return this.#listSpeedProfiles(args)
      case 'GET /organizations/organization/available_networks':
        return this.#availableNetworks(args)
      case 'GET /tasks/task':
        return { task: this.#presentTask(this.#findTask(args)) }
      case 'DELETE /ip_addresses/ip_address':
        return this.#deleteIp(args)
      case 'POST /virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_ip':
        return this.#allocateIp(args)
      case 'POST /ip_addresses/ip_address/unallocate':
        return this.#unallocateIp(args)
      case 'PATCH /virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile':
        return this.#updateSpeedProfile(args)
      default:
        throw new ApiError(404, 'route_not_found', `No route matches "${request.path}" for ${request.method}`, {
          path: request.path,
          method: request.method,
        })
    }
  }

  #findVm(args: Args): VirtualMachine {
    const vm = this.virtualMachines.find(
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

  #findOrganization(args: Args): void {
    const { id, subDomain } = this.organization
    if (args['organization[id]'] !== id && args['organization[sub_domain]'] !== subDomain) {
      throw new ApiError(404, 'organization_not_found', `No organization ${NOT_FOUND}`)
    }
  }

  #listSpeedProfiles(args: Args): unknown {
    this.#findOrganization(args)
    const all = this.speedProfiles.map((speed) => ({
      id: speed.id,
      name: speed.name,
      upload_speed_in_mbit: speed.permalink === '1gbps' ? 1000 : 10_000,
      download_speed_in_mbit: speed.permalink === '1gbps' ? 1000 : 10_000,
      permalink: speed.permalink,
    }))
    return paginate(args, 'network_speed_profiles', all)
  }

  #availableNetworks(args: Args): unknown {
    this.#findOrganization(args)
    const dataCenter = (permalink: string): Record<string, string> => ({
      id: `loc_${permalink.replace(/-/g, '')}`,
      name: permalink,
      permalink,
    })
    return {
      networks: this.networks.map((network) => ({
        id: network.id,
        name: network.name,
        permalink: network.permalink,
        default: true,
        data_center: dataCenter(network.dataCenter),
      })),
      virtual_networks: this.virtualNetworks.map((network) => ({
        id: network.id,
        name: network.name,
        data_center: dataCenter('uk-lon-01'),
      })),
    }
  }

  #findNetwork(args: Args): Network {
    const network = this.networks.find(
      (candidate) => candidate.id === args['network[id]'] || candidate.permalink === args['network[permalink]'],
    )
    if (!network) throw new ApiError(404, 'network_not_found', `No network ${NOT_FOUND}`)
    return network
  }

  #findInterface(args: Args): StandInInterface {
    const found = this.interfaces.find((candidate) => candidate.id === args['virtual_machine_network_interface[id]'])
    if (!found)
      throw new ApiError(404, 'virtual_machine_network_interface_not_found', `No network interface ${NOT_FOUND}`)
    return found
  }

  #findTask(args: Args): Task {
    const task = this.tasks.find((candidate) => candidate.id === args['task[id]'])
    if (!task) throw new ApiError(404, 'task_not_found', `No task ${NOT_FOUND}`)
    return task
  }

  #listInterfaces(args: Args): unknown {
    const vm = this.#findVm(args)
    const all = this.interfaces
      .filter((candidate) => candidate.vmId === vm.id)
      .map((candidate) => {
        const { id, name, network, virtual_network, ip_addresses } = this.#present(candidate)
        return { id, name, network, virtual_network, ip_addresses }
      })
    return paginate(args, 'virtual_machine_network_interfaces', all)
  }

  #createInterface(args: Args): unknown {
    const vm = this.#findVm(args)
    const virtualNetworkId = args['virtual_network[id]']
    let network: Network | undefined
    if (virtualNetworkId !== undefined) {
      if (!this.virtualNetworks.some((candidate) => candidate.id === virtualNetworkId)) {
        throw new ApiError(404, 'virtual_network_not_found', `No virtual network ${NOT_FOUND}`)
      }
    } else {
      network = this.#findNetwork(args)
    }
    const speed = this.#findSpeedProfile(args)
    if (network && network.dataCenter !== vm.dataCenter) {
      throw new ApiError(
        422,
        'validation_error',
        'A validation error occurred with the object that was being created/updated/deleted',
        { errors: [`Network ${network.name} is not in the virtual machine's data center (${vm.dataCenter})`] },
      )
    }
    const created = this.#addInterface(vm.id, network?.id ?? null, virtualNetworkId ?? null, speed.id, 'detached')
    return { virtual_machine_network_interface: this.#present(created) }
  }

  #deleteInterface(args: Args): unknown {
    const found = this.#findInterface(args)
    if (found.state === 'attached') {
      throw new ApiError(409, 'deletion_restricted', 'Object cannot be deleted', {
        errors: ['The network interface is attached to its virtual machine; detach it first'],
      })
    }
    this.#removeInterface(found.id)
    return {}
  }

  #setAttached(args: Args, state: StandInInterface['state']): unknown {
    const found = this.#findInterface(args)
    if (found.state === state) {
      const code = `virtual_machine_network_interface_already_${state}`
      throw new ApiError(422, code, `The virtual machine network interface is already ${state}`)
    }
    const task = this.#task(state === 'attached' ? 'Attach network interface' : 'Detach network interface', () => {
      found.state = state
    })
    return { virtual_machine_network_interface: this.#present(found), task: this.#presentTask(task) }
  }

  /** A background task whose effect applies when it completes. */
  #task(name: string, onCompleted: () => void): Task {
    const task: Task = {
      id: this.#id('task'),
      name,
      createdAt: this.clock.now(),
      outcome: this.#options.taskOutcome ?? 'completed',
      onCompleted,
      applied: false,
    }
    this.tasks.push(task)
    return task
  }

  #allocateNewIp(args: Args): unknown {
    const found = this.#findInterface(args)
    const version = args.address_version
    if (version !== 'ipv4' && version !== 'ipv6') {
      throw new ApiError(
        422,
        'validation_error',
        'A validation error occurred with the object that was being created/updated/deleted',
        { errors: ['address_version must be ipv4 or ipv6'] },
      )
    }
    return { ip_address: this.#presentIp(this.#allocate(found.id, version)) }
  }

  #findIp(args: Args): IpAddress {
    const ip = this.ipAddresses.find(
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

  #findSpeedProfile(args: Args): SpeedProfile {
    const speed = this.speedProfiles.find(
      (candidate) =>
        candidate.id === args['speed_profile[id]'] || candidate.permalink === args['speed_profile[permalink]'],
    )
    if (!speed) throw new ApiError(404, 'network_speed_profile_not_found', `No network speed profile ${NOT_FOUND}`)
    return speed
  }

  #deleteIp(args: Args): unknown {
    const ip = this.#findIp(args)
    this.ipAddresses.splice(this.ipAddresses.indexOf(ip), 1)
    return {}
  }

  /** Allocates an address the organisation holds to an interface on the address's network. */
  #allocateIp(args: Args): unknown {
    const found = this.#findInterface(args)
    const ip = this.#findIp(args)
    if (ip.interfaceId !== null) {
      throw new ApiError(422, 'ip_already_allocated', 'This IP address has already been allocated to another resource')
    }
    if (ip.networkId !== found.networkId) {
      throw new ApiError(422, 'invalid_ip', 'This IP address is not valid for this network interface.')
    }
    ip.interfaceId = found.id
    return { virtual_machine_network_interface: this.#present(found) }
  }

  #unallocateIp(args: Args): unknown {
    const ip = this.#findIp(args)
    if (ip.interfaceId === null) {
      throw new ApiError(
        422,
        'no_allocation',
        'This IP address is not currently allocated to any object, and cannot be unallocated.',
      )
    }
    ip.interfaceId = null
    return {}
  }

  #updateSpeedProfile(args: Args): unknown {
    const found = this.#findInterface(args)
    const speed = this.#findSpeedProfile(args)
    if (found.speedProfileId === speed.id) {
      throw new ApiError(
        422,
        'speed_profile_already_assigned',
        'This network speed profile is already assigned to this virtual machine network interface.',
      )
    }
    const task = this.#task('Change network interface speed profile', () => {
      found.speedProfileId = speed.id
    })
    return { task: this.#presentTask(task) }
  }

  #present(found: StandInInterface): Record<string, unknown> {
    const vm = this.virtualMachines.find((candidate) => candidate.id === found.vmId)
    const network = this.networks.find((candidate) => candidate.id === found.networkId)
    const virtualNetwork = this.virtualNetworks.find((candidate) => candidate.id === found.virtualNetworkId)
    const speed = this.speedProfiles.find((candidate) => candidate.id === found.speedProfileId)
    return {
      id: found.id,
      virtual_machine: { id: vm?.id, name: vm?.name },
      name: found.name,
      network: network ? { id: network.id, name: network.name } : null,
      virtual_network: virtualNetwork ? { id: virtualNetwork.id, name: virtualNetwork.name } : null,
      mac_address: found.macAddress,
      state: found.state,
      ip_addresses: this.ipAddresses
        .filter((ip) => ip.interfaceId === found.id)
        .map((ip) => ({ id: ip.id, address: ip.address })),
      speed_profile: speed ? { id: speed.id, name: speed.name, permalink: speed.permalink } : null,
    }
  }

  /** The VM as GET /virtual_machines/virtual_machine shows it, in the fields the published document lists. */
  #presentVm(vm: VirtualMachine): Record<string, unknown> {
    const hostname = vm.fqdn.split('.')[0] ?? vm.name
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
      organization: { id: this.organization.id, name: this.organization.name, sub_domain: this.organization.subDomain },
      ip_addresses: this.ipAddresses
        .filter((ip) => this.interfaces.some((nic) => nic.vmId === vm.id && nic.id === ip.interfaceId))
        .map((ip) => this.#presentIp(ip)),
    }
  }

  #presentNetwork(network: Network): Record<string, unknown> {
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

  #presentIp(ip: IpAddress): Record<string, unknown> {
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

  /** A task's status follows from its age; its effect applies when it completes. */
  #presentTask(task: Task): Record<string, unknown> {
    const age = this.clock.now() - task.createdAt
    const finished = age >= TASK_PENDING_MS + TASK_RUNNING_MS
    const status = finished ? task.outcome : age >= TASK_PENDING_MS ? 'running' : 'pending'
    if (status === 'completed' && !task.applied) {
      task.applied = true
      task.onCompleted()
    }
    const seconds = (ms: number): number => Math.floor(ms / 1000)
    return {
      id: task.id,
      name: task.name,
      status,
      created_at: seconds(task.createdAt),
      started_at: age >= TASK_PENDING_MS ? seconds(task.createdAt + TASK_PENDING_MS) : null,
      finished_at: finished ? seconds(task.createdAt + TASK_PENDING_MS + TASK_RUNNING_MS) : null,
      progress: finished ? 100 : Math.floor((age / (TASK_PENDING_MS + TASK_RUNNING_MS)) * 100),
    }
  }
}

type Args = Record<string, string | undefined>

/** One page of a listing, as Katapult pages them: 30 by default, at most 200. */
function paginate(args: Args, key: string, all: unknown[]): unknown {
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

/** `{ virtual_machine: { fqdn: 'x' } }` as `{ 'virtual_machine[fqdn]': 'x' }`, the query's form. */
function flatten(body: unknown): Args {
  const args: Args = {}
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, string | Record<string, string>>)) {
    if (typeof value === 'string') args[key] = value
    else for (const [inner, innerValue] of Object.entries(value)) args[`${key}[${inner}]`] = innerValue
  }
  return args
}
