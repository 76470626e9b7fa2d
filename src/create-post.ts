import { run } from './create/post.ts'

void run()
