// What only the runner's files show: a job summary that cannot be written is a warning, never a
// failed step, in each of the three steps.
import { describe, expect, it } from '@jest/globals'
import { bundledStep } from '../support/bundled-step.ts'
import { baseInputs, connectionInputs, earlierInterface, onVirtualNetwork, useStandIn } from '../support/stand-in.ts'
import { warningsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('a job summary that cannot be written is a warning, never a failed step', () => {
  it('the main step sets its outputs and succeeds', async () => {
    const result = await bundledStep('main', baseInputs(env.apiUrl), { unwritableSummary: true })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.id).toMatch(/^vmnet_/)
    expect(warningsOf(result)).toMatch(/^Could not write the job summary, which is only a copy of the log: /)
  })

  it('the delete action deletes and succeeds', async () => {
    const earlier = earlierInterface(env.standIn)
    const result = await bundledStep(
      'main',
      { ...connectionInputs(), 'interface-id': earlier.id },
      { action: 'delete', unwritableSummary: true },
    )
    expect([result.exitCode, result.outputs.deleted]).toEqual([0, 'true'])
    expect(warningsOf(result)).toMatch(/^Could not write the job summary/)
  })

  it('the post step cleans up and does not say it could not finish', async () => {
    const inputs = baseInputs(env.apiUrl, { cleanup: 'true' })
    const main = await bundledStep('main', inputs)
    const post = await bundledStep('post', inputs, { state: main.state, unwritableSummary: true })
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post)).not.toContain('Cleanup could not finish')
    expect(onVirtualNetwork(env.standIn)).toEqual([])
  })
})
