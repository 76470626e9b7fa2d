import { runCleanup } from './create/post.ts'

await runCleanup()
