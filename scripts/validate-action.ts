// Validates both actions' metadata (action.yml, delete/action.yml) with @action-validator/cli. Its
// schema (0.6.0, the newest) predates `runs.using: node24`, so a copy that says node20 is
// validated, and node24 is checked here.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

for (const file of ['action.yml', 'delete/action.yml']) {
  const text = readFileSync(file, 'utf8')
  if (!/^ {2}using: node24$/m.test(text)) {
    console.error(`${file}: runs.using must be node24`)
    process.exit(1)
  }
  const copy = join(mkdtempSync(join(tmpdir(), 'action-yml-')), 'action.yml')
  writeFileSync(copy, text.replace(/^ {2}using: node24$/m, '  using: node20'))
  execFileSync('action-validator', [copy], { stdio: 'inherit' })
  console.log(`${file} is valid`)
}
