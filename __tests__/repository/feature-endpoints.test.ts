// The scopes each feature needs are those of the endpoints it calls (src/action/scopes.ts): held
// here to the requests each feature really sends, run in-process against the stand-in. A request
// that a feature sends and the table does not list would leave a scope out of the README, the
// action.yml descriptions and the advice after scope_not_granted.
import { describe, expect, it } from '@jest/globals'
import { type ActionName, FEATURES } from '../../src/action/scopes.ts'
import { ENDPOINT_SCOPES } from '../../src/katapult/endpoint-scopes.ts'
import { IDS, RESERVED_ADDRESSES } from '../../stand-in/katapult-stand-in.ts'
import { deleteStep, mainThenPost, step } from '../support/in-process-step.ts'
import { ON_PUBLIC_NETWORK, baseInputs, earlierInterface, routesAfter, useStandIn } from '../support/stand-in.ts'

const env = useStandIn()

/** The endpoints the scopes table gives a feature; `every run` names what each run of the action calls. */
function endpointsOf(action: ActionName, name: string): string[] {
  return [...(FEATURES[action].find((feature) => feature.name === name)?.endpoints ?? [])]
}

/** What the stand-in saw, as `METHOD /path` without the API's prefix. */
const sent = (): string[] => [...new Set(routesAfter(env.standIn, 0).map((route) => route.replace(' /core/v1', ' ')))]

/** Requests sent only to set the scene for the feature under test: the action and its features named. */
type Scene = { action: ActionName; features: string[] }
const NO_SCENE: Scene[] = []
const CREATED_FIRST = (...features: string[]): Scene[] => [{ action: 'create', features: ['every run', ...features] }]

describe('each feature sends what the scopes table says it does', () => {
  it.each<[string, ActionName, () => Promise<unknown>, Scene[]]>([
    ['attach', 'create', () => step('main', baseInputs(env.apiUrl, { attach: 'true' })), NO_SCENE],
    [
      'reuse-existing',
      'create',
      () => {
        earlierInterface(env.standIn, { speedProfileId: IDS.speed10g })
        return step('main', baseInputs(env.apiUrl, { 'reuse-existing': 'true' }))
      },
      NO_SCENE,
    ],
    ['allocate-ips', 'create', () => step('main', baseInputs(env.apiUrl, { 'allocate-ips': 'ipv4' })), NO_SCENE],
    [
      'ip-address',
      'create',
      () => step('main', baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'ip-address': RESERVED_ADDRESSES.ipv4 })),
      NO_SCENE,
    ],
    [
      'cleanup',
      'create',
      () => mainThenPost(baseInputs(env.apiUrl, { attach: 'true', cleanup: 'true' })),
      CREATED_FIRST('attach'),
    ],
    [
      'delete-ips',
      'delete',
      () => {
        const earlier = earlierInterface(env.standIn, { addresses: ['ipv4'] })
        return deleteStep({ 'interface-id': earlier.id, 'delete-ips': 'true' })
      },
      NO_SCENE,
    ],
    [
      'ip-address',
      'delete',
      async () => {
        const { main } = await mainThenPost(
          baseInputs(env.apiUrl, { ...ON_PUBLIC_NETWORK, 'ip-address': RESERVED_ADDRESSES.ipv4 }),
        )
        return deleteStep({ 'interface-id': main.outputs.id ?? '', 'ip-address': RESERVED_ADDRESSES.ipv4 })
      },
      CREATED_FIRST('ip-address'),
    ],
  ])('%s (%s action)', async (name, action, run, scene) => {
    await run()
    const feature = endpointsOf(action, name)
    const known = [
      ...endpointsOf(action, 'every run'),
      ...feature,
      ...scene.flatMap((set) => set.features.flatMap((other) => endpointsOf(set.action, other))),
    ]
    expect(sent().filter((route) => !known.includes(route))).toEqual([])
    expect(feature.filter((endpoint) => !sent().includes(endpoint))).toEqual([])
  })

  it('every request of a lookup that failed, and of the delete action by VM, is in the table', async () => {
    earlierInterface(env.standIn)
    await step('main', baseInputs(env.apiUrl, { 'speed-profile-permalink': '5gbps' }))
    await step('main', baseInputs(env.apiUrl, { 'virtual-network-id': '', 'network-permalink': 'uk-lon-01' }))
    await deleteStep({ 'virtual-machine-fqdn': 'web-1.example.com', 'virtual-network-id': IDS.virtualNetwork })
    expect(sent().filter((route) => !(route in ENDPOINT_SCOPES))).toEqual([])
  })
})
