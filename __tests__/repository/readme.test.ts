// The README's inputs and outputs tables are the documentation users read: they must say what
// action.yml says, row for row.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tableAfter } from '../support/markdown.ts'
import { ROOT, readActionYml } from '../../stand-in/run-bundle.ts'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** Cells without their `code` marks. */
const codeless = (rows: string[][]): string[][] => rows.map((row) => row.map((cell) => cell.replace(/^`(.*)`$/, '$1')))

describe.each([
  ['action.yml', '.', '## Inputs', '## Outputs'],
  ['delete/action.yml', 'delete', '### Inputs of the delete action', '### Outputs of the delete action'],
])('README.md against %s', (_file, folder, inputsHeading, outputsHeading) => {
  const action = readActionYml(folder)

  it('has a row for each input, with its required flag, default and description', () => {
    const expected = Object.entries(action.inputs).map(([name, input]) => [
      name,
      input.required ? 'yes' : 'no',
      input.default === undefined || input.default === '' ? '' : input.default,
      input.description,
    ])
    expect(codeless(tableAfter(readme, inputsHeading))).toEqual(expected)
  })

  it('has a row for each output, with its description', () => {
    expect(codeless(tableAfter(readme, outputsHeading))).toEqual(
      Object.entries(action.outputs).map(([name, output]) => [name, output.description]),
    )
  })
})

describe('README.md', () => {
  it('gives the test command that CI runs', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8')
    expect(readme).toContain('npm test')
    expect(ci).toMatch(/^npm test$/m)
  })
})
