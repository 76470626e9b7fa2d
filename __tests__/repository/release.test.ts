// npm run release, run for real in a throwaway repository shaped like this one (a build that
// bundles the version into dist/, a changelog, a lock file), so its checks and its git work are
// what is tested, not a mock of them.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../stand-in/run-bundle.ts'

const RELEASE = join(ROOT, 'scripts/release.ts')
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release@example.com',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release@example.com',
}
let repo = ''

function run(command: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

const git = (...args: string[]): string => run('git', ...args).output.trim()
const release = (version: string) => run(process.execPath, RELEASE, version)
const read = (file: string): string => readFileSync(join(repo, file), 'utf8')

const CHANGELOG = `# Changelog

## [Unreleased]

### Added

- A delete action.

## [1.0.0] - 2026-01-05

### Added

- The action.
`

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'release-'))
  const manifest = { name: 'fixture', version: '1.0.0', private: true, scripts: { build: 'node build.cjs' } }
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const lock = { name: 'fixture', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': manifest } }
  writeFileSync(join(repo, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`)
  writeFileSync(
    join(repo, 'build.cjs'),
    "const fs = require('fs'); fs.mkdirSync('dist', { recursive: true }); " +
      "fs.writeFileSync('dist/index.js', 'agent ' + require('./package.json').version + '\\n')\n",
  )
  writeFileSync(join(repo, 'CHANGELOG.md'), CHANGELOG)
  mkdirSync(join(repo, 'dist'))
  writeFileSync(join(repo, 'dist/index.js'), 'agent 1.0.0\n')
  git('init', '--quiet', '--initial-branch=main')
  git('add', '.')
  git('commit', '--quiet', '-m', 'Initial')
  git('tag', 'v1.0.0')
})

afterEach(() => {
  rmSync(repo, { recursive: true, force: true })
})

describe('npm run release', () => {
  it('bumps the version, rebuilds dist/, moves the changelog entry, commits, tags vX.Y.Z and moves vX', () => {
    const result = release('1.1.0')
    expect(result.status).toBe(0)
    expect(result.output).toContain('git push origin HEAD v1.1.0 && git push --force origin v1')
    expect(JSON.parse(read('package.json'))).toMatchObject({ version: '1.1.0' })
    expect(JSON.parse(read('package-lock.json'))).toMatchObject({ version: '1.1.0' })
    expect(read('dist/index.js')).toBe('agent 1.1.0\n')
    const today = new Date().toISOString().slice(0, 10)
    expect(read('CHANGELOG.md')).toBe(
      CHANGELOG.replace('## [Unreleased]\n', `## [Unreleased]\n\n## [1.1.0] - ${today}\n`),
    )
    expect(git('status', '--porcelain')).toBe('')
    expect(git('log', '-1', '--format=%s')).toBe('Release v1.1.0')
    const head = git('rev-parse', 'HEAD')
    expect(git('rev-parse', 'v1.1.0^{commit}')).toBe(head)
    expect(git('rev-parse', 'v1^{commit}')).toBe(head)
  })

  it.each([
    ['a version that is not X.Y.Z', 'v1.2', 'usage: npm run release -- X.Y.Z'],
    ['a version not above the last release', '1.0.0', '1.0.0 is not above the latest release, v1.0.0'],
  ])('refuses %s', (_name, version, message) => {
    const result = release(version)
    expect(result.status).toBe(1)
    expect(result.output).toContain(message)
    expect(git('tag', '--list')).toBe('v1.0.0')
  })

  it('refuses a working tree with changes', () => {
    writeFileSync(join(repo, 'notes.txt'), 'draft')
    expect(release('1.1.0')).toEqual({ status: 1, output: expect.stringContaining('the working tree has changes') })
  })

  it('refuses a dist/ that is not the bundle of the committed source', () => {
    writeFileSync(join(repo, 'dist/index.js'), 'agent stale\n')
    git('commit', '--quiet', '-am', 'Stale bundle')
    expect(release('1.1.0')).toEqual({ status: 1, output: expect.stringContaining('dist/ is not the bundle') })
    expect(git('tag', '--list')).toBe('v1.0.0')
  })

  it('refuses an empty Unreleased entry', () => {
    writeFileSync(join(repo, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-05\n')
    git('commit', '--quiet', '-am', 'Nothing new')
    expect(release('1.1.0')).toEqual({
      status: 1,
      output: expect.stringContaining('has no entry under "## [Unreleased]"'),
    })
  })
})
