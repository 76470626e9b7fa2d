// npm run local-action: proves that GitHub's @github/local-action runs this repository's actions
// from their TypeScript sources, the way a newcomer would try them: the create action's main and
// post steps, then the delete action, each against the local stand-in. It downloads
// @github/local-action (and the tsx it runs) from the npm registry, so it is not part of .ci/run.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDS, KatapultStandIn, TOKENS } from '../stand-in/katapult-stand-in.ts'
import { ROOT } from '../stand-in/runner.ts'

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

const standIn = new KatapultStandIn({ virtualMachines: 2 })
const apiUrl = await standIn.start()
const folder = mkdtempSync(join(tmpdir(), 'local-action-'))
try {
  const connection = { 'api-token': TOKENS.valid, 'api-url': apiUrl }
  const create = envFile(folder, 'create.env', {
    ...connection,
    'virtual-machine-fqdn': 'web-1.example.com',
    'network-permalink': 'uk-lon-01-public',
    'speed-profile-permalink': '1gbps',
    'allocate-ips': 'ipv4',
    attach: 'true',
    cleanup: 'true',
  })
  const started = performance.now()
  const output = await localAction(['.', 'src/create/main.ts', '--post', 'src/create/post.ts'], create)
  const created = /Interface (vmnet_\w+) "[^"]*" created: attached/.exec(output)?.[1]
  if (!created || !output.includes(`interface ${created} removed`)) {
    throw new Error(`the main step should create an interface and the post step remove it:\n${output}`)
  }
  if (standIn.interfacesOf('web-1.example.com').length !== 1) throw new Error('the post step left an interface behind')
  console.log(
    `create action: main created ${created}, post removed it (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  )

  const scratch = standIn.addInterfaceElsewhere('web-2.example.com', { virtualNetworkId: IDS.virtualNetwork })
  const remove = envFile(folder, 'delete.env', { ...connection, 'interface-id': scratch.id })
  const deleted = await localAction(['delete', '../src/delete/main.ts'], remove)
  if (!deleted.includes(`Deleted interface ${scratch.id}`) || standIn.interfacesOf('web-2.example.com').length !== 1) {
    throw new Error(`the delete action should delete ${scratch.id}:\n${deleted}`)
  }
  console.log(`delete action: deleted ${scratch.id}`)
} finally {
  rmSync(folder, { recursive: true, force: true })
  await standIn.stop()
}
