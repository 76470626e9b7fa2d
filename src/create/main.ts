// The main step: read the inputs, get the interface, make it ready, hand it on.
import * as core from '@actions/core'
import { readInput, runStep } from '../action/step.ts'
import { systemClock } from '../katapult/retry.ts'
import { quote } from '../katapult/untrusted.ts'
import { parseCreateSettings } from './inputs.ts'
import { interfaceOutputs, writeSummary } from './outputs.ts'
import { prepareInterface } from './prepare.ts'
import { provisionInterface } from './provision.ts'
import { StateWriter } from './state.ts'

export async function run(): Promise<void> {
  await runStep(async (connect) => {
    const settings = parseCreateSettings(readInput)
    const client = connect(settings)
    const state = new StateWriter(core.saveState)

    const { networkInterface, created } = await provisionInterface(client, settings, core.info, (pending) => {
      state.beforeCreate(pending)
    })
    state.interfaceKnown(networkInterface.id, created)

    const ready = await prepareInterface(client, systemClock, networkInterface, {
      speedProfile: settings.speedProfile,
      reservedAddresses: settings.reservedAddresses,
      allocateIps: settings.allocateIps,
      attach: settings.attach,
      state,
      log: core.info,
    })

    const outputs = interfaceOutputs(ready, created)
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
    core.info(
      `Interface ${ready.id} ${quote(ready.name)} ${created ? 'created' : 'reused'}: ${ready.state}, MAC ${ready.mac_address}`,
    )
    if (process.env.GITHUB_STEP_SUMMARY) await writeSummary(ready, created, settings)
  }, core.setFailed)
}
