import { run } from './delete/main.ts'

void run()
