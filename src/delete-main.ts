import { run } from './delete/main.ts'

await run()
