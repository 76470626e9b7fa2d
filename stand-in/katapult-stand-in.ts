// A local stand-in for the parts of Katapult's Core API that the actions use. It answers the way
// api.katapult.io does on the wire (see shared/katapult-api/recorded), not the way the published
// OpenAPI document describes it, runs background tasks and injects the faults a real network
// produces. This file is the HTTP server and what tests drive it by; each resource's routes, the
// world they act on, the budget, tokens, faults and answer shapes live in the files beside it.
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { ApiError, type Answer, Answers, send } from './answers.ts'
import { authenticate, requireScope } from './authentication.ts'
import { Budget } from './budget.ts'
import { type Fault, Faults, strikesAfter } from './faults.ts'
import { ipAddressRoutes } from './ip-addresses.ts'
import { networkRoutes } from './networks.ts'
import { type RecordedRequest, type Routes, argsOf, record } from './requests.ts'
import { StandInClock } from './stand-in-clock.ts'
import { type Task, TaskRunner } from './tasks.ts'
import { virtualMachineRoutes } from './virtual-machines.ts'
import {
  IDS,
  type IpAddress,
  type Network,
  type Ref,
  type SpeedProfile,
  type StandInInterface,
  type VirtualMachine,
  World,
} from './world.ts'

export { TOKENS } from './authentication.ts'
export type { Fault } from './faults.ts'
export type { RecordedRequest } from './requests.ts'
export { IDS, RESERVED_ADDRESSES, type StandInInterface } from './world.ts'

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

export class KatapultStandIn {
  readonly requests: RecordedRequest[] = []
  readonly clock = new StandInClock()
  /** How many requests were refused with 429 because the minute's budget was spent. */
  rateLimited = 0
  readonly networks: Network[]
  readonly virtualNetworks: Ref[]
  readonly speedProfiles: SpeedProfile[]
  readonly organization: World['organization']
  readonly virtualMachines: VirtualMachine[]
  readonly interfaces: StandInInterface[]
  readonly ipAddresses: IpAddress[]
  readonly tasks: Task[]
  readonly #tls: boolean
  readonly #server: http.Server
  readonly #sockets = new Set<Socket>()
  readonly #world: World
  readonly #budget: Budget
  readonly #answers: Answers
  readonly #faults: Faults
  readonly #routes: Map<string, Routes[string]>
  #releaseClockOnRequest = false

  constructor(options: StandInOptions = {}) {
    const world = new World(options)
    this.#world = world
    this.networks = world.networks
    this.virtualNetworks = world.virtualNetworks
    this.speedProfiles = world.speedProfiles
    this.organization = world.organization
    this.virtualMachines = world.virtualMachines
    this.interfaces = world.interfaces
    this.ipAddresses = world.ipAddresses
    const tasks = new TaskRunner(world, this.clock, options.taskOutcome)
    this.tasks = tasks.tasks
    this.#budget = new Budget(this.clock, options.perMinute ?? 1000)
    this.#answers = new Answers(this.clock, this.#budget.perMinute, options.errorForm)
    this.#faults = new Faults(this.#answers, this.#budget)
    this.#routes = new Map(
      Object.entries({
        ...virtualMachineRoutes(world, tasks),
        ...networkRoutes(world),
        ...ipAddressRoutes(world),
        ...tasks.routes(),
      }),
    )
    this.#tls = options.tls !== undefined
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
    return `${this.#tls ? 'https' : 'http'}://${host}:${actual}`
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
    this.#faults.inject(route, ...faults)
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
    this.#world.removeInterface(interfaceId)
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
    return this.#world.addInterface(
      this.vm(fqdn).id,
      where.networkId ?? null,
      where.virtualNetworkId ?? null,
      where.speedProfileId ?? IDS.speed1g,
      where.state ?? 'detached',
    )
  }

  /** Allocates a new address to an interface as if something else did, outside this run. */
  allocateElsewhere(interfaceId: string, version: 'ipv4' | 'ipv6'): { id: string; address: string } {
    const { id, address } = this.#world.allocate(interfaceId, version)
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
    this.#budget.leave(requests)
  }

  get perMinute(): number {
    return this.#budget.perMinute
  }

  #handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (this.#releaseClockOnRequest) {
        this.#releaseClockOnRequest = false
        this.clock.run()
      }
      const recorded = record(request, chunks, this.clock.now())
      this.requests.push(recorded)
      const fault = this.#faults.next(`${recorded.method} ${recorded.path}`)
      const handled = strikesAfter(fault)
        ? this.#answer(recorded, request.socket.remoteAddress ?? '', response, fault.kind === 'pass')
        : undefined
      fault.meanwhile?.()
      this.#faults.strike(fault, { request, response, recorded, handled })
    })
  }

  /** Handles the request, and returns Katapult's answer; sends it only if `sendIt`. */
  #answer(request: RecordedRequest, remoteAddress: string, response: http.ServerResponse, sendIt: boolean): Answer {
    let status = 200
    let body: unknown
    try {
      body = this.#route(request, remoteAddress)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      status = error.status
      body = this.#answers.errorBody(error.code, error.message, error.detail)
    }
    const headers = this.#answers.headers(this.#budget.remaining, status >= 400)
    if (sendIt) send(response, request, status, body, headers)
    return { status, body, headers }
  }

  /** The token, then the budget, then the scope: a write refused for its scope has spent budget. */
  #route(request: RecordedRequest, remoteAddress: string): unknown {
    const token = authenticate(request, remoteAddress)
    if (!this.#budget.admit()) {
      this.rateLimited++
      throw this.#budget.refusal()
    }
    requireScope(request, token)
    const args = argsOf(request)
    const route = this.#routes.get(`${request.method} ${request.path.replace(/^\/core\/v1/, '')}`)
    if (!route) {
      throw new ApiError(404, 'route_not_found', `No route matches "${request.path}" for ${request.method}`, {
        path: request.path,
        method: request.method,
      })
    }
    return route(args)
  }
}
