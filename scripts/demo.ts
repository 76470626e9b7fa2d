// npm run demo: the bundled action, end to end, against the local Katapult stand-in: the main
// step adds an interface on a virtual network to a VM that has its own public interface, and
// attaches it; the post step cleans up; then the VM is as it was built.
import { exampleCreate } from '../stand-in/example-inputs.ts'
import { KatapultStandIn } from '../stand-in/katapult-stand-in.ts'
import { runBundle } from '../stand-in/run-bundle.ts'

const standIn = new KatapultStandIn()
const apiUrl = await standIn.start()
const inputs = { ...exampleCreate(apiUrl), attach: 'true', cleanup: 'true' }
/** The job summary as a person reads it on the run's page: its heading, then each row as `field: value`. */
function readable(html: string): string {
  const text = (cell: string): string =>
    cell.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))
  return html
    .replace(/<h3>(.*?)<\/h3>\n?/g, (_match, heading: string) => `${text(heading)}\n`)
    .replace(/<table><tr><th>.*?<\/th><\/tr>/g, '')
    .replace(
      /<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g,
      (_match, field: string, value: string) => `  ${text(field)}: ${text(value)}\n`,
    )
    .replace(/<\/table>\n?/g, '')
}

const describeVm = (): string =>
  standIn
    .interfacesOf('web-1.example.com')
    .map((nic) => {
      const addresses = standIn.ipAddresses.filter((ip) => ip.interfaceId === nic.id).map((ip) => ip.address)
      return `${nic.name} (${nic.id}, ${nic.state}${addresses.length > 0 ? `, ${addresses.join(', ')}` : ''})`
    })
    .join('; ')
try {
  const before = describeVm()
  console.log(`Katapult stand-in on ${apiUrl}`)
  console.log(`web-1.example.com was built with: ${before}\n`)
  console.log('== main step, with:')
  for (const [name, value] of Object.entries(inputs)) if (name !== 'api-token') console.log(`  ${name}: ${value}`)
  console.log('')
  const main = await runBundle('main', inputs)
  process.stdout.write(main.stdout + main.stderr)
  console.log(`\n== outputs (exit code ${main.exitCode}, ${main.durationMs.toFixed(0)} ms)`)
  for (const [name, value] of Object.entries(main.outputs)) console.log(`${name}: ${value}`)
  console.log(`\n== job summary\n${readable(main.summary)}`)
  const post = await runBundle('post', inputs, { state: main.state })
  console.log(`== post step (exit code ${post.exitCode}, ${post.durationMs.toFixed(0)} ms)`)
  process.stdout.write(post.stdout + post.stderr)
  const after = describeVm()
  console.log(
    after === before
      ? `\nweb-1.example.com is as it was built, with only its own interface: ${after}`
      : `\nweb-1.example.com is NOT as it was built: ${after}`,
  )
  if (main.exitCode !== 0 || post.exitCode !== 0 || after !== before) process.exitCode = 1
} finally {
  await standIn.stop()
}
