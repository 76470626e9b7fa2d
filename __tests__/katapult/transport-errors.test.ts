// How a failure on the way to Katapult is classified and named (src/katapult/transport-errors.ts):
// what no retry can change is final, and text from the other end is printed inert.
import { describe, expect, it } from '@jest/globals'
import { ProxyError, classifyTransportFailure } from '../../src/katapult/transport-errors.ts'
import { nodeError } from '../support/client-errors.ts'

describe('how a failed connection is named', () => {
  const classified = (code: string, message: string) => classifyTransportFailure(nodeError(code, message))

  it.each([
    ['UNSPECIFIED', 'CA signature digest algorithm too weak'],
    ['UNSPECIFIED', 'ee key too small'],
    ['CERT_HAS_EXPIRED', 'certificate has expired'],
  ])('a certificate refused as %s "%s" is untrusted, and no retry changes it', (code, message) => {
    expect(classified(code, message)).toMatchObject({ kind: 'untrusted', final: true })
  })

  it('prints a message that quotes the server’s certificate inert', () => {
    const { reason } = classified(
      'ERR_TLS_CERT_ALTNAME_INVALID',
      "Host: 127.0.0.1. is not in the cert's altnames: DNS:a##[add-mask]b\n::x",
    )
    expect(reason).not.toContain('##[')
    expect(reason).not.toMatch(/(^|\n)::/)
  })

  it('prints a proxy’s failure inert too, whatever the proxy’s certificate says', () => {
    const cause = nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Host: proxy. is not in the cert's altnames: DNS:a\n::x")
    const { kind, reason } = classifyTransportFailure(
      new ProxyError('https://proxy.example:3128', 'api:443', { cause }),
    )
    expect(kind).toBe('proxy')
    expect(reason).toContain('could not reach the proxy https://proxy.example:3128')
    expect(reason).not.toMatch(/(^|\n)::/)
  })
})
