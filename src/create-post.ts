import { run } from './create/post.ts'

// Not a top-level await, which makes the bundler wrap the whole module graph in its async-module
// machinery (about 2 ms of every step); run() reports every failure itself.
void run()
