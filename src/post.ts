import { runCleanup } from './cleanup.ts'

await runCleanup()
