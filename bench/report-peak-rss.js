// Preloaded (node --import) into a benchmarked process, in runs that are not timed: writes the
// process's peak resident set size, in KiB, to the file named by PEAK_RSS_FILE as it exits.
import { writeFileSync } from 'node:fs'

process.on('exit', () => {
  writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS))
})
