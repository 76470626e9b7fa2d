import { actionsRunner } from './action/actions-runner.ts'
import { run } from './create/main.ts'

void run(actionsRunner)
