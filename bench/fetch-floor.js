// The fetch floor: a bare node process that sends the create alone with Node's built-in
// fetch and writes the outputs. Everything the action adds above this is its own cost.
import { appendFileSync } from 'node:fs'

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? ''
const response = await fetch(`${input('api-url')}/core/v1/virtual_machines/virtual_machine/network_interfaces`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${input('api-token')}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({
    virtual_machine: { fqdn: input('virtual-machine-fqdn') },
    virtual_network: { id: input('virtual-network-id') },
    speed_profile: { permalink: input('speed-profile-permalink') },
  }),
})
const { virtual_machine_network_interface: nic } = await response.json()
appendFileSync(
  process.env.GITHUB_OUTPUT,
  `id=${nic.id}\nmac-address=${nic.mac_address}\nip-addresses=${JSON.stringify(nic.ip_addresses.map((ip) => ip.address))}\n`,
)
