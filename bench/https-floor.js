// The same-work floor: a bare node process that does what a default create does, by hand, with
// Node's built-in https: the listing of the VM's interfaces, then the create, on one kept-alive
// connection, and writes the outputs. Everything the action costs above this is its own.
import { appendFileSync } from 'node:fs'
import { Agent, request } from 'node:https'

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? ''
const agent = new Agent({ keepAlive: true })
const api = `${input('api-url')}/core/v1/virtual_machines/virtual_machine/network_interfaces`
const headers = { Authorization: `Bearer ${input('api-token')}`, Accept: 'application/json' }

function send(method, url, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const call = request(url, {
      method,
      agent,
      headers: payload === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    })
    call.on('error', reject)
    call.on('response', (response) => {
      let text = ''
      response.on('data', (chunk) => (text += chunk))
      response.on('end', () => resolve(JSON.parse(text)))
    })
    call.end(payload)
  })
}

const fqdn = input('virtual-machine-fqdn')
await send('GET', `${api}?virtual_machine%5Bfqdn%5D=${encodeURIComponent(fqdn)}&page=1&per_page=200`)
const { virtual_machine_network_interface: nic } = await send('POST', api, {
  virtual_machine: { fqdn },
  virtual_network: { id: input('virtual-network-id') },
  speed_profile: { permalink: input('speed-profile-permalink') },
})
appendFileSync(
  process.env.GITHUB_OUTPUT,
  `id=${nic.id}\nmac-address=${nic.mac_address}\nip-addresses=${JSON.stringify(nic.ip_addresses.map((ip) => ip.address))}\n`,
)
agent.destroy()
