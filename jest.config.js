// ESM throughout, as the toolkit packages are: run through `node --experimental-vm-modules`.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 60_000,
  // The end-to-end tests mostly wait on child processes and timers, not the CPU: run files side by side.
  maxWorkers: 4,
  // A worker ends its tests with nothing left open, but Node's exit of a few hundred MB of heap
  // can outlast jest's default half second, and jest then reports a leak that is not there.
  workerGracefulExitTimeout: 2000,
  reporters: ['default', '<rootDir>/jest.summary-reporter.js'],
  // `npm run coverage`: what the in-process tests cover of src/. The entry files only call run(),
  // and src/bundling/ stands in for code the bundles leave out.
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.ts', '!src/*-main.ts', '!src/create-post.ts', '!src/bundling/**'],
  coverageReporters: ['text-summary', 'text'],
  coverageThreshold: { global: { lines: 85 } },
}
