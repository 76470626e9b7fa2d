// step-timeout bounds the whole step, every request, retry and wait, on a driven clock.
import { describe, expect, it } from '@jest/globals'
import { step } from '../support/in-process-step.ts'
import { baseInputs, CREATE_ROUTE, LIST_ROUTE, onVirtualNetwork, UNAVAILABLE, useStandIn } from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('a bound on the whole step', () => {
  it('fails at step-timeout with what it was doing and what may exist, on a driven clock', async () => {
    // Every create is refused 503 with Retry-After: 50, so each retry waits 50 s (driven, not real).
    const refused = { ...UNAVAILABLE, headers: { 'Retry-After': '50' } }
    env.standIn.inject(CREATE_ROUTE, refused, refused, refused, refused)
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '20', 'step-timeout': '120' }))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toMatch(
      /^step-timeout: waiting 50\.0 s before sending POST \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces would take the step past its 120\.0 s \(\d+\.\d s left\), so it stops here$/,
    )
    expect(result.sleeps).toEqual([50_000, 50_000])
    expect(env.standIn.requestsTo(CREATE_ROUTE)).toHaveLength(3)
  })

  it('the default bound of 300 s holds the worst case of retries inside retries', async () => {
    // A create lost every time, each resolution's listing refused until its last attempt: without
    // a bound on the whole step, 20 attempts of each would run for about 20 minutes.
    env.standIn.inject(
      CREATE_ROUTE,
      ...Array.from({ length: 20 }, () => ({ kind: 'reset' as const, when: 'before' as const })),
    )
    env.standIn.inject(LIST_ROUTE, { kind: 'pass' }, ...Array.from({ length: 400 }, () => UNAVAILABLE))
    // Every backoff drawn at the top of its range.
    const result = await step('main', baseInputs(env.apiUrl, { 'max-attempts': '20' }), { random: 0.99 })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('step-timeout: ')
    expect(errorsOf(result)).toContain('would take the step past its 300.0 s')
    expect(result.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(300_000)
    expect(errorsOf(result)).toContain('The create request got no answer, so an interface may exist on virtual network')
  })

  it('cuts off a request that would run past it; the post step then looks for what it may have made', async () => {
    // Real time: a hang is noticed only by the request's own timer, which is not driven. 0.5 s.
    const inputs = baseInputs(env.apiUrl, { 'step-timeout': '0.5', cleanup: 'true' })
    env.standIn.inject(CREATE_ROUTE, { kind: 'hang', when: 'after' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toMatch(
      /^step-timeout: the step reached its 0\.5 s while waiting for the answer to POST \/core\/v1\/virtual_machines\/virtual_machine\/network_interfaces, so it stops here\n {2}The create request got no answer/,
    )
    const post = await step('post', inputs, { state: main.state })
    expect([post.exitCode, warningsOf(post)]).toEqual([0, ''])
    expect(post.stdout).toContain('The create request that got no answer did create interface')
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})
