/**
 * vitest globalSetup: re-bundles the command line from the compiled engine before any test runs,
 * so that `npx tsc -p . && npx vitest run` tests the bundle bin/pipewarden.js runs (a bare tsc
 * leaves the previous bundle behind, which bin/pipewarden.js would then skip for dist/src).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, ['dist/scripts/bundle.js'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
