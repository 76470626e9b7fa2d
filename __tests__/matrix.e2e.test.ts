// A matrix of jobs against one organisation's rate limit: Katapult answers 429 without
// Retry-After, and full-jitter backoff must spread the jobs out until every one succeeds.
import { describe, expect, it } from '@jest/globals'
import { baseInputs, step, useStandIn } from './support.ts'

const JOBS = 20
// 40 requests (a listing and a create a job) against 10 a second with a burst of 2: most jobs
// are refused at least once.
const env = useStandIn({ virtualMachines: JOBS, rateLimit: { perSecond: 10, burst: 2 } })

describe('a matrix of jobs under a rate limit', () => {
  it(`${JOBS} jobs at once all succeed, and every VM ends with exactly one new interface`, async () => {
    const jobs = Array.from({ length: JOBS }, (_, index) =>
      step('main', baseInputs(env.apiUrl, { 'virtual-machine-fqdn': `web-${index + 1}.example.com` })),
    )
    const results = await Promise.all(jobs)

    expect(results.map((result) => result.exitCode)).toEqual(Array.from({ length: JOBS }, () => 0))
    expect(env.standIn.rateLimited).toBeGreaterThan(0)
    for (let n = 1; n <= JOBS; n++) {
      const created = env.standIn.interfacesOf(`web-${n}.example.com`).filter((nic) => nic.networkId === 'netw_prv2Lon')
      expect(created.map((nic) => nic.id)).toEqual([results[n - 1]?.outputs.id])
    }
  })
})
