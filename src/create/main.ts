// The main step: read the inputs, get the interface, make it ready, hand it on. A failure says
// which input a lookup came from and what exists, and what this run left.
import { describeFailure } from '../action/failure-messages.ts'
import { explainLookupFailure } from '../action/lookup-errors.ts'
import { actionsRunner } from '../action/actions-runner.ts'
import type { Runner } from '../action/runner.ts'
import { runStep } from '../action/step.ts'
import { addToSummary } from '../action/summary.ts'
import { type Clock, systemClock } from '../katapult/step-clock.ts'
import { loadTlsEarly } from '../katapult/transport.ts'
import { quoteCut } from '../katapult/untrusted.ts'
import { parseCreateSettings } from './inputs.ts'
import { describeLeftovers } from './leftovers.ts'
import { interfaceOutputs, interfaceSummary } from './outputs.ts'
import { prepareInterface } from './make-ready.ts'
import { provisionInterface } from './create-or-reuse.ts'
import { StateWriter } from './step-state.ts'

/** The step; the entry file runs it on the real runner, a test on a recording one. */
export async function run(actual: Runner = actionsRunner, clock: Clock = systemClock): Promise<void> {
  loadTlsEarly()
  await runStep(
    { runner: actual, clock, action: 'create' },
    async ({ runner, connect }) => {
      const log = runner.info
      const settings = parseCreateSettings(runner.getInput, runner.inputKeys())
      const client = connect(settings)
      const state = new StateWriter(runner.saveState)
      try {
        const { networkInterface, created } = await provisionInterface(client, settings, log, state)
        const ready = await prepareInterface(client, networkInterface, {
          reused: !created,
          speedProfile: settings.speedProfile,
          reservedAddresses: settings.reservedAddresses,
          allocateIps: settings.allocateIps,
          attach: settings.attach,
          state,
          log,
        })
        for (const [name, value] of Object.entries(interfaceOutputs(ready, created))) runner.setOutput(name, value)
        log(
          `Interface ${ready.id} ${quoteCut(ready.name, 200)} ${created ? 'created' : 'reused'}: ${ready.state}, MAC ${ready.mac_address}`,
        )
        addToSummary(runner, interfaceSummary(ready, created, settings))
      } catch (error) {
        const explained = (await explainLookupFailure(error, client, settings)) ?? describeFailure(error, 'create')
        const left = describeLeftovers(state.saved, settings.cleanup).map((line) => `  ${line}`)
        throw new Error([explained, ...left].join('\n'), { cause: error })
      }
    },
    (runner, message) => {
      runner.setFailed(message)
    },
  )
}
