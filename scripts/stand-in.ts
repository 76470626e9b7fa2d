// npm run stand-in [-- --port 8080] [-- --vms 3]: the local Katapult stand-in as a server, to try
// the actions against by hand, with @github/local-action or in a workflow. It prints its URL and
// what it knows (the token, the organisation, VMs, networks, speed profiles, reserved addresses),
// writes a ready create.env and delete.env (git ignores *.env: they hold a token), then serves
// until stopped: Ctrl-C, SIGTERM, or the end of the process that started it (killing `npm run`
// leaves its child behind otherwise, still holding the port).
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { exampleCreate, exampleTarget } from '../stand-in/example-inputs.ts'
import { IDS, KatapultStandIn, RESERVED_ADDRESSES, TOKENS } from '../stand-in/katapult-stand-in.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    vms: { type: 'string', default: '3' },
  },
})
const port = Number(values.port)
const vms = Number(values.vms)
if (!Number.isInteger(port) || port < 0 || port > 65_535 || !Number.isInteger(vms) || vms < 1 || vms > 1000) {
  console.error('usage: npm run stand-in -- [--port 0-65535 (8080)] [--vms 1-1000 (3)]')
  process.exit(2)
}

const standIn = new KatapultStandIn({ virtualMachines: vms })
let url: string
try {
  url = await standIn.start(port)
} catch (error) {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
  console.error(
    inUse
      ? `Port ${port} is in use, perhaps by a stand-in that is still running (see: lsof -i :${port}). Stop it, or pick another port: npm run stand-in -- --port 9000`
      : `The stand-in could not listen on port ${port}: ${(error as Error).message}`,
  )
  process.exit(1)
}
const row = (name: string, value: string): string => `  ${name.padEnd(22)} ${value}`
const env = (inputs: Record<string, string>): string =>
  Object.entries(inputs)
    .map(([name, value]) => `INPUT_${name.toUpperCase()}=${value}\n`)
    .join('')
// An interface on the backend virtual network, attached, which a post step (--post) removes again.
writeFileSync('create.env', env({ ...exampleCreate(url), attach: 'true', cleanup: 'true' }))
// The interface on that virtual network, if there is one.
writeFileSync('delete.env', env(exampleTarget(url)))
console.log(
  [
    `Katapult stand-in listening on ${url} (the API under ${url}/core/v1)`,
    '',
    row('api-token', `${TOKENS.valid}   (${TOKENS.readOnly} may only read)`),
    row('organisation', `${standIn.organization.name}, sub-domain ${standIn.organization.subDomain}`),
    ...standIn.virtualMachines.filter((vm) => !vm.trashed).map((vm) => row('virtual machine', `${vm.fqdn}   ${vm.id}`)),
    ...standIn.networks.map((network) => row('network', `${network.permalink}   ${network.id}`)),
    ...standIn.virtualNetworks.map((network) => row('virtual network', `${network.name}   ${network.id}`)),
    ...standIn.speedProfiles.map((speed) => row('speed profile', `${speed.permalink}   ${speed.id}`)),
    row(
      'reserved addresses',
      `${RESERVED_ADDRESSES.ipv4} (${IDS.reservedIpv4}), ${RESERVED_ADDRESSES.ipv6} (${IDS.reservedIpv6})`,
    ),
    '',
    "Wrote create.env (an interface on web-1.example.com's virtual network, attached, cleanup: true) and",
    'delete.env (the interface on that virtual network) for @github/local-action.',
    '',
    'Serving until stopped (Ctrl-C).',
  ].join('\n'),
)

const stop = (): void => {
  void standIn.stop().then(() => process.exit(0))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop)
// Re-parented: whatever started the stand-in has ended without passing a signal on.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) stop()
}, 500).unref()
