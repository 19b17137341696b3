#!/usr/bin/env node
// Entry point: everything lives in the compiled engine; nothing is thrown past this line.
import { main, onSignals } from '../dist/src/cli/main.js';

onSignals();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`pipewarden: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
