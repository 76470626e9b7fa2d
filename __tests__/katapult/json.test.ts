// JSON from the network is held to a nesting bound before anything stringifies or walks it.
import { describe, expect, it } from '@jest/globals'
import { MAX_NESTING, nestsDeeperThan, parseJson } from '../../src/katapult/json.ts'

const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`)

describe('nestsDeeperThan', () => {
  it('lets an answer as deep as the bound through, and catches one a level deeper', () => {
    expect(nestsDeeperThan(nested(MAX_NESTING))).toBe(false)
    expect(nestsDeeperThan(nested(MAX_NESTING + 1))).toBe(true)
  })

  it('walks 5000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(5000))).toBe(true)
  })

  it('counts objects and lists alike, and not what they hold', () => {
    expect(nestsDeeperThan({ a: [{ b: 'text' }] }, 3)).toBe(false)
    expect(nestsDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true)
  })
})

describe('parseJson', () => {
  it('gives the value, or nothing for text that is not JSON', () => {
    expect(parseJson('{"a":1}')).toEqual({ value: { a: 1 } })
    expect(parseJson('<html>')).toBeUndefined()
  })
})
