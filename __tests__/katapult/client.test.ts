// The Katapult client against the real stand-in over HTTP, with one clock driving both: each wait
// the client takes moves the stand-in's clock on by as much, so a wait for the next minute is
// checked to the millisecond without a real minute passing.
import { describe, expect, it } from '@jest/globals'
import { TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { KatapultClient } from '../../src/katapult/client.ts'
import { listInterfaces } from '../../src/katapult/endpoints.ts'
import type { StepClock } from '../../src/katapult/step-clock.ts'
import { fakeClock, fakeStepClock } from '../support/fake-clock.ts'
import { useStandIn } from '../support/stand-in.ts'

const env = useStandIn()

/** The client's step clock: its sleeps take no time but move the stand-in's frozen clock on by as much. */
function stepClockMovingStandIn(random: number): StepClock & { waits: number[] } {
  return fakeStepClock(
    fakeClock(random, 0, (ms) => {
      env.standIn.clock.advance(ms)
    }),
  )
}

function connect(clock: StepClock, log: string[]): KatapultClient {
  const settings = {
    apiToken: TOKENS.valid,
    apiBase: `${env.apiUrl}/core/v1`,
    maxAttempts: 5,
    requestTimeoutMs: 30_000,
    stepTimeoutMs: 300_000,
  }
  return new KatapultClient(
    settings,
    clock,
    (line) => log.push(line),
    () => undefined,
  )
}

describe('the client and the per-minute budget', () => {
  it('meets a spent budget with 50 s left in the minute: one wait, and the request succeeds with the defaults', async () => {
    env.standIn.clock.freeze('2026-11-28T12:00:10Z')
    env.standIn.leaveBudget(0)
    const clock = stepClockMovingStandIn(0.5)
    const log: string[] = []
    const client = connect(clock, log)
    try {
      const interfaces = await listInterfaces(client, { fqdn: 'web-1.example.com' })
      expect(interfaces).toHaveLength(1)
    } finally {
      client.close()
    }
    // 50 s to the minute's turn, plus half of the 3 s spread.
    expect(clock.waits).toEqual([51_500])
    expect(env.standIn.requests.map((request) => request.status)).toEqual([429, 200])
    expect(env.standIn.requests[1]?.at).toBe(Date.parse('2026-11-28T12:01:01.500Z'))
    expect(log).toEqual([
      'GET /core/v1/virtual_machines/virtual_machine/network_interfaces: attempt 1 of 5 failed (429 rate_limit_reached); rate limit: 0 of 1000 left this minute; waiting 51.5 s for the next minute',
    ])
  })

  it('after an answer that says 0 left, waits for the next minute before sending the next request', async () => {
    env.standIn.clock.freeze('2026-11-28T12:00:45Z')
    env.standIn.leaveBudget(1)
    const clock = stepClockMovingStandIn(0)
    const log: string[] = []
    const client = connect(clock, log)
    try {
      await listInterfaces(client, { fqdn: 'web-1.example.com' })
      await listInterfaces(client, { fqdn: 'web-1.example.com' })
    } finally {
      client.close()
    }
    expect(env.standIn.rateLimited).toBe(0)
    expect(clock.waits).toEqual([15_000])
    expect(env.standIn.requests.map((request) => [request.status, new Date(request.at).toISOString()])).toEqual([
      [200, '2026-11-28T12:00:45.000Z'],
      [200, '2026-11-28T12:01:00.000Z'],
    ])
    expect(log).toEqual([
      'rate limit: 0 of 1000 left this minute; waiting 15.0 s for the next minute before GET /core/v1/virtual_machines/virtual_machine/network_interfaces',
    ])
  })
})
