// npm run build: bundles each entry file into dist/<entry>/index.js with ncc, the three at once
// (each ncc run is mostly single-threaded), and fails if any of them fails.
// `--if-stale` (npm test's pretest) skips the build when neither what goes into the bundles nor
// dist/ itself changed since the last build here, so that the end-to-end tests always run the
// bundle of the src/ they are given, and a second `npm test` does not pay for it again.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { ROOT } from '../stand-in/run-bundle.ts'

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

function ncc(entry: string, statsFile: string): Promise<void> {
  // dist/<entry> is emptied first: ncc leaves the chunks of an earlier build behind.
  rmSync(join(ROOT, 'dist', entry), { recursive: true, force: true })
  const args = ['build', `src/${entry}.ts`, '-o', `dist/${entry}`, '--minify', '--quiet', '--stats-out', statsFile]
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

/**
 * The licences of the packages in a bundle and its chunks, as ncc's --license writes them (name,
 * licence, text). ncc writes that file once per chunk, each over the last, so the main chunk's
 * packages would be missing from it.
 */
function licences(statsFile: string): string {
  const packages = new Set<string>()
  const collect = (modules: { name?: string; modules?: unknown[] }[] = []): void => {
    for (const module of modules) {
      for (const match of module.name?.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g) ?? [])
        packages.add(match[1] ?? '')
      collect(module.modules as typeof modules)
    }
  }
  collect((JSON.parse(readFileSync(statsFile, 'utf8')) as { modules: [] }).modules)
  return [...packages]
    .sort()
    .map((name) => {
      const folder = join(ROOT, 'node_modules', name)
      const { license } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { license: string }
      const file = readdirSync(folder).find((candidate) => /^licen[cs]e/i.test(candidate))
      if (!file) throw new Error(`${name} has no licence file to go with the bundle`)
      return `${name}\n${license}\n${readFileSync(join(folder, file), 'utf8').trim()}`
    })
    .join('\n\n')
}

/**
 * ncc's ESM bundles reach every builtin through `createRequire(import.meta.url)(name)`: node:module
 * loaded for it, and one new require (a Module with its node_modules path list) made per builtin,
 * time and a garbage collection in every step's start-up (docs/performance.md). For a builtin that require returns
 * what process.getBuiltinModule does, so the binding becomes that, once every use of it is checked
 * to be a builtin's name: anything else fails the build rather than the step.
 */
function builtinsWithoutCreateRequire(entry: string): void {
  const file = join(ROOT, 'dist', entry, 'index.js')
  const bundle = readFileSync(file, 'utf8')
  const header = /^import\{createRequire as ([\w$]+)\}from"module";/.exec(bundle)
  if (!header?.[1]) throw new Error(`dist/${entry}/index.js: ncc's createRequire import is not where it was expected`)
  const binding = header[1]
  const body = bundle.slice(header[0].length)
  const uses = body.split(`${binding}(import.meta.url)`).slice(1)
  const names = uses.map((rest) => /^\("([^"]+)"\)/.exec(rest)?.[1])
  const notBuiltin = names.filter((name) => name === undefined || !isBuiltin(name))
  if (!uses.length || notBuiltin.length) {
    throw new Error(`dist/${entry}/index.js: createRequire used for more than builtins (${notBuiltin.join(', ')})`)
  }
  writeFileSync(file, `const ${binding}=()=>process.getBuiltinModule;${body}`)
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
  const stats = mkdtempSync(join(tmpdir(), 'katapult-build-'))
  try {
    const results = await Promise.allSettled(
      ENTRIES.map(async (entry) => {
        await ncc(entry, join(stats, `${entry}.json`))
        builtinsWithoutCreateRequire(entry)
      }),
    )
    for (const result of results) if (result.status === 'rejected') console.error(String(result.reason))
    if (results.some((result) => result.status === 'rejected')) {
      process.exitCode = 1
    } else {
      // One licence file for all three: they bundle the same packages.
      writeFileSync(join(ROOT, 'dist/create-main/licenses.txt'), `${licences(join(stats, 'create-main.json'))}\n`)
      mkdirSync(join(STAMP, '..'), { recursive: true })
      writeFileSync(STAMP, JSON.stringify({ inputs, dist: hash(['dist']) }))
    }
  } finally {
    rmSync(stats, { recursive: true, force: true })
  }
}
