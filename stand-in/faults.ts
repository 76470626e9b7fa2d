// The faults a real network and Katapult produce, injected by tests into the next requests to a
// route: Katapult's error documents, a proxy's page or a malformed body, an answer with a field
// changed, a connection reset or a request never answered, each before or after the request took
// effect, and something else happening in the organisation at that moment.
import type * as http from 'node:http'
import { type Answer, type Answers, send } from './answers.ts'
import type { Budget } from './budget.ts'
import type { RecordedRequest } from './requests.ts'

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

/** Whether the request is handled before the fault strikes. */
export function strikesAfter(fault: Fault): boolean {
  const when = fault.kind === 'pass' || fault.kind === 'rewrite' ? 'after' : (fault.when ?? 'before')
  return when === 'after'
}

/** A request a fault strikes: `handled` is Katapult's answer when it was handled first. */
interface Struck {
  request: http.IncomingMessage
  response: http.ServerResponse
  recorded: RecordedRequest
  handled: Answer | undefined
}

export class Faults {
  readonly #queued = new Map<string, Fault[]>()
  readonly #answers: Answers
  readonly #budget: Budget

  constructor(answers: Answers, budget: Budget) {
    this.#answers = answers
    this.#budget = budget
  }

  /** Queues faults for the next requests to `METHOD /core/v1/path`, one per request, in order. */
  inject(route: string, ...faults: Fault[]): void {
    this.#queued.set(route, [...(this.#queued.get(route) ?? []), ...faults])
  }

  /** The fault queued first for this route, or a pass when none is. */
  next(route: string): Fault {
    return this.#queued.get(route)?.shift() ?? { kind: 'pass' }
  }

  /** Does to the request what the fault says; a pass was answered when it was handled. */
  strike(fault: Fault, { request, response, recorded, handled }: Struck): void {
    switch (fault.kind) {
      case 'error': {
        const remaining = this.#budget.remainingNow()
        const headers = {
          ...this.#answers.headers(fault.code === 'rate_limit_reached' ? 0 : remaining, true),
          ...fault.headers,
        }
        const body = this.#answers.errorBody(fault.code, fault.description, fault.detail ?? {})
        send(response, recorded, fault.status, body, headers)
        break
      }
      case 'respond': {
        const type = typeof fault.body === 'string' ? 'text/html' : 'application/json'
        send(response, recorded, fault.status, fault.body, { 'Content-Type': type, ...fault.headers })
        break
      }
      case 'rewrite': {
        const { status, body, headers } = handled ?? { status: 500, body: {}, headers: {} }
        send(response, recorded, status, fault.change(body as Record<string, unknown>), headers)
        break
      }
      case 'reset':
        request.socket.destroy()
        break
      // A hang leaves the request unanswered until the client gives up; a pass was answered when handled.
    }
  }
}
