#!/usr/bin/env node
// Entry point: everything lives in the compiled engine; nothing is thrown past this line.
// This directory's package.json makes this file CommonJS: Node 20 then never starts its ESM
// loader for `--version` / `-v` alone (about 7 ms of a ~70 ms start), which answer from the
// package's own package.json, the file src/version.ts reads too.
'use strict';
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  import(engine())
    .then(({ main, onSignals }) => {
      onSignals();
      return main(argv);
    })
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.stderr.write(`pipewarden: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 3;
      },
    );
}

/**
 * The bundle `npm run build` makes of the command line (see scripts/bundle.ts: it halves the
 * start-up of an audit), unless a bare `tsc` has compiled the engine since: tsc re-emits every
 * file, so a dist/src/cli/main.js newer than the bundle means the bundle holds older code, and the
 * compiled modules run instead, slower but current. npm gives all of a package's files one mtime.
 */
function engine() {
  const fs = require('node:fs');
  const bundle = '../dist/bundle/pipewarden.js';
  const compiled = '../dist/src/cli/main.js';
  try {
    return fs.statSync(require.resolve(bundle)).mtimeMs >= fs.statSync(require.resolve(compiled)).mtimeMs ? bundle : compiled;
  } catch {
    return compiled;
  }
}
