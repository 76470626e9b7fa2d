// Text from the API is never a workflow command: printed inert, escaped in the summary.
import { describe, expect, it } from '@jest/globals'
import { step } from '../support/in-process-step.ts'
import { baseInputs, CREATE_ROUTE, earlierInterface, LIST_ROUTE, routesAfter, useStandIn } from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('API text that tries to be a workflow command', () => {
  const HOSTILE_NAME =
    '<b>eth1</b>\n::add-mask::vmnet\n::stop-commands::end ##[save-state name=allocated-ip-ids]["ip_x"]'

  it('is printed inert in the log and escaped in the summary, and set as the output it is', async () => {
    earlierInterface(env.standIn).name = HOSTILE_NAME
    const inputs = baseInputs(env.apiUrl, { 'reuse-existing': 'true', cleanup: 'true' })
    const main = await step('main', inputs)
    expect(main.exitCode).toBe(0)
    expect(main.outputs.name).toBe(HOSTILE_NAME)
    expect(main.state['allocated-ip-ids']).toBeUndefined()
    expect(main.summary).toContain('<td>&#60;b&#62;eth1&#60;/b&#62;\n::add-mask::vmnet')
    expect(main.stdout).toContain(
      `"<b>eth1</b>\\n:\\u003aadd-mask:\\u003avmnet\\n:\\u003astop-commands:\\u003aend #\\u0023[save-state name=allocated-ip-ids][\\"ip_x\\"]" reused`,
    )
    const post = await step('post', inputs, { state: main.state })
    expect(routesAfter(env.standIn, 0).filter((route) => route.startsWith('DELETE'))).toEqual([])
    expect(post.exitCode).toBe(0)
  })

  it('in an error description and its validation errors is printed inert', async () => {
    env.standIn.inject(CREATE_ROUTE, {
      kind: 'error',
      status: 422,
      code: 'validation_error',
      description: 'Invalid\n::add-mask::everything',
      detail: { errors: ['##[save-state name=interface-id]vmnet_other', 'line\r\n::warning::fake'] },
    })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('answered 422 validation_error: "Invalid\\n:\\u003aadd-mask:\\u003aeverything"')
    expect(result.state['interface-id']).toBeUndefined()
  })

  it('in an id is refused as a malformed answer', async () => {
    env.standIn.inject(LIST_ROUTE, {
      kind: 'respond',
      status: 200,
      body: {
        pagination: { total_pages: 1 },
        virtual_machine_network_interfaces: [
          { id: 'vmnet_x\n::add-mask::y', name: 'x', network: null, virtual_network: null },
        ],
      },
    })
    const result = await step('main', baseInputs(env.apiUrl))
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain('without a Katapult id at virtual_machine_network_interfaces[0].id')
  })
})
