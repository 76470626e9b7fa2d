// One source for each fact: the scopes each feature needs (src/action/scopes.ts, from the scopes
// Katapult's published document gives each endpoint), the defaults and bounds of the inputs
// (src/action/connection-inputs.ts) and the bounds of every wait and listing (their modules).
// The action.yml files, the README and docs/ say them too; these tests fail when they drift.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_API_ORIGIN, NUMBER_INPUTS } from '../../src/action/connection-inputs.ts'
import { MAX_LISTED } from '../../src/action/lookup-errors.ts'
import { MIN_PIECE } from '../../src/action/secrets.ts'
import { FEATURES, scopeSentence, scopesOf } from '../../src/action/scopes.ts'
import { ENDPOINT_SCOPES } from '../../src/katapult/endpoint-scopes.ts'
import { MAX_PAGES } from '../../src/katapult/endpoints.ts'
import { MAX_BODY_BYTES } from '../../src/katapult/exchange.ts'
import { MAX_NESTING } from '../../src/katapult/json.ts'
import { WINDOW_SPREAD_MS } from '../../src/katapult/rate-limit.ts'
import { BASE_DELAY_MS, MAX_DELAY_MS, MAX_WAIT_MS } from '../../src/katapult/retry-policy.ts'
import { TASK_TIME_LIMIT_MS } from '../../src/katapult/tasks.ts'
import { tableAfter } from '../support/markdown.ts'
import { ROOT, readActionYml } from '../../stand-in/run-bundle.ts'

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')
const readme = read('README.md')
const behaviour = read('docs/behaviour.md')
const ACTIONS = [
  ['create', '.'],
  ['delete', 'delete'],
] as const

const code = (names: readonly string[]): string => names.map((name) => `\`${name}\``).join(', ')

describe('the scopes each feature needs', () => {
  it.each(ACTIONS)('are what %s action.yml asks of api-token', (action, folder) => {
    expect(readActionYml(folder).inputs['api-token']?.description).toBe(
      `Katapult API token with ${scopeSentence(action)}. Pass it from a secret; it is masked in the log.`,
    )
  })

  it("are the README's Token scopes table: every run's, then what each input adds", () => {
    const expected = ACTIONS.flatMap(([action]) => {
      const [always, ...inputs] = FEATURES[action]
      const base = always ? scopesOf(always) : []
      return [
        [action, 'every run', code(base)],
        ...inputs.map((feature) => {
          const added = scopesOf(feature).filter((scope) => !base.includes(scope))
          return [action, `\`${feature.name}\``, added.length > 0 ? code(added) : 'nothing more']
        }),
      ]
    })
    expect(tableAfter(readme, '### Token scopes')).toEqual(expected)
  })

  const published = join(ROOT, '../shared/katapult-api/katapult-core-openapi.json')
  // The published document is not the project's: where it is beside the checkout, each endpoint's
  // scopes are held to it.
  ;(existsSync(published) ? it : it.skip)("are those Katapult's published document gives each endpoint", () => {
    const document = JSON.parse(readFileSync(published, 'utf8')) as {
      paths: Record<string, Record<string, { security?: { Authenticator?: string[] }[] }>>
    }
    for (const [endpoint, scopes] of Object.entries(ENDPOINT_SCOPES)) {
      const [method = '', path = ''] = endpoint.split(' ')
      const operation = document.paths[path]?.[method.toLowerCase()]
      expect({ endpoint, operation: operation !== undefined }).toEqual({ endpoint, operation: true })
      const listed = operation?.security?.flatMap((scheme) => scheme.Authenticator ?? []) ?? []
      expect({ endpoint, scopes: listed }).toEqual({ endpoint, scopes: [...scopes] })
    }
  })
})

describe('the defaults and bounds of the inputs', () => {
  it.each(ACTIONS)('are those %s action.yml gives and describes', (_action, folder) => {
    const { inputs } = readActionYml(folder)
    expect(inputs['api-url']?.default).toBe(DEFAULT_API_ORIGIN)
    for (const [name, { default: fallback, max, unit }] of Object.entries(NUMBER_INPUTS)) {
      expect(inputs[name]?.default).toBe(String(fallback))
      expect(inputs[name]?.description).toContain(unit === 'attempts' ? `(1 to ${max})` : `at most ${max})`)
    }
  })
})

describe('docs/behaviour.md states the bounds of the code', () => {
  it.each([
    ['one wait', `| ${MAX_WAIT_MS / 60_000} minutes;`],
    ['a task', `| ${TASK_TIME_LIMIT_MS / 60_000} minutes `],
    ['a listing', `| ${MAX_PAGES} pages, or the first empty or short page`],
    ['an answer', `| ${MAX_BODY_BYTES / 1024 / 1024} MiB, nested at most ${MAX_NESTING} levels`],
    ['the list of what exists', `| the ${MAX_LISTED} nearest, and how many more`],
    ['the spread after the minute turns', `random spread of up to ${WINDOW_SPREAD_MS / 1000} s`],
    ['the backoff', `between 0 and ${BASE_DELAY_MS / 1000} s, ${(2 * BASE_DELAY_MS) / 1000} s`],
    ['the backoff’s ceiling', `up to ${MAX_DELAY_MS / 1000} s`],
    ['a readable piece of the token', `Any piece of ${MIN_PIECE} characters or more`],
  ])('%s', (_what, text) => {
    // Read as a reader does: line breaks and the padding of table cells aside.
    expect(behaviour.replace(/\s+/g, ' ').replace(/ +\|/g, ' |').replace(/\| +/g, '| ')).toContain(text)
  })
})
