// Katapult's error answer read as the user's message needs it: its code, description and detail
// in either form Katapult sends, and a body that is not Katapult's error refused.
import { describe, expect, it } from '@jest/globals'
import { readErrorDocument } from '../../src/katapult/api-errors.ts'

describe('readErrorDocument', () => {
  const document = { code: 'virtual_machine_not_found', description: 'No virtual machine was found', detail: {} }

  it('reads the wrapped form api.katapult.io sends', () => {
    expect(readErrorDocument({ error: document })).toEqual(document)
  })

  it('reads the top-level form the published document shows', () => {
    expect(readErrorDocument(document)).toEqual(document)
  })

  it('takes a missing description or detail as empty', () => {
    expect(readErrorDocument({ error: { code: 'permission_denied' } })).toEqual({
      code: 'permission_denied',
      description: '',
      detail: {},
    })
  })

  it.each([
    ['no code', { error: { description: 'x' } }],
    ['a code that is not a Katapult code', { error: { code: '::add-mask::x' } }],
    ['a list', [document]],
    ['text', 'Bad Gateway'],
  ])('refuses a body with %s', (_name, body) => {
    expect(readErrorDocument(body)).toBeUndefined()
  })
})
