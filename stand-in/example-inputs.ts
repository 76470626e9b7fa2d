// The inputs that aim the actions at the stand-in's world: an interface of VM web-N.example.com on
// the backend virtual network. The tests, the demo, the benchmark and `npm run stand-in`'s env
// files all start from these.
import { TOKENS } from './authentication.ts'
import { IDS } from './world.ts'

/** What both actions need to find the interface: the connection, the VM and the virtual network. */
export function exampleTarget(apiUrl: string, vm = 1): Record<string, string> {
  return {
    'api-token': TOKENS.valid,
    'api-url': apiUrl,
    'virtual-machine-fqdn': `web-${vm}.example.com`,
    'virtual-network-id': IDS.virtualNetwork,
  }
}

/** The create action's inputs for a 1 Gbps interface there, and nothing more. */
export function exampleCreate(apiUrl: string, vm = 1): Record<string, string> {
  return { ...exampleTarget(apiUrl, vm), 'speed-profile-permalink': '1gbps' }
}
