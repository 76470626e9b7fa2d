// Retries: what is sent again, after how long, and what is never resent.
import { describe, expect, it } from '@jest/globals'
import { everyRoute, step } from '../support/in-process-step.ts'
import {
  ATTACH_ROUTE,
  baseInputs,
  CREATE_ROUTE,
  DETACH_ROUTE,
  LIST_ROUTE,
  rateLimited,
  UNAVAILABLE,
  useStandIn,
} from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('retries', () => {
  it("backs off from a limiter's 429 page and from 503, logging each retry", async () => {
    env.standIn.inject(
      CREATE_ROUTE,
      { kind: 'respond', status: 429, body: '<html>Too Many Requests</html>' },
      UNAVAILABLE,
    )
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(3)
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(2)
    const retries = result.stdout.split('\n').filter((line) => line.includes('retrying'))
    // Full jitter below 3 s, then 6 s: a draw just under either prints as 3.0 or 6.0.
    expect(retries).toEqual([
      expect.stringMatching(
        /^POST \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces: attempt 1 of 5 failed \(429 answer that is not Katapult's JSON\); retrying in ([0-2]\.\d|3\.0) s \(backoff\)$/,
      ),
      expect.stringMatching(
        /: attempt 2 of 5 failed \(503 service_unavailable\); retrying in ([0-5]\.\d|6\.0) s \(backoff\)$/,
      ),
    ])
  })

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    env.standIn.inject(
      CREATE_ROUTE,
      { ...UNAVAILABLE, headers: { 'Retry-After': '1' } },
      { ...UNAVAILABLE, headers: { 'Retry-After': new Date(env.standIn.clock.now() - 5000).toUTCString() } },
    )
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('attempt 1 of 5 failed (503 service_unavailable); retrying in 1.0 s (Retry-After)')
    expect(result.stdout).toContain('attempt 2 of 5 failed (503 service_unavailable); retrying in 0.0 s (Retry-After)')
    expect(result.sleeps).toEqual([1000, 0])
  })

  it('a 429 with Retry-After and a spent budget is one wait, for the longer, logged once', async () => {
    env.standIn.clock.freeze('2026-11-28T12:00:21Z')
    env.standIn.inject(CREATE_ROUTE, { ...rateLimited(), headers: { 'Retry-After': '1' } })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(0)
    const waits = result.stdout.split('\n').filter((line) => line.includes('failed (429'))
    // 39 s to the minute and a spread below 3 s: a draw just under the top prints as 42.0.
    expect(waits).toEqual([
      expect.stringMatching(
        /attempt 1 of 5 failed \(429 rate_limit_reached\); rate limit: 0 of 1000 left this minute; waiting ((39|4[0-1])\.\d|42\.0) s for the next minute$/,
      ),
    ])
    expect(result.stdout).not.toContain('Retry-After')
    expect(result.sleeps).toHaveLength(1)
    const [refused, retried] = env.standIn.requestsTo(CREATE_ROUTE)
    expect([refused?.status, retried?.status]).toEqual([429, 200])
    expect(retried?.at).toBeGreaterThanOrEqual(Date.parse('2026-11-28T12:01:00Z'))
  })

  it('stops after max-attempts and reports the last error', async () => {
    env.standIn.inject(CREATE_ROUTE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE)
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '2' }))
    expect(result.exitCode).toBe(1)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(2)
    expect(result.stdout).toContain('attempt 2 of 2 failed (503 service_unavailable); giving up')
    expect(errorsOf(result)).toContain('answered 503 service_unavailable')
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })

  it('does not retry other client errors', async () => {
    const result = await step(
      'main',
      baseInputs(env.apiUrl, { 'virtual-network-id': '', 'network-permalink': 'eu-ams-01' }),
    )
    expect(result.exitCode).toBe(1)
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(1)
  })

  // Real time, 0.5 s: a hang is noticed only by the request's own timer, which is not driven.
  it('abandons a request with no answer within request-timeout', async () => {
    env.standIn.inject(LIST_ROUTE, { kind: 'hang', when: 'before' })
    const result = await step('main', baseInputs(env.apiUrl, { 'request-timeout': '0.5', 'max-attempts': '1' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toBe(
      'GET /core/v1/virtual_machines/virtual_machine/network_interfaces got no complete answer: no complete answer within 0.5 s (request-timeout)',
    )
    expect(result.durationMs).toBeLessThan(5000)
  })

  // Real time, 0.5 s, as above.
  it('retries a GET that timed out', async () => {
    env.standIn.inject(LIST_ROUTE, { kind: 'hang', when: 'before' })
    const result = await step('main', baseInputs(env.apiUrl, { 'request-timeout': '0.5' }))
    expect(result.exitCode).toBe(0)
    expect(env.standIn.requestsTo(LIST_ROUTE)).toHaveLength(2)
  })
})

describe('503 service_unavailable', () => {
  it.each([ATTACH_ROUTE, DETACH_ROUTE])('on %s is retried with backoff', async (route) => {
    env.standIn.inject(route, UNAVAILABLE)
    const { main, post } = await everyRoute(env.apiUrl)
    const left = env.standIn.interfacesOf('web-1.example.com').length
    expect([main.exitCode, post.exitCode, warningsOf(post), left]).toEqual([0, 0, '', 1])
    expect(`${main.stdout}${post.stdout}`).toMatch(
      /attempt 1 of 5 failed \(503 service_unavailable\); retrying in \d+\.\d s \(backoff\)/,
    )
    expect(env.standIn.requestsTo(route).map((request) => request.status)).toEqual([503, 200])
  })
})
