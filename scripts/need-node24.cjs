// Runs before every script that executes TypeScript directly (they need Node 24's type
// stripping), on whatever Node npm found, so that a wrong Node gets this message instead of
// ERR_UNKNOWN_FILE_EXTENSION. Plain CommonJS on purpose: it must run on old Nodes too.
'use strict'
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  console.error(
    [
      `This script needs Node 24 (it runs TypeScript directly); npm ran it with Node ${process.versions.node}.`,
      'Node 24 comes with the dev dependencies: `npm ci` installs it as the `node` package, and every',
      '`npm run` script uses it from node_modules/.bin. If you installed with `npm ci --ignore-scripts`,',
      "that package's download was skipped: run `npm rebuild node`, or put Node 24 first on your PATH.",
    ].join('\n'),
  )
  process.exit(1)
}
