import { actionsRunner } from './action/actions-runner.ts'
import { run } from './create/post.ts'

void run(actionsRunner)
