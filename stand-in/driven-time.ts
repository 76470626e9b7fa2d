// Preloaded (node --import) into an action's process by the runner when a test drives time: every
// sleep of the action (src/katapult/step-clock.ts sleeps through node:timers/promises) takes no real
// time, and moves the process's clock (Date.now) on by as much. Before the sleep returns, the
// runner is told over the IPC channel and answers once it has moved the stand-in's clock on too,
// so the stand-in's minute has turned, and its task has aged, before the next request arrives.
// Timers (request-timeout) and everything else run at the real pace.
import { syncBuiltinESMExports } from 'node:module'
import timers from 'node:timers/promises'

let offset = 0
let nextSleep = 0
const realNow = Date.now.bind(Date)
Date.now = () => realNow() + offset

function tellRunner(ms: number): Promise<void> {
  // Without the runner's IPC channel there is no one to tell, and nothing to wait for.
  if (!process.send) return Promise.resolve()
  const id = ++nextSleep
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      if ((message as { slept?: number } | null)?.slept !== id) return
      process.off('message', onMessage)
      resolve()
    }
    // While the listener is on, the IPC channel keeps the process alive; off, it lets it exit.
    process.on('message', onMessage)
    process.send?.({ sleep: ms, id })
  })
}

timers.setTimeout = (async (ms?: number, value?: unknown) => {
  const wait = Math.max(0, ms ?? 0)
  offset += wait
  await tellRunner(wait)
  return value
}) as typeof timers.setTimeout
syncBuiltinESMExports()
