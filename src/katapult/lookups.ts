// Katapult's lookup objects, by which a request names an object: `{ id: 'vm_…' }`,
// `{ fqdn: 'web-1.example.com' }`, `{ permalink: '1gbps' }`.

/** One of the API's lookup objects, holding exactly one key. */
export type Lookup = Readonly<Record<string, string>>

/** What a lookup looks for, as the user gave it: `web-1.example.com` of `{ fqdn: 'web-1.example.com' }`. */
export function lookupValue(lookup: Lookup): string {
  return Object.values(lookup).join('')
}

/** `{ id: 'x' }` under `virtual_machine` becomes `virtual_machine[id]=x`, the API's query form. */
export function lookupQuery(object: string, lookup: Lookup): Record<string, string> {
  return Object.fromEntries(Object.entries(lookup).map(([key, value]) => [`${object}[${key}]`, value]))
}
