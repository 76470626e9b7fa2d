// The bundles know their action's inputs by name, to tell a misspelt `with:` key from a real one:
// the names must be action.yml's, all of them.
import { describe, expect, it } from '@jest/globals'
import { CREATE_INPUTS } from '../../src/create/inputs.ts'
import { DELETE_INPUTS } from '../../src/delete/inputs.ts'
import { readActionYml } from '../../stand-in/run-bundle.ts'

describe('the inputs each bundle knows', () => {
  it.each([
    ['action.yml', '.', CREATE_INPUTS],
    ['delete/action.yml', 'delete', DELETE_INPUTS],
  ])('are those of %s, in its order', (_file, folder, known) => {
    expect([...known]).toEqual(Object.keys(readActionYml(folder).inputs))
  })
})
