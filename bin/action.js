#!/usr/bin/env node
// The GitHub Action's entry (see action.yml): the audit runs from the workspace, so a relative
// `path` input means a path in the checked-out repository.
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  process.stdout.write(`::error title=pipewarden::pipewarden needs Node.js 20 or later on the runner; found ${process.versions.node}\n`);
  process.exit(3);
}
// CommonJS (see package.json beside this file), so the engine loads by import() without top-level await.
import('../dist/src/action/main.js')
  .then(({ runAction }) => {
    if (process.env.GITHUB_WORKSPACE) process.chdir(process.env.GITHUB_WORKSPACE);
    return runAction(process.env, { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) });
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stdout.write(`::error title=pipewarden::internal error: ${String(err instanceof Error ? err.message : err).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
      process.exitCode = 3;
    },
  );
