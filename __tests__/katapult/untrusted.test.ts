// Text from Katapult printed in the step's log: on one line and quoted, never as a workflow command
// the runner would obey, and still readable; escaped for the job summary's HTML.
import { describe, expect, it } from '@jest/globals'
import { escapeHtml, quote, quoteExcerpt, shownId } from '../../src/katapult/untrusted.ts'

const HOSTILE = [
  'eth1\n::add-mask::everything',
  '\r\n::stop-commands::token',
  '##[save-state name=allocated-ip-ids]["ip_x"]',
  '::error::fake',
  'a\u2028::set-output name=id::x',
  '::::##[##[',
]

describe('quote', () => {
  it.each(HOSTILE)('prints %j on one line, starting with a quote, with no command marker', (text) => {
    const quoted = quote(text)
    expect(quoted.split(/[\n\r\u2028\u2029]/)).toHaveLength(1)
    expect(quoted.startsWith('"')).toBe(true)
    expect(quoted).not.toContain('::')
    expect(quoted).not.toContain('##[')
  })

  it.each(HOSTILE)('stays a JSON string literal of the original text: %j', (text) => {
    expect(JSON.parse(quote(text))).toBe(text)
  })

  it('leaves ordinary text readable', () => {
    expect(quote("Label can't be blank")).toBe('"Label can\'t be blank"')
  })
})

describe('quoteExcerpt', () => {
  it('folds whitespace and cuts long text', () => {
    expect(quoteExcerpt(`a\n\n b ${'x'.repeat(300)}`, 10)).toBe('"a b xxxxxx…"')
    expect(quoteExcerpt('  ')).toBe('(empty)')
  })
})

describe('shownId', () => {
  it('prints a Katapult id as it is and anything else quoted', () => {
    expect(shownId('vmnet_NxJWGTnzOyqpE3kf')).toBe('vmnet_NxJWGTnzOyqpE3kf')
    expect(shownId('vmnet_x\n::add-mask::y')).toBe('"vmnet_x\\n:\\u003aadd-mask:\\u003ay"')
    expect(shownId(42)).toBe('(none)')
  })
})

describe('escapeHtml', () => {
  it('escapes what HTML would read as markup', () => {
    expect(escapeHtml(`<img src=x onerror="alert('x')">&`)).toBe(
      '&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62;&#38;',
    )
  })
})
