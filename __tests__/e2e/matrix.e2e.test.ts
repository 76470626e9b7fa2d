// A matrix of jobs sharing one organisation's per-minute budget: more requests than the minute
// allows. Jobs refused, or told that nothing is left, wait for the next minute and all succeed.
import { describe, expect, it } from '@jest/globals'
import { bundledStep } from '../support/bundled-step.ts'
import { baseInputs, onVirtualNetwork, useStandIn } from '../support/stand-in.ts'

const JOBS = 20
// 40 requests (a listing and a create a job) against a budget of 25 a minute.
const env = useStandIn({ virtualMachines: JOBS, perMinute: 25 })

describe('a matrix of jobs under the per-minute budget', () => {
  it(`${JOBS} jobs at once all succeed, and every VM ends with exactly one new interface`, async () => {
    // The minute turns 3 s after the first request arrives, however long the jobs take to start.
    env.standIn.holdClockUntilFirstRequest('2026-11-28T12:00:57Z')
    const jobs = Array.from({ length: JOBS }, (_, index) =>
      bundledStep('main', baseInputs(env.apiUrl, { 'virtual-machine-fqdn': `web-${index + 1}.example.com` }), {
        realTime: 'twenty processes share one stand-in clock, which one job’s driven sleep would move for all',
      }),
    )
    const results = await Promise.all(jobs)

    expect(results.map((result) => result.exitCode)).toEqual(Array.from({ length: JOBS }, () => 0))
    const turn = Date.parse('2026-11-28T12:01:00Z')
    expect(env.standIn.requests.filter((request) => request.at >= turn).length).toBeGreaterThanOrEqual(15)
    for (let n = 1; n <= JOBS; n++) {
      expect(onVirtualNetwork(env.standIn, `web-${n}.example.com`)).toEqual([results[n - 1]?.outputs.id])
    }
  })
})
