// npm run build: bundles each entry file into dist/<entry>/index.js with ncc, the three at once
// (each ncc run is mostly single-threaded), and fails if any of them fails.
// `--if-stale` (npm test's pretest) skips the build when neither what goes into the bundles nor
// dist/ itself changed since the last build here, so that the end-to-end tests always run the
// bundle of the src/ they are given, and a second `npm test` does not pay for it again.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from '../stand-in/runner.ts'

const ENTRIES = ['create-main', 'create-post', 'delete-main']
const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.ts']
const STAMP = join(ROOT, 'node_modules/.cache/katapult-action/build-stamp.json')

function files(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
  } catch {
    return [path]
  }
}

/** One hash of the files' names and contents; a file that is not there counts as empty. */
function hash(paths: string[]): string {
  const digest = createHash('sha256')
  for (const file of paths.flatMap((path) => files(join(ROOT, path))).sort()) {
    digest.update(relative(ROOT, file)).update('\0')
    try {
      digest.update(readFileSync(file))
    } catch {
      // Not there: its name alone is hashed.
    }
  }
  return digest.digest('hex')
}

function ncc(entry: string): Promise<void> {
  const args = ['build', `src/${entry}.ts`, '-o', `dist/${entry}`, '--minify', '--quiet']
  // One licence file for all three: they bundle the same packages.
  if (entry === 'create-main') args.push('--license', 'licenses.txt')
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new Error(`ncc failed on src/${entry}.ts (exit ${code})`))
    })
  })
}

function readStamp(): { inputs: string; dist: string } | undefined {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')) as { inputs: string; dist: string }
  } catch {
    return undefined
  }
}

const inputs = hash(INPUTS)
const stamp = readStamp()
if (process.argv.includes('--if-stale') && stamp?.inputs === inputs && stamp.dist === hash(['dist'])) {
  console.log('dist/ is the bundle of src/ as it is (built before): not rebuilt')
} else {
  const results = await Promise.allSettled(ENTRIES.map(ncc))
  for (const result of results) if (result.status === 'rejected') console.error(String(result.reason))
  if (results.some((result) => result.status === 'rejected')) {
    process.exitCode = 1
  } else {
    mkdirSync(join(STAMP, '..'), { recursive: true })
    writeFileSync(STAMP, JSON.stringify({ inputs, dist: hash(['dist']) }))
  }
}
