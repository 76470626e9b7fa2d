import { run } from './create/post.ts'

await run()
