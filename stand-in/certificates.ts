// Certificates for a stand-in served over TLS (the benchmark, and the tests of TLS), made with the
// openssl command line in a throwaway folder: self-signed for the names given (a process trusts
// one through its file in NODE_EXTRA_CA_CERTS, as a runner trusts a private CA), or expired.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Certificate {
  key: string
  cert: string
  /** The certificate's file, for NODE_EXTRA_CA_CERTS. */
  file: string
}

/** `DNS:api.katapult.test` or `IP:127.0.0.1`. */
type AltName = `DNS:${string}` | `IP:${string}`

function openssl(folder: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: folder, stdio: 'ignore' })
}

/** RSA, as the benchmark has always measured the handshake with. */
const KEY = ['-newkey', 'rsa:2048', '-nodes']

function read(folder: string, name: string): Certificate {
  return {
    key: readFileSync(join(folder, `${name}.key`), 'utf8'),
    cert: readFileSync(join(folder, `${name}.pem`), 'utf8'),
    file: join(folder, `${name}.pem`),
  }
}

/** `openssl req` for a new key and `altName`: `-x509` for a certificate, `-new` for a request to sign. */
function request(folder: string, kind: '-x509' | '-new', altName: AltName, key: string, out: string): void {
  const subject = `/CN=${altName.slice(altName.indexOf(':') + 1)}`
  const subjectArgs = ['-subj', subject, '-addext', `subjectAltName=${altName}`]
  openssl(
    folder,
    'req',
    kind,
    ...KEY,
    ...(kind === '-x509' ? ['-days', '1'] : []),
    ...subjectArgs,
    '-keyout',
    key,
    '-out',
    out,
  )
}

/** A certificate valid from now for a day, for `altName`. */
export function selfSigned(folder: string, name: string, altName: AltName): Certificate {
  request(folder, '-x509', altName, `${name}.key`, `${name}.pem`)
  return read(folder, name)
}

/** A certificate for `altName` that expired on 2 January 2020 (openssl req cannot date one in the past; openssl ca can). */
export function expired(folder: string, name: string, altName: AltName): Certificate {
  writeFileSync(join(folder, 'index.txt'), '')
  writeFileSync(join(folder, 'serial'), '01\n')
  writeFileSync(
    join(folder, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `database = ${join(folder, 'index.txt')}`,
      `new_certs_dir = ${folder}`,
      `serial = ${join(folder, 'serial')}`,
      'default_md = sha256',
      'policy = any',
      'copy_extensions = copy',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  )
  request(folder, '-new', altName, `${name}.key`, `${name}.csr`)
  openssl(
    folder,
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-selfsign',
    '-keyfile',
    `${name}.key`,
    '-in',
    `${name}.csr`,
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200102000000Z',
    '-out',
    `${name}.pem`,
  )
  return read(folder, name)
}
