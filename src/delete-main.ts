import { actionsRunner } from './action/actions-runner.ts'
import { run } from './delete/main.ts'

void run(actionsRunner)
