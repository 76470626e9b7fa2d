// npm run build: bundles each entry file into dist/<entry>/index.js with ncc, the three at once
// (each ncc run is mostly single-threaded), and fails if any of them fails.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../stand-in/runner.ts'

const ENTRIES = ['create-main', 'create-post', 'delete-main']

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

const results = await Promise.allSettled(ENTRIES.map(ncc))
for (const result of results) if (result.status === 'rejected') console.error(String(result.reason))
if (results.some((result) => result.status === 'rejected')) process.exitCode = 1
