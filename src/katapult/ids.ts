// Katapult's identifiers, defined once: the inputs, the answers and the post step's state are all
// checked against these forms. Object ids are a prefix that names the kind and a short alphanumeric
// tail (`vmnet_NxJWGTnzOyqpE3kf`); lookups also take permalinks (`uk-lon-01-public`, `1gbps`) and
// FQDNs (`web-1.example.com`). A value that passes holds no line break, `::` or `##[`, so it is
// safe to print as it is (see untrusted.ts).

const ID_PREFIXES = {
  virtualMachine: 'vm',
  network: 'netw',
  virtualNetwork: 'vnet',
  speedProfile: 'nsp',
  ipAddress: 'ip',
  networkInterface: 'vmnet',
  task: 'task',
  organization: 'org',
} as const

export type IdKind = keyof typeof ID_PREFIXES

const ID = /^([a-z]{1,16})_[A-Za-z0-9]{1,64}$/

/** Any Katapult object id, whatever its kind (a trash object's, a data centre's…). */
export function isAnyId(value: string): boolean {
  return ID.test(value)
}

export function isId(kind: IdKind, value: string): boolean {
  return ID.exec(value)?.[1] === ID_PREFIXES[kind]
}

/** The kind an id's prefix names, if it is one this action knows. */
export function kindOfId(value: string): IdKind | undefined {
  const prefix = ID.exec(value)?.[1]
  return (Object.keys(ID_PREFIXES) as IdKind[]).find((kind) => ID_PREFIXES[kind] === prefix)
}

/** How an id of the kind looks, for messages: `vmnet_…`. */
export function idForm(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_…`
}

/** A permalink: letters, digits, dots, dashes and underscores, as Katapult's slugs are. */
const PERMALINK = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

export function isPermalink(value: string): boolean {
  return PERMALINK.test(value)
}

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/** A host's full name as Katapult finds VMs by it: dot-separated labels, without DNS's final dot. */
export function isFqdn(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => LABEL.test(label))
}
