#!/usr/bin/env node
// Entry point: everything lives in the compiled engine; nothing is thrown past this line.
// `--version` / `-v` alone answer from the version module without loading the command line.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { VERSION } = await import('../dist/src/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main, onSignals } = await import('../dist/src/cli/main.js');
  onSignals();
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`pipewarden: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 3;
    },
  );
}
