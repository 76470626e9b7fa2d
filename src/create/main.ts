// The main step: read the inputs, get the interface, make it ready, hand it on. A failure says
// which input a lookup came from and what exists, and what this run left.
import * as core from '@actions/core'
import { explainLookupFailure } from '../action/lookup-errors.ts'
import { readInput, runStep } from '../action/step.ts'
import { addToSummary } from '../action/summary.ts'
import { describeFailure } from '../katapult/errors.ts'
import { loadTlsEarly } from '../katapult/transport.ts'
import { quote } from '../katapult/untrusted.ts'
import { parseCreateSettings } from './inputs.ts'
import { describeLeftovers } from './leftovers.ts'
import { interfaceOutputs, summaryTable } from './outputs.ts'
import { prepareInterface } from './prepare.ts'
import { provisionInterface } from './provision.ts'
import { StateWriter } from './state.ts'

export async function run(): Promise<void> {
  loadTlsEarly()
  await runStep(async (connect) => {
    const settings = parseCreateSettings(readInput, process.env)
    const client = connect(settings)
    const state = new StateWriter(core.saveState)
    try {
      const { networkInterface, created } = await provisionInterface(client, settings, core.info, state)
      const ready = await prepareInterface(client, networkInterface, {
        reused: !created,
        speedProfile: settings.speedProfile,
        reservedAddresses: settings.reservedAddresses,
        allocateIps: settings.allocateIps,
        attach: settings.attach,
        state,
        log: core.info,
      })
      for (const [name, value] of Object.entries(interfaceOutputs(ready, created))) core.setOutput(name, value)
      core.info(
        `Interface ${ready.id} ${quote(ready.name)} ${created ? 'created' : 'reused'}: ${ready.state}, MAC ${ready.mac_address}`,
      )
      addToSummary((summary) => summaryTable(summary, ready, created, settings))
    } catch (error) {
      const explained = (await explainLookupFailure(error, client, settings)) ?? describeFailure(error)
      const left = describeLeftovers(state.saved, settings.cleanup).map((line) => `  ${line}`)
      throw new Error([explained, ...left].join('\n'), { cause: error })
    }
  }, core.setFailed)
}
