// The main step: read the inputs, get the interface, make it ready, hand it on.
import * as core from '@actions/core'
import { describeFailure } from '../katapult/errors.ts'
import { maskApiToken, parseCreateSettings } from '../action/inputs.ts'
import { KatapultClient } from '../katapult/client.ts'
import { interfaceOutputs, writeSummary } from './outputs.ts'
import { prepareInterface } from './prepare.ts'
import { provisionInterface } from './provision.ts'
import { systemClock } from '../katapult/retry.ts'
import { STATE } from './state.ts'

const read = (name: string): string => core.getInput(name)

export async function run(): Promise<void> {
  let client: KatapultClient | undefined
  try {
    maskApiToken(read, core.setSecret)
    const settings = parseCreateSettings(read)
    client = new KatapultClient(settings, systemClock, core.info, core.debug)

    const { networkInterface, created } = await provisionInterface(client, settings, core.info)
    // Saved at once, so that the post step can clean up even if attaching or allocating fails.
    core.saveState(STATE.interfaceId, networkInterface.id)
    core.saveState(STATE.created, String(created))

    const allocated: string[] = []
    const ready = await prepareInterface(client, systemClock, networkInterface, {
      allocateIps: settings.allocateIps,
      attach: settings.attach,
      log: core.info,
      onAllocated: (address) => {
        allocated.push(address.id)
        core.saveState(STATE.allocatedIpIds, JSON.stringify(allocated))
      },
    })

    for (const [name, value] of Object.entries(interfaceOutputs(ready, created))) core.setOutput(name, value)
    core.info(
      `Interface ${ready.id} (${ready.name}) ${created ? 'created' : 'reused'}: ${ready.state}, MAC ${ready.mac_address}`,
    )
    if (process.env.GITHUB_STEP_SUMMARY) await writeSummary(ready, created, settings)
  } catch (error) {
    core.setFailed(describeFailure(error))
  } finally {
    client?.close()
  }
}
