// Katapult's per-minute budget, as the wire shows it: a 429 waits for the next minute, and a
// spent budget is waited out before sending, on a driven clock.
import { describe, expect, it } from '@jest/globals'
import { everyRoute, step } from '../support/in-process-step.ts'
import {
  ALLOCATE_ROUTE,
  ATTACH_ROUTE,
  baseInputs,
  CREATE_ROUTE,
  DELETE_INTERFACE_ROUTE,
  DELETE_IP_ROUTE,
  LIST_ROUTE,
  rateLimited,
  UNAVAILABLE,
  useStandIn,
} from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const env = useStandIn()

/** 50 s before a minute turns, on the stand-in's clock held still: it moves only as the action sleeps. */
const MID_MINUTE = '2026-11-28T12:00:10Z'

const WINDOW_WAIT = /rate limit: 0 of 1000 left this minute; waiting \d+\.\d s for the next minute$/

const MINUTE_MS = 60_000

describe('a 429 because the minute’s budget is spent', () => {
  it.each([LIST_ROUTE, CREATE_ROUTE, ALLOCATE_ROUTE, ATTACH_ROUTE, DELETE_IP_ROUTE, DELETE_INTERFACE_ROUTE])(
    'on %s costs one wait for the next minute, then the run goes on',
    async (route) => {
      env.standIn.clock.freeze(MID_MINUTE)
      env.standIn.inject(route, rateLimited())
      const { main, post } = await everyRoute(env.apiUrl)
      const left = env.standIn.interfacesOf('web-1.example.com').length
      expect([main.exitCode, post.exitCode, warningsOf(post), left]).toEqual([0, 0, '', 1])
      const lines = `${main.stdout}${post.stdout}`.split('\n').filter((line) => line.includes('rate limit:'))
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(`${route}: attempt 1 of 5 failed (429 rate_limit_reached); rate limit: 0 of 1000`)
      expect(lines[0]).toMatch(WINDOW_WAIT)
      const [refused, retried] = env.standIn.requestsTo(route)
      expect([refused?.status, retried?.status]).toEqual([429, 200])
      // Sent again in the next minute of Katapult's clock, within the random spread of up to 3 s.
      const nextMinute = (Math.floor((refused?.at ?? 0) / MINUTE_MS) + 1) * MINUTE_MS
      expect(retried?.at).toBeGreaterThanOrEqual(nextMinute)
      expect(retried?.at).toBeLessThan(nextMinute + 3000 + 1000)
    },
  )
})

describe('the minute’s budget', () => {
  it('spent by other automation: the first request is refused, and the run resumes right after the minute turns', async () => {
    // The minute turns 2 s after the first request arrives.
    env.standIn.holdClockUntilFirstRequest('2026-11-28T12:00:58Z')
    env.standIn.leaveBudget(0)
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    const turn = Date.parse('2026-11-28T12:01:00Z')
    const [refused, ...admitted] = env.standIn.requests
    expect(refused?.status).toBe(429)
    expect(admitted.map((request) => request.status)).toEqual([200, 200])
    // Resumed within the random spread (at most 3 s) and the time to send: the aim is under 5 s.
    expect((admitted[0]?.at ?? 0) - turn).toBeGreaterThanOrEqual(0)
    expect((admitted[0]?.at ?? 0) - turn).toBeLessThan(5000)
    expect(result.stdout).toMatch(
      /attempt 1 of 5 failed \(429 rate_limit_reached\); rate limit: 0 of 1000 left this minute; waiting [1-5]\.\d s for the next minute/,
    )
  })

  it('announced as 0 left: the action waits for the next minute before its next request, instead of sending into a 429', async () => {
    env.standIn.holdClockUntilFirstRequest('2026-11-28T12:00:58Z')
    env.standIn.leaveBudget(1)
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.rateLimited).toBe(0)
    const [create] = env.standIn.requestsTo(CREATE_ROUTE)
    expect(create?.at).toBeGreaterThanOrEqual(Date.parse('2026-11-28T12:01:00Z'))
    expect(result.stdout).toMatch(
      /\nrate limit: 0 of 1000 left this minute; waiting [1-5]\.\d s for the next minute before POST \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces\n/,
    )
  })

  it('refuses a Retry-After longer than two minutes at once, saying what Katapult asked for', async () => {
    env.standIn.inject(CREATE_ROUTE, { ...rateLimited(), headers: { 'Retry-After': '3600' } })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toBe(
      'POST /core/v1/virtual_machines/virtual_machine/network_interfaces failed (429 rate_limit_reached), and Katapult ' +
        'asked to wait 3600.0 s before trying again, longer than the 120.0 s this action waits at most; try again later',
    )
    expect(result.sleeps).toEqual([])
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
  })

  it('refuses a Retry-After beyond what a timer can hold instead of firing at once', async () => {
    env.standIn.inject(CREATE_ROUTE, { ...UNAVAILABLE, headers: { 'Retry-After': '99999999999' } })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('Katapult asked to wait 99999999999.0 s before trying again')
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
  })
})
