// npm run bench [overhead|window]: the action's own cost in the setting users have, over TLS
// against the stand-in (a throwaway certificate trusted through NODE_EXTRA_CA_CERTS), beside a
// bare node:https doing the same requests and a bare fetch doing the create alone; start-up alone,
// built-in modules loaded and bundle sizes; then a matrix of jobs that meets a spent per-minute
// budget. A benchmark, not a test: it asserts nothing.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { selfSigned } from '../stand-in/certificates.ts'
import { exampleCreate } from '../stand-in/example-inputs.ts'
import { IDS, KatapultStandIn } from '../stand-in/katapult-stand-in.ts'
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

function succeeded(result: StepResult, what: string): StepResult {
  if (result.exitCode !== 0 || !result.outputs.id) {
    throw new Error(`${what} failed (exit ${result.exitCode}):\n${result.stdout}${result.stderr}`)
  }
  return result
}

const ms = (value: number): string => `${value.toFixed(1)} ms`

type RunOnce = (options?: StepOptions) => Promise<StepResult>

/** The processes the overhead compares, each creating on a VM of its own, trusting the stand-in's certificate. */
function processes(apiUrl: string, folder: string, trusted: Record<string, string>) {
  let vm = 0
  const run = (what: string, script: string | undefined, options: StepOptions = {}): Promise<StepResult> =>
    runBundle('main', exampleCreate(apiUrl, ++vm), {
      ...(script ? { script } : {}),
      ...options,
      env: { ...trusted, ...options.env },
    }).then((result) => succeeded(result, what))
  const empty = join(folder, 'empty.js')
  writeFileSync(empty, '')
  return {
    action: ((options) => run('the action', undefined, options)) as RunOnce,
    httpsFloor: ((options) => run('the https floor', HTTPS_FLOOR, options)) as RunOnce,
    fetchFloor: ((options) => run('the fetch floor', FETCH_FLOOR, options)) as RunOnce,
    // Start-up alone: each bundle stopped by an input error before any request, against empty node.
    startUp: (bundle: string): Promise<StepResult> =>
      runBundle(
        'main',
        { ...exampleCreate(apiUrl), 'max-attempts': 'none' },
        { script: join(ROOT, 'dist', bundle, 'index.js'), env: trusted },
      ),
    emptyNode: (): Promise<StepResult> => runBundle('main', {}, { script: empty, env: trusted }),
    // The post step every job runs after a default create, given the state that create saved:
    // cleanup is off and nothing is left to resolve, so it names the interface and sends nothing.
    idlePost: (state: Record<string, string>): Promise<StepResult> =>
      runBundle('post', exampleCreate(apiUrl), { env: trusted, state }).then((result) => {
        if (result.exitCode !== 0 || !result.stdout.includes('what this run created stays')) {
          throw new Error(`the idle post step did not finish as expected:\n${result.stdout}${result.stderr}`)
        }
        return result
      }),
  }
}
type Processes = ReturnType<typeof processes>

interface Round {
  action: number
  https: number
  fetch: number
  empty: number
  startUp: Record<string, number>
  idlePost: number
}

/** Wall times of PAIRS rounds, each running every process once in turn, after WARM_UP rounds. */
async function timeRounds(run: Processes, created: Record<string, string>) {
  const round = async (): Promise<Round> => {
    const action = (await run.action()).durationMs
    const https = (await run.httpsFloor()).durationMs
    const fetch = (await run.fetchFloor()).durationMs
    const empty = (await run.emptyNode()).durationMs
    const startUp: Record<string, number> = {}
    for (const bundle of BUNDLES) startUp[bundle] = (await run.startUp(bundle)).durationMs
    const idlePost = (await run.idlePost(created)).durationMs
    return { action, https, fetch, empty, startUp, idlePost }
  }
  for (let n = 0; n < WARM_UP; n++) await round()
  const rounds: Round[] = []
  for (let n = 0; n < PAIRS; n++) rounds.push(await round())
  const of = (pick: (r: Round) => number): number => median(rounds.map(pick))
  return {
    action: of((r) => r.action),
    https: of((r) => r.https),
    fetch: of((r) => r.fetch),
    ratioHttps: of((r) => r.action / r.https),
    ratioFetch: of((r) => r.action / r.fetch),
    empty: of((r) => r.empty),
    startUp: BUNDLES.map((bundle) => `${bundle} ${ms(of((r) => r.startUp[bundle] ?? 0))}`),
    idlePost: of((r) => r.idlePost),
  }
}

/** Median peak RSS in MiB over RSS_RUNS runs. */
async function peakRss(runOnce: RunOnce, folder: string): Promise<number> {
  const samples: number[] = []
  for (let n = 0; n < RSS_RUNS; n++) {
    const file = join(folder, 'rss')
    await runOnce({ nodeArgs: ['--import', REPORT_RSS], env: { PEAK_RSS_FILE: file } })
    samples.push(Number(readFileSync(file, 'utf8')) / 1024)
  }
  return median(samples)
}

/** The built-in modules a run loads. */
async function modulesLoaded(runOnce: RunOnce, folder: string): Promise<string[]> {
  const file = join(folder, 'modules')
  await runOnce({ nodeArgs: ['--import', REPORT_MODULES], env: { MODULES_FILE: file } })
  return readFileSync(file, 'utf8').split('\n')
}

async function overhead(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'katapult-bench-'))
  const { key, cert, file } = selfSigned(folder, 'bench', 'IP:127.0.0.1')
  const runs = WARM_UP + PAIRS + RSS_RUNS + 2
  // Each run creates on a VM of its own, so that no VM's listing grows as the benchmark goes on.
  const standIn = new KatapultStandIn({ virtualMachines: 3 * runs, tls: { key, cert } })
  const run = processes(await standIn.start(), folder, { NODE_EXTRA_CA_CERTS: file })
  try {
    const times = await timeRounds(run, (await run.action()).state)
    const rss = { action: await peakRss(run.action, folder), https: await peakRss(run.httpsFloor, folder) }
    const loaded = {
      action: await modulesLoaded(run.action, folder),
      https: await modulesLoaded(run.httpsFloor, folder),
    }
    const extra = loaded.action.filter((name) => !loaded.https.includes(name) && !name.startsWith('internal/'))
    const size = (bundle: string): string =>
      `${bundle} ${(statSync(join(ROOT, 'dist', bundle, 'index.js')).size / 1024).toFixed(1)} KiB`
    console.log(
      [
        `Overhead on Node ${process.versions.node}, over TLS: ${PAIRS} rounds of the action, the https floor and ` +
          `the fetch floor in turn, after ${WARM_UP} warm-up rounds`,
        `  median wall time      action ${ms(times.action)}   https floor (list + create) ${ms(times.https)}   ` +
          `fetch floor (create) ${ms(times.fetch)}`,
        `  median ratio          action/https floor ${times.ratioHttps.toFixed(3)}   ` +
          `action/fetch floor ${times.ratioFetch.toFixed(3)}`,
        `  start-up alone        empty node ${ms(times.empty)}   ${times.startUp.join('   ')}   (an input error, no request)`,
        `  post step, idle       ${ms(times.idlePost)}   (after a create without cleanup: it names the interface, no request)`,
        `  median peak RSS       action ${rss.action.toFixed(1)} MiB   https floor ${rss.https.toFixed(1)} MiB`,
        `  built-in modules      action ${loaded.action.length}   https floor ${loaded.https.length}; ` +
          `public ones only the action loads: ${extra.join(', ') || 'none'}`,
        `  bundles               ${BUNDLES.map(size).join('   ')}`,
      ].join('\n'),
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
        runBundle('main', exampleCreate(apiUrl, index + 1)).then((result) => {
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
