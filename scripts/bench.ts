// npm run bench [overhead|window]: the action's own cost in the setting users have, over TLS
// against the stand-in (a throwaway certificate trusted through NODE_EXTRA_CA_CERTS), beside a
// bare node:https doing the same requests and a bare fetch doing the create alone; start-up alone,
// built-in modules loaded and bundle sizes; then a matrix of jobs that meets a spent per-minute
// budget. A benchmark, not a test: it asserts nothing.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDS, KatapultStandIn, TOKENS } from '../stand-in/katapult-stand-in.ts'
import { ROOT, type StepOptions, type StepResult, runBundle } from '../stand-in/run-bundle.ts'

const PAIRS = Number(process.env.BENCH_PAIRS ?? 21)
const WARM_UP = 3
const RSS_RUNS = 5
const MATRIX_JOBS = Number(process.env.BENCH_JOBS ?? 40)
const LIST_ROUTE = 'GET /core/v1/virtual_machines/virtual_machine/network_interfaces'
const WINDOW_LEAD_S = Number(process.env.BENCH_WINDOW_LEAD ?? 10)

const HTTPS_FLOOR = join(ROOT, 'bench/https-floor.js')
const FETCH_FLOOR = join(ROOT, 'bench/fetch-floor.js')
const REPORT_RSS = join(ROOT, 'bench/report-peak-rss.js')
const REPORT_MODULES = join(ROOT, 'bench/report-modules.js')
const BUNDLES = ['create-main', 'create-post', 'delete-main']

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

function inputs(apiUrl: string, vm: number): Record<string, string> {
  return {
    'api-token': TOKENS.valid,
    'api-url': apiUrl,
    'virtual-machine-fqdn': `web-${vm}.example.com`,
    'virtual-network-id': IDS.virtualNetwork,
    'speed-profile-permalink': '1gbps',
  }
}

function succeeded(result: StepResult, what: string): StepResult {
  if (result.exitCode !== 0 || !result.outputs.id) {
    throw new Error(`${what} failed (exit ${result.exitCode}):\n${result.stdout}${result.stderr}`)
  }
  return result
}

/** A throwaway key and certificate for 127.0.0.1, and the file that makes the children trust it. */
function certificate(folder: string): { key: string; cert: string; caFile: string } {
  const [key, cert] = [join(folder, 'key.pem'), join(folder, 'cert.pem')]
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  )
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8'), caFile: cert }
}

const ms = (value: number): string => `${value.toFixed(1)} ms`

async function overhead(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'katapult-bench-'))
  const { key, cert, caFile } = certificate(folder)
  const runs = WARM_UP + PAIRS + RSS_RUNS + 2
  // Each run creates on a VM of its own, so that no VM's listing grows as the benchmark goes on.
  const standIn = new KatapultStandIn({ virtualMachines: 3 * runs, tls: { key, cert } })
  const apiUrl = await standIn.start()
  const trusted = { NODE_EXTRA_CA_CERTS: caFile }
  let vm = 0
  const run = (what: string, script: string | undefined, options: StepOptions = {}): Promise<StepResult> =>
    runBundle('main', inputs(apiUrl, ++vm), {
      ...(script ? { script } : {}),
      ...options,
      env: { ...trusted, ...options.env },
    }).then((result) => succeeded(result, what))
  const action = (options?: StepOptions): Promise<StepResult> => run('the action', undefined, options)
  const httpsFloor = (options?: StepOptions): Promise<StepResult> => run('the https floor', HTTPS_FLOOR, options)
  const fetchFloor = (options?: StepOptions): Promise<StepResult> => run('the fetch floor', FETCH_FLOOR, options)
  const empty = join(folder, 'empty.js')
  writeFileSync(empty, '')
  // Start-up alone: each bundle stopped by an input error before any request, against empty node.
  const startUp = (bundle: string): Promise<StepResult> =>
    runBundle(
      'main',
      { ...inputs(apiUrl, 1), 'max-attempts': 'none' },
      {
        script: join(ROOT, 'dist', bundle, 'index.js'),
        env: trusted,
      },
    )
  const emptyNode = (): Promise<StepResult> => runBundle('main', {}, { script: empty, env: trusted })
  // The post step every job runs after a default create, given the state that create saved:
  // cleanup is off and nothing is left to resolve, so it names the interface and sends nothing.
  const idlePost = (state: Record<string, string>): Promise<StepResult> =>
    runBundle('post', inputs(apiUrl, 1), { env: trusted, state }).then((result) => {
      if (result.exitCode !== 0 || !result.stdout.includes('what this run created stays')) {
        throw new Error(`the idle post step did not finish as expected:\n${result.stdout}${result.stderr}`)
      }
      return result
    })

  try {
    const created = (await action()).state
    for (let n = 0; n < WARM_UP; n++) {
      await action()
      await httpsFloor()
      await fetchFloor()
      for (const bundle of BUNDLES) await startUp(bundle)
      await emptyNode()
      await idlePost(created)
    }
    const times = { action: [] as number[], https: [] as number[], fetch: [] as number[] }
    const ratios = { https: [] as number[], fetch: [] as number[] }
    const start: Record<string, number[]> = { empty: [], idlePost: [] }
    for (const bundle of BUNDLES) start[bundle] = []
    for (let n = 0; n < PAIRS; n++) {
      const a = (await action()).durationMs
      const h = (await httpsFloor()).durationMs
      const f = (await fetchFloor()).durationMs
      times.action.push(a)
      times.https.push(h)
      times.fetch.push(f)
      ratios.https.push(a / h)
      ratios.fetch.push(a / f)
      start.empty?.push((await emptyNode()).durationMs)
      for (const bundle of BUNDLES) start[bundle]?.push((await startUp(bundle)).durationMs)
      start.idlePost?.push((await idlePost(created)).durationMs)
    }

    const peakRss = async (runOnce: (options: StepOptions) => Promise<StepResult>): Promise<number> => {
      const samples: number[] = []
      for (let n = 0; n < RSS_RUNS; n++) {
        const file = join(folder, 'rss')
        await runOnce({ nodeArgs: ['--import', REPORT_RSS], env: { PEAK_RSS_FILE: file } })
        samples.push(Number(readFileSync(file, 'utf8')) / 1024)
      }
      return median(samples)
    }
    const rss = { action: await peakRss(action), https: await peakRss(httpsFloor) }
    const modules = async (runOnce: (options: StepOptions) => Promise<StepResult>): Promise<string[]> => {
      const file = join(folder, 'modules')
      await runOnce({ nodeArgs: ['--import', REPORT_MODULES], env: { MODULES_FILE: file } })
      return readFileSync(file, 'utf8').split('\n')
    }
    const loaded = { action: await modules(action), https: await modules(httpsFloor) }
    const extra = loaded.action.filter((name) => !loaded.https.includes(name) && !name.startsWith('internal/'))

    console.log(
      `Overhead on Node ${process.versions.node}, over TLS: ${PAIRS} rounds of the action, the https floor and the ` +
        `fetch floor in turn, after ${WARM_UP} warm-up rounds`,
    )
    console.log(
      `  median wall time      action ${ms(median(times.action))}   https floor (list + create) ${ms(median(times.https))}   fetch floor (create) ${ms(median(times.fetch))}`,
    )
    console.log(
      `  median ratio          action/https floor ${median(ratios.https).toFixed(3)}   action/fetch floor ${median(ratios.fetch).toFixed(3)}`,
    )
    console.log(
      `  start-up alone        empty node ${ms(median(start.empty ?? []))}   ` +
        BUNDLES.map((bundle) => `${bundle} ${ms(median(start[bundle] ?? []))}`).join('   ') +
        '   (an input error, no request)',
    )
    console.log(
      `  post step, idle       ${ms(median(start.idlePost ?? []))}   (after a create without cleanup: it names the interface, no request)`,
    )
    console.log(`  median peak RSS       action ${rss.action.toFixed(1)} MiB   https floor ${rss.https.toFixed(1)} MiB`)
    console.log(
      `  built-in modules      action ${loaded.action.length}   https floor ${loaded.https.length}; ` +
        `public ones only the action loads: ${extra.join(', ') || 'none'}`,
    )
    console.log(
      `  bundles               ${BUNDLES.map((bundle) => `${bundle} ${(statSync(join(ROOT, 'dist', bundle, 'index.js')).size / 1024).toFixed(1)} KiB`).join('   ')}`,
    )
  } finally {
    await standIn.stop()
    rmSync(folder, { recursive: true, force: true })
  }
}

/**
 * A matrix that meets a spent budget: other automation has used the organisation's 1000 requests
 * of this minute, and the minute turns WINDOW_LEAD_S after the first job's first request. Every
 * job is refused once, waits for the turn (plus its random spread), then lists and creates.
 */
async function window(): Promise<void> {
  const standIn = new KatapultStandIn({ virtualMachines: MATRIX_JOBS })
  const apiUrl = await standIn.start()
  try {
    standIn.holdClockUntilFirstRequest(Date.parse('2026-11-28T12:01:00Z') - WINDOW_LEAD_S * 1000)
    standIn.leaveBudget(0)
    let turnsAt = Number.NaN
    standIn.inject(LIST_ROUTE, {
      kind: 'pass',
      meanwhile: () => {
        turnsAt = performance.now() + WINDOW_LEAD_S * 1000
      },
    })
    const finished: number[] = []
    const results = await Promise.all(
      Array.from({ length: MATRIX_JOBS }, (_, index) =>
        runBundle('main', inputs(apiUrl, index + 1)).then((result) => {
          finished.push(performance.now())
          return result
        }),
      ),
    )
    const failed = results.filter((result) => result.exitCode !== 0).length
    const duplicates = Array.from({ length: MATRIX_JOBS }, (_, index) => index + 1).filter(
      (vm) =>
        standIn.interfacesOf(`web-${vm}.example.com`).filter((nic) => nic.virtualNetworkId === IDS.virtualNetwork)
          .length !== 1,
    ).length
    const afterTurn = finished.map((at) => (at - turnsAt) / 1000).sort((a, b) => a - b)
    console.log(
      `Window: ${MATRIX_JOBS} jobs at once, the minute's budget of ${standIn.perMinute} already spent, ` +
        `the minute turning ${WINDOW_LEAD_S} s after the first request (429 without Retry-After, X-Ratelimit-Remaining: 0)`,
    )
    console.log(`  jobs failed         ${failed}; VMs without exactly one new interface: ${duplicates}`)
    console.log(`  answered 429        ${standIn.rateLimited}`)
    console.log(
      `  after the turn      first job done ${afterTurn[0]?.toFixed(2) ?? '?'} s, median ${median(afterTurn).toFixed(2)} s, ` +
        `last ${afterTurn.at(-1)?.toFixed(2) ?? '?'} s`,
    )
  } finally {
    await standIn.stop()
  }
}

const which = process.argv[2]
if (which !== 'window') await overhead()
if (which !== 'overhead') await window()
