// Bad inputs to the delete action fail the step before any request, naming the inputs, the value
// and what to do; by VM it deletes only on a virtual network, never the VM's own interface.
import { describe, expect, it } from '@jest/globals'
import { IDS } from '../../stand-in/katapult-stand-in.ts'
import { deleteStep } from '../support/in-process-step.ts'
import { useStandIn } from '../support/stand-in.ts'
import { errorsOf } from '../support/step-log.ts'

const env = useStandIn()

describe('bad inputs to the delete action', () => {
  it.each<[string, Record<string, string>, string]>([
    ['neither an id nor a VM', {}, 'set interface-id, or a virtual machine'],
    [
      'an id with a VM',
      { 'interface-id': 'vmnet_abc', 'virtual-machine-fqdn': 'web-1.example.com' },
      'interface-id: give it alone, or drop it and find the interface by VM and network (virtual-machine-fqdn also set)',
    ],
    [
      'an id with a network',
      { 'interface-id': 'vmnet_abc', 'network-permalink': 'uk-lon-01-public' },
      '(network-permalink also set)',
    ],
    [
      'an id of another kind',
      { 'interface-id': 'vm_abc' },
      'interface-id: "vm_abc" is a virtual machine id, not a network interface id (vmnet_…)',
    ],
    [
      'an interface name',
      { 'interface-id': 'eth1' },
      'interface-id: "eth1" is not a network interface id (vmnet_…); it is the id output of the step that created the interface',
    ],
    [
      'a VM without a network',
      { 'virtual-machine-fqdn': 'web-1.example.com' },
      'set exactly one of network-id, network-permalink, virtual-network-id (none is set)',
    ],
    [
      'a network without a VM',
      { 'network-permalink': 'uk-lon-01-public' },
      'set exactly one of virtual-machine-id, virtual-machine-fqdn (none is set)',
    ],
    ['a bad delete-ips', { 'interface-id': 'vmnet_abc', 'delete-ips': 'yes' }, 'delete-ips: "yes" is not a boolean'],
    [
      'a bad max-attempts',
      { 'interface-id': 'vmnet_abc', 'max-attempts': '0' },
      'max-attempts: "0" is not a whole number',
    ],
  ])('refuses %s before any request', async (_name, inputs, message) => {
    const result = await deleteStep(inputs)
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toMatch(/^Invalid inputs:\n/)
    expect(errorsOf(result)).toContain(message)
    expect(env.standIn.requests).toEqual([])
  })

  it.each([
    ['network-permalink', { 'network-permalink': 'uk-lon-01-public' }],
    ['network-id', { 'network-id': IDS.publicNetwork }],
  ])('refuses to delete by VM and %s before any request: the VM’s own interface is there', async (input, network) => {
    const result = await deleteStep({ 'virtual-machine-fqdn': 'web-1.example.com', 'delete-ips': 'true', ...network })
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toContain(
      `${input}: a VM has its own interface on a network from the day it was built, which this action cannot tell ` +
        'from one a run added, so it deletes by VM only on a virtual network (virtual-network-id); to delete an ' +
        'interface on a network, give interface-id alone (the id output of the step that created it)',
    )
    expect(env.standIn.requests).toEqual([])
    expect(env.standIn.interfacesOf('web-1.example.com')).toHaveLength(1)
  })

  it('names a misspelt key with the input it probably means', async () => {
    const result = await deleteStep({ interface_id: 'vmnet_gone0000000000' })
    expect(errorsOf(result)).toContain(
      'with: "interface_id" is not an input of this action; did you mean interface-id?',
    )
    expect(env.standIn.requests).toEqual([])
  })
})
