// The pages a user reads: every link between them leads somewhere (a file, and a heading in it),
// the README stays short enough to read in one sitting, and every command they give works.
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { IDS, TOKENS } from '../../stand-in/katapult-stand-in.ts'
import { ROOT } from '../../stand-in/run-bundle.ts'
import { useStandIn } from '../support/stand-in.ts'

const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  'CHANGELOG.md',
  ...readdirSync(join(ROOT, 'docs')).map((file) => `docs/${file}`),
]
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')

const headings = (file: string): string[] =>
  [...read(file).matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchor(heading ?? ''))

describe('the pages', () => {
  it.each(PAGES)('%s links only to files and headings that exist', (page) => {
    const broken: string[] = []
    for (const [, target = ''] of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue
      const [path = '', hash] = target.split('#')
      const file = path === '' ? page : normalize(join(dirname(page), path))
      if (!existsSync(join(ROOT, file))) broken.push(target)
      else if (hash !== undefined && file.endsWith('.md') && !headings(file).includes(hash)) broken.push(target)
    }
    expect(broken).toEqual([])
  })

  it('keep the README short enough to read in one sitting', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(350)
  })
})

describe('the commands the pages give', () => {
  const env = useStandIn()

  it.each(['README.md', 'docs/troubleshooting.md'])(
    '%s: the listing of the networks and virtual networks, with their ids, runs as written',
    async (page) => {
      const [command] = [...read(page).matchAll(/```sh\n( *curl [\s\S]*?)\n *```/g)].map(([, text]) => text ?? '')
      expect(command).toContain('https://api.katapult.io/core/v1/organizations/organization/available_networks')
      // As written, but against the stand-in, for its organisation.
      const local = (command ?? '')
        .replace(/^ +/gm, '')
        .replace('https://api.katapult.io', env.apiUrl)
        .replace('YOUR-ORGANISATION', env.standIn.organization.subDomain)
      // Not execFileSync: the stand-in answers from this process.
      const { stdout } = await promisify(execFile)('bash', ['-c', local], {
        env: { PATH: process.env.PATH ?? '', KATAPULT_API_TOKEN: TOKENS.valid },
      })
      expect(JSON.parse(stdout)).toMatchObject({ virtual_networks: [{ id: IDS.virtualNetwork }] })
    },
  )

  it('npm scripts the pages name are the package’s', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: object }).scripts)
    const named = PAGES.flatMap((page) => [...read(page).matchAll(/npm run ([\w:-]+)/g)].map(([, name]) => name ?? ''))
    expect(named.filter((name) => !scripts.includes(name))).toEqual([])
  })
})
