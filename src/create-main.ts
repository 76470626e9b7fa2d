import { run } from './create/main.ts'

await run()
