// npm run demo: the bundled action, end to end, against the local Katapult stand-in: the main
// step creates, allocates and attaches; the post step cleans up.
import { KatapultStandIn, TOKENS } from '../stand-in/katapult-stand-in.ts'
import { runStep } from '../stand-in/runner.ts'

const standIn = new KatapultStandIn()
const apiUrl = await standIn.start()
const inputs = {
  'api-token': TOKENS.valid,
  'api-url': apiUrl,
  'virtual-machine-fqdn': 'web-1.example.com',
  'network-permalink': 'uk-lon-01-public',
  'speed-profile-permalink': '1gbps',
  'allocate-ips': 'ipv4\nipv6',
  attach: 'true',
  cleanup: 'true',
}
try {
  console.log(
    `Katapult stand-in on ${apiUrl}\n\n== main step (${Object.entries(inputs)
      .filter(([name]) => name !== 'api-token')
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')})`,
  )
  const main = await runStep('main', inputs)
  process.stdout.write(main.stdout + main.stderr)
  console.log(`\n== outputs (exit code ${main.exitCode}, ${main.durationMs.toFixed(0)} ms)`)
  for (const [name, value] of Object.entries(main.outputs)) console.log(`${name}: ${value}`)
  console.log(`\n== job summary\n${main.summary}`)
  const post = await runStep('post', inputs, { state: main.state })
  console.log(`== post step (exit code ${post.exitCode}, ${post.durationMs.toFixed(0)} ms)`)
  process.stdout.write(post.stdout + post.stderr)
  console.log(
    `\nInterfaces left on web-1.example.com: ${standIn
      .interfacesOf('web-1.example.com')
      .map((nic) => nic.name)
      .join(', ')}`,
  )
  if (main.exitCode !== 0 || post.exitCode !== 0) process.exitCode = 1
} finally {
  await standIn.stop()
}
