import { run } from './create/main.ts'

void run()
