// npm run bench [overhead|window]: the action's own cost against the bare-fetch floor, and a
// matrix of jobs that meets a spent per-minute budget. A benchmark, not a test: it asserts nothing.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDS, KatapultStandIn, TOKENS } from '../stand-in/katapult-stand-in.ts'
import { ROOT, type StepResult, runStep } from '../stand-in/runner.ts'

const PAIRS = Number(process.env.BENCH_PAIRS ?? 21)
const WARM_UP = 3
const RSS_RUNS = 5
const MATRIX_JOBS = Number(process.env.BENCH_JOBS ?? 40)
const LIST_ROUTE = 'GET /core/v1/virtual_machines/virtual_machine/network_interfaces'
const WINDOW_LEAD_S = Number(process.env.BENCH_WINDOW_LEAD ?? 10)

const FLOOR = join(ROOT, 'bench/floor.js')
const REPORT_RSS = join(ROOT, 'bench/report-peak-rss.js')

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

async function overhead(): Promise<void> {
  const runs = WARM_UP + PAIRS + RSS_RUNS
  // Each run creates on a VM of its own, so that no VM's listing grows as the benchmark goes on.
  const standIn = new KatapultStandIn({ virtualMachines: 2 * runs })
  const apiUrl = await standIn.start()
  let vm = 0
  const action = (options = {}): Promise<StepResult> =>
    runStep('main', inputs(apiUrl, ++vm), options).then((result) => succeeded(result, 'the action'))
  const floor = (options = {}): Promise<StepResult> =>
    runStep('main', inputs(apiUrl, ++vm), { script: FLOOR, ...options }).then((result) =>
      succeeded(result, 'the floor'),
    )

  try {
    for (let n = 0; n < WARM_UP; n++) {
      await action()
      await floor()
    }
    const times = { action: [] as number[], floor: [] as number[], ratio: [] as number[] }
    for (let n = 0; n < PAIRS; n++) {
      const a = (await action()).durationMs
      const f = (await floor()).durationMs
      times.action.push(a)
      times.floor.push(f)
      times.ratio.push(a / f)
    }
    const folder = mkdtempSync(join(tmpdir(), 'katapult-bench-'))
    const peakRss = async (run: (options: object) => Promise<StepResult>): Promise<number> => {
      const samples: number[] = []
      for (let n = 0; n < RSS_RUNS; n++) {
        const file = join(folder, 'rss')
        await run({ nodeArgs: ['--import', REPORT_RSS], env: { PEAK_RSS_FILE: file } })
        samples.push(Number(readFileSync(file, 'utf8')) / 1024)
      }
      return median(samples)
    }
    const rss = { action: await peakRss(action), floor: await peakRss(floor) }
    rmSync(folder, { recursive: true, force: true })

    const bundle = statSync(join(ROOT, 'dist/index.js')).size
    console.log(
      `Overhead on Node ${process.versions.node}: ${PAIRS} pairs, action and floor alternately, after ${WARM_UP} warm-up pairs`,
    )
    console.log(
      `  median wall time    action ${median(times.action).toFixed(1)} ms   floor ${median(times.floor).toFixed(1)} ms`,
    )
    console.log(`  median ratio        action/floor ${median(times.ratio).toFixed(3)}`)
    console.log(`  median peak RSS     action ${rss.action.toFixed(1)} MiB   floor ${rss.floor.toFixed(1)} MiB`)
    console.log(`  dist/index.js       ${(bundle / 1024).toFixed(1)} KiB`)
  } finally {
    await standIn.stop()
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
        runStep('main', inputs(apiUrl, index + 1)).then((result) => {
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
