// What only the runner shows, through the bundle run as it runs it: the `with:` keys it passes as
// INPUT_* variables, outputs written to GITHUB_OUTPUT whatever they hold, the state handed from
// the main step to the post step, and a job summary file that cannot be written.
import { describe, expect, it } from '@jest/globals'
import { bundledStep } from '../support/bundled-step.ts'
import { baseInputs, connectionInputs, earlierInterface, onVirtualNetwork, useStandIn } from '../support/stand-in.ts'
import { errorsOf, warningsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('inputs, outputs and state through the runner', () => {
  it('names a with: key that is a near miss of an input, from the variables the runner passes', async () => {
    const inputs = { ...baseInputs(env.apiUrl, { 'virtual-network-id': '' }), network_permalink: 'uk-lon-01-public' }
    const result = await bundledStep('main', inputs)
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(
      'with: "network_permalink" is not an input of this action; did you mean network-permalink?',
    )
    expect(env.standIn.requests).toEqual([])
  })

  it('writes an output that holds line breaks and command markers as it is, and the post step gets the state', async () => {
    const name = 'eth1\n::add-mask::vmnet\nEOF\nid=vmnet_forged'
    const earlier = earlierInterface(env.standIn)
    earlier.name = name
    const inputs = baseInputs(env.apiUrl, { 'reuse-existing': 'true', 'allocate-ips': 'ipv4', cleanup: 'true' })
    const main = await bundledStep('main', inputs)
    expect(main.exitCode).toBe(0)
    expect(main.outputs.name).toBe(name)
    expect(main.outputs.id).toBe(earlier.id)
    const post = await bundledStep('post', inputs, { state: main.state })
    expect(post.stdout).toMatch(/Cleanup: IP address ip_\w+ removed/)
    expect(onVirtualNetwork(env.standIn)).toEqual([earlier.id])
  })
})

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
