// The organisation's own addresses, named by `ip-address` as an address or its id (`ip_…`): a
// reserved address that DNS points at. The create action allocates them to its interface; both
// actions only ever unallocate them, never delete them. Katapult's answers do not mark an address
// as reserved, so the user's naming it is the only mark there is (see action/ownership.ts).
import { type Lookup } from '../katapult/lookups.ts'
import { parseAddress } from '../katapult/addresses.ts'
import { isId, kindOfId } from '../katapult/ids.ts'
import { quote } from '../katapult/untrusted.ts'
import { type InputReader, readList } from './input-reading.ts'
import { idProblem } from './lookup-inputs.ts'

/** The addresses `ip-address` names, each as the lookup the API takes: `{ address }` or `{ id }`. */
export function parseReservedAddresses(read: InputReader, problems: string[]): Lookup[] {
  const seen = new Set<string>()
  const addresses: Lookup[] = []
  for (const item of readList(read, 'ip-address')) {
    const parsed = parseAddress(item)
    // Addresses in one spelling; ids as they are, since Katapult's ids are case-sensitive.
    const key = parsed && 'address' in parsed ? parsed.address : item
    if (seen.has(key)) {
      problems.push(`ip-address: ${quote(item)} is listed twice`)
    } else if (parsed && 'problem' in parsed) {
      // It has an IP address's form, which holds nothing the runner would obey: shown as it is.
      problems.push(`ip-address: "${item}" ${parsed.problem}`)
    } else if (parsed) {
      addresses.push({ address: parsed.address })
    } else if (isId('ipAddress', item)) {
      addresses.push({ id: item })
    } else {
      const wrongKind = kindOfId(item) ? idProblem('ip-address', 'ipAddress', item, []) : undefined
      problems.push(`ip-address: ${quote(item)} ${wrongKind ?? 'is neither an IP address nor an IP address id (ip_…)'}`)
    }
    seen.add(key)
  }
  return addresses
}
