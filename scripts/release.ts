// npm run release -- X.Y.Z: cuts a release from a clean main. It refuses a dirty tree, a dist/
// that is not the bundle of src/, a version not above the last release and an empty changelog
// entry; then it sets the version in package.json (the User-Agent is built from it, so dist/ is
// rebuilt), moves the changelog's Unreleased entry under the version, commits, tags vX.Y.Z and
// moves the major tag vX to it. Pushing is left to you: the script prints the command.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

function fail(message: string): never {
  console.error(`release: ${message}`)
  process.exit(1)
}

function git(...args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8' }).trim()
}

function npm(...args: string[]): void {
  execFileSync('npm', args, { stdio: ['ignore', 'ignore', 'inherit'] })
}

type Version = [number, number, number]

function parseVersion(text: string): Version | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text)
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined
}

function isAbove(a: Version, b: Version): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0)
  return false
}

const UNRELEASED = '## [Unreleased]'

/** The changelog with the Unreleased entry's content moved under `## [X.Y.Z] - date`. */
function moveUnreleased(changelog: string, version: string, date: string): string | undefined {
  const start = changelog.indexOf(`${UNRELEASED}\n`)
  if (start < 0) return undefined
  const bodyStart = start + UNRELEASED.length + 1
  const next = changelog.indexOf('\n## [', bodyStart)
  const body = changelog.slice(bodyStart, next < 0 ? undefined : next + 1)
  if (body.trim() === '') return undefined
  return `${changelog.slice(0, start)}${UNRELEASED}\n\n## [${version}] - ${date}\n${body}${next < 0 ? '' : changelog.slice(next + 1)}`
}

const [wanted] = process.argv.slice(2)
const version = parseVersion(wanted ?? '')
if (!wanted || !version) fail('usage: npm run release -- X.Y.Z (e.g. 1.2.0)')

if (git('status', '--porcelain') !== '') fail('the working tree has changes; commit or stash them first')

const tags = git('tag', '--list', 'v*.*.*')
  .split('\n')
  .map((tag) => parseVersion(tag.slice(1)))
  .filter((tag) => tag !== undefined)
const latest = tags.reduce<Version | undefined>((best, tag) => (!best || isAbove(tag, best) ? tag : best), undefined)
if (latest && !isAbove(version, latest)) fail(`${wanted} is not above the latest release, v${latest.join('.')}`)

npm('run', 'build')
if (git('status', '--porcelain', '--untracked-files=all', '--', 'dist') !== '') {
  fail('dist/ is not the bundle of the committed src/: run npm run build, commit dist/, then release')
}

const date = new Date().toISOString().slice(0, 10)
const changelog = moveUnreleased(readFileSync('CHANGELOG.md', 'utf8'), wanted, date)
if (!changelog) fail(`CHANGELOG.md has no entry under "${UNRELEASED}" to release; describe the changes there first`)

npm('version', wanted, '--no-git-tag-version', '--allow-same-version')
writeFileSync('CHANGELOG.md', changelog)
npm('run', 'build')
git('add', '--all', 'package.json', 'package-lock.json', 'CHANGELOG.md', 'dist')
git('commit', '--quiet', '-m', `Release v${wanted}`)
const major = `v${version[0]}`
git('tag', '--annotate', `v${wanted}`, '-m', `v${wanted}`)
git('tag', '--force', '--annotate', major, '-m', `${major}, at v${wanted}`)
console.log(`Tagged v${wanted} and moved ${major} to it. Publish with:`)
console.log(`  git push origin HEAD v${wanted} && git push --force origin ${major}`)
