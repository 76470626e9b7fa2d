// ci.yml's self-test job, run here step by step as the runner runs it: its `run:` steps in bash
// with their `env:` (the stand-in started by `npm run stand-in`, in the background, as on the
// runner), its `uses: ./` and `uses: ./delete` steps as the bundled actions with their `with:`
// inputs, and the post steps in reverse order at the end. Only the setup steps (checkout,
// setup-node, npm ci) are skipped: this checkout has done them. Afterwards the stand-in is asked,
// over HTTP, what is left on the VMs. Real time, about a second of task waits: the stand-in is a
// process of its own here, as on the runner, so its clock cannot be driven.
import { afterAll, describe, expect, it } from '@jest/globals'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { ROOT } from '../../stand-in/run-bundle.ts'
import { type Job, type WorkflowStep, runJob } from '../support/workflow.ts'

const workflow = parse(readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')) as { jobs: Record<string, Job> }
const job = workflow.jobs['self-test']
const temp = mkdtempSync(join(tmpdir(), 'self-test-'))
const background: ChildProcess[] = []

afterAll(() => {
  // The runner ends a job's orphan processes; so does this. Most steps' groups are empty by now.
  for (const child of background) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
    }
  }
  rmSync(temp, { recursive: true, force: true })
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => {
        resolve(port)
      })
    })
  })
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  // GitHub's default shell on Linux is `bash -e {0}`; a process group of its own lets the stand-in
  // it starts in the background be stopped at the end, as the runner stops orphans.
  const child = spawn('bash', ['-e', '-c', script], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      background.push(child)
      resolve({ code, output })
    })
  })
}

describe('ci.yml, job self-test, replayed here', () => {
  it('runs every step green, post steps included, and leaves nothing behind on the stand-in', async () => {
    expect(job).toBeDefined()
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      RUNNER_TEMP: temp,
      ...job?.env,
      STAND_IN_PORT: String(await freePort()),
    }
    const ran: string[] = []
    const setup = (step: WorkflowStep): boolean => Boolean(step.uses?.startsWith('actions/')) || step.run === 'npm ci'
    const steps = (job?.steps ?? []).filter((step) => !setup(step))
    const { results, outputs } = await runJob(steps, {
      action: (uses) => {
        if (uses === './') return '.'
        if (uses === './delete') return 'delete'
        throw new Error(`this replay does not run the step ${uses}: extend the test`)
      },
      context: (expression) => {
        const variable = /^env\.(\w+)$/.exec(expression)?.[1]
        return variable === undefined ? undefined : (env[variable] ?? '')
      },
      run: async (step, stepEnv) => {
        const name = step.name ?? step.run ?? ''
        const result = await bash(step.run ?? '', { ...env, ...stepEnv })
        expect({ name, ...result }).toMatchObject({ name, code: 0 })
        ran.push(name)
      },
      realTime: 'the stand-in is a process of its own, started by a run: step, so its clock cannot be driven',
    })
    expect(
      results.map((result) => [result.exitCode, result.stdout.includes('::warning::') ? result.stdout : '']),
    ).toEqual(results.map(() => [0, '']))

    expect(ran).toEqual(
      expect.arrayContaining(['Start the Katapult stand-in', 'Deploy (consumes the outputs as a deploy step does)']),
    )
    expect(outputs.nic?.id).toMatch(/^vmnet_/)
    for (const fqdn of ['web-1.example.com', 'web-2.example.com']) {
      const url = new URL(
        `http://127.0.0.1:${env.STAND_IN_PORT ?? ''}/core/v1/virtual_machines/virtual_machine/network_interfaces`,
      )
      url.searchParams.set('virtual_machine[fqdn]', fqdn)
      const answer = (await (await fetch(url, { headers: { Authorization: `Bearer ${TOKENS.valid}` } })).json()) as {
        virtual_machine_network_interfaces: { name: string }[]
      }
      // Only the interface each VM was built with: cleanup and the delete action removed the rest.
      expect(answer.virtual_machine_network_interfaces.map((nic) => nic.name)).toEqual([
        `Public Network on ${fqdn.split('.')[0] ?? ''}`,
      ])
    }
  }, 120_000)
})
