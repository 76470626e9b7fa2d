// npm run stand-in [-- --port 8080] [-- --vms 3]: the local Katapult stand-in as a server, to try
// the actions against by hand, with @github/local-action or in a workflow. It prints its URL and
// what it knows (the token, VMs, networks, speed profiles, reserved addresses), then serves until
// stopped (Ctrl-C, or SIGTERM).
import { parseArgs } from 'node:util'
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
const url = await standIn.start(port)
const row = (name: string, value: string): string => `  ${name.padEnd(22)} ${value}`
console.log(
  [
    `Katapult stand-in listening on ${url} (the API under ${url}/core/v1)`,
    '',
    row('api-token', `${TOKENS.valid}   (${TOKENS.readOnly} is read-only)`),
    ...standIn.virtualMachines.filter((vm) => !vm.trashed).map((vm) => row('virtual machine', `${vm.fqdn}   ${vm.id}`)),
    ...standIn.networks.map((network) => row('network', `${network.permalink}   ${network.id}`)),
    ...standIn.virtualNetworks.map((network) => row('virtual network', `${network.name}   ${network.id}`)),
    ...standIn.speedProfiles.map((speed) => row('speed profile', `${speed.permalink}   ${speed.id}`)),
    row(
      'reserved addresses',
      `${RESERVED_ADDRESSES.ipv4} (${IDS.reservedIpv4}), ${RESERVED_ADDRESSES.ipv6} (${IDS.reservedIpv6})`,
    ),
    '',
    'A .env for `npx @github/local-action run . src/create/main.ts .env --post src/create/post.ts`:',
    '',
    `INPUT_API-TOKEN=${TOKENS.valid}`,
    `INPUT_API-URL=${url}`,
    'INPUT_VIRTUAL-MACHINE-FQDN=web-1.example.com',
    'INPUT_NETWORK-PERMALINK=uk-lon-01-public',
    'INPUT_SPEED-PROFILE-PERMALINK=1gbps',
    'INPUT_ALLOCATE-IPS=ipv4',
    'INPUT_ATTACH=true',
    'INPUT_CLEANUP=true',
    '',
    'Serving until stopped (Ctrl-C).',
  ].join('\n'),
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void standIn.stop().then(() => process.exit(0))
  })
}
