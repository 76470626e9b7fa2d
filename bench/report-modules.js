// Preloaded (node --import) into a benchmarked process, in runs that are not timed: writes the
// built-in modules the process loaded, one a line, to the file named by MODULES_FILE as it exits.
import { writeFileSync } from 'node:fs'

process.on('exit', () => {
  const builtins = process.moduleLoadList
    .filter((name) => name.startsWith('NativeModule '))
    .map((name) => name.slice(13))
  writeFileSync(process.env.MODULES_FILE, builtins.join('\n'))
})
