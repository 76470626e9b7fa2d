// A failed main step says what this run left, and what happens to it.
import { describe, expect, it } from '@jest/globals'
import { step } from '../support/in-process-step.ts'
import { ATTACH_ROUTE, baseInputs, UNAVAILABLE, useStandIn } from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('a failed main step says what this run left', () => {
  it.each([
    ['true', 'the post step removes it at the end of the job (cleanup: true).', 'the post step releases them.'],
    [
      'false',
      'it stays (cleanup is off); remove it with the delete action and interface-id: ',
      'they stay the organisation’s (cleanup is off).',
    ],
  ])('with cleanup: %s', async (cleanup, interfaceFate, addressFate) => {
    env.standIn.inject(ATTACH_ROUTE, UNAVAILABLE)
    const inputs = baseInputs(env.apiUrl, { 'allocate-ips': 'ipv4', attach: 'true', 'max-attempts': '1', cleanup })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(1)
    const id = main.state['interface-id'] ?? ''
    const [allocated] = JSON.parse(main.state['allocated-ip-ids'] ?? '[]') as string[]
    expect(errorsOf(main).split('\n').slice(1)).toEqual([
      `  Interface ${id} was created by this run and exists: ${interfaceFate}${cleanup === 'false' ? `${id}.` : ''}`,
      `  This run allocated ${allocated ?? ''} on interface ${id}: ${addressFate}`,
    ])
  })
})
