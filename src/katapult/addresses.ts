// IP addresses compared as addresses, not as text: `2A03:2800:0500:0000::0018` and
// `2a03:2800:500::18` are one address, and an action that compared strings would think it absent
// and allocate it again (Katapult refuses that with 422 ip_already_allocated).
import { isIP } from 'node:net'
import type { IpAddressRef } from './answer-shapes.ts'
import { type Lookup } from './lookups.ts'

export type AddressVersion = 'ipv4' | 'ipv6'

export function addressVersion(address: string): AddressVersion {
  return address.includes(':') ? 'ipv6' : 'ipv4'
}

/** An address in one spelling: IPv4 as it is, IPv6 lowercase and compressed (RFC 5952, as the URL parser writes it). */
function canonicalAddress(address: string): string {
  return isIP(address) === 6 ? new URL(`http://[${address}]`).hostname.slice(1, -1) : address
}

function sameAddress(a: string, b: string): boolean {
  return canonicalAddress(a) === canonicalAddress(b)
}

/** Whether an address is the one a lookup names: by id as spelt (Katapult's ids are case-sensitive), or as an address. */
export function isAddress(ip: IpAddressRef, lookup: Lookup): boolean {
  return lookup.id !== undefined ? ip.id === lookup.id : sameAddress(ip.address, lookup.address ?? '')
}

/**
 * Reads an address as an input gives it: the canonical address, or why Katapult cannot hold it.
 * Node's isIP accepts a zone id (`fe80::1%eth0`), which names one host's link and is no address
 * of Katapult's; an IPv4-mapped IPv6 address is an IPv4 address written the long way.
 */
export function parseAddress(text: string): { address: string } | { problem: string } | undefined {
  const version = isIP(text)
  if (version === 0) return undefined
  if (text.includes('%')) {
    return { problem: `has a zone id (${text.slice(text.indexOf('%'))}), which no Katapult address has; drop it` }
  }
  const address = canonicalAddress(text)
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address)
  if (version === 6 && mapped) {
    const [high, low] = [Number.parseInt(mapped[1] ?? '', 16), Number.parseInt(mapped[2] ?? '', 16)]
    const ipv4 = [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
    return { problem: `is the IPv4 address ${ipv4} written as IPv6; give ${ipv4}` }
  }
  return { address }
}
