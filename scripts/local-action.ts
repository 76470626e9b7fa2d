// npm run local-action: proves that GitHub's @github/local-action runs this repository's actions
// from their TypeScript sources, the way the README's "Try it locally" has a newcomer try them:
// the create action, the delete action, then the create action with its post step, each against
// the local stand-in. It downloads @github/local-action (and the tsx it runs) from the npm
// registry, so it is not part of .ci/run.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exampleCreate, exampleTarget } from '../stand-in/example-inputs.ts'
import { KatapultStandIn } from '../stand-in/katapult-stand-in.ts'
import { ROOT } from '../stand-in/run-bundle.ts'

const LOCAL_ACTION = '@github/local-action@7.0.1'

/** Runs local-action in a child process; this process keeps serving the stand-in meanwhile. */
async function localAction(args: string[], envFile: string): Promise<string> {
  const child = spawn('npx', ['--yes', LOCAL_ACTION, 'run', ...args.slice(0, 2), envFile, ...args.slice(2)], {
    cwd: ROOT,
    // local-action starts its TypeScript runner with `npm exec tsx`: let npm fetch it unasked.
    env: { ...process.env, npm_config_yes: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  if (status !== 0) throw new Error(`local-action ${args.join(' ')} failed (exit ${status}):\n${output}`)
  return output
}

function envFile(folder: string, name: string, inputs: Record<string, string>): string {
  const file = join(folder, name)
  writeFileSync(
    file,
    Object.entries(inputs)
      .map(([input, value]) => `INPUT_${input.toUpperCase()}=${value}\n`)
      .join(''),
  )
  return file
}

const standIn = new KatapultStandIn()
const apiUrl = await standIn.start()
const folder = mkdtempSync(join(tmpdir(), 'local-action-'))
try {
  // The README's "Try it locally": add an interface on the virtual network, then delete it by VM and
  // virtual network; then the same create with cleanup, its post step removing the interface.
  const createEnv = envFile(folder, 'create.env', { ...exampleCreate(apiUrl), attach: 'true' })
  const deleteEnv = envFile(folder, 'delete.env', exampleTarget(apiUrl))
  const started = performance.now()
  const created = /Interface (vmnet_\w+) "[^"]*" created: attached/.exec(
    await localAction(['.', 'src/create/main.ts'], createEnv),
  )?.[1]
  if (!created) throw new Error('the create action should create and attach an interface')
  const deleted = await localAction(['delete', '../src/delete/main.ts'], deleteEnv)
  if (!deleted.includes(`Deleted interface ${created}`))
    throw new Error(`the delete action should delete ${created}:\n${deleted}`)
  console.log(`create then delete: ${created} (${((performance.now() - started) / 1000).toFixed(1)} s)`)

  const cleanupEnv = envFile(folder, 'cleanup.env', { ...exampleCreate(apiUrl), attach: 'true', cleanup: 'true' })
  const output = await localAction(['.', 'src/create/main.ts', '--post', 'src/create/post.ts'], cleanupEnv)
  const again = /Interface (vmnet_\w+) "[^"]*" created: attached/.exec(output)?.[1]
  if (!again || !output.includes(`interface ${again} removed`)) {
    throw new Error(`the main step should create an interface and the post step remove it:\n${output}`)
  }
  if (standIn.interfacesOf('web-1.example.com').length !== 1) throw new Error('an interface was left behind')
  console.log(`create with cleanup: main created ${again}, post removed it`)
} finally {
  rmSync(folder, { recursive: true, force: true })
  await standIn.stop()
}
