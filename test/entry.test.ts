/**
 * bin/pipewarden.js on its own, in a copy beside stand-in engines: it runs the bundle unless a
 * bare tsc has compiled dist/src since, and answers --version from package.json alone.
 */
import { copyFile, mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/repo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Both engines answer with their own name, so the output says which one the entry loaded. */
async function standIn(): Promise<{ dir: string; bundle: string; compiled: string }> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'bin'));
  for (const f of ['bin/pipewarden.js', 'bin/package.json']) await copyFile(path.join(ROOT, f), path.join(dir, f));
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'pipewarden', version: '9.8.7', type: 'module' }));
  const engine = (name: string) => `export function onSignals() {}\nexport async function main(argv) { process.stdout.write('${name} ' + argv.join(' ') + '\\n'); return 4; }\n`;
  const bundle = path.join(dir, 'dist/bundle/pipewarden.js');
  const compiled = path.join(dir, 'dist/src/cli/main.js');
  for (const [file, name] of [[bundle, 'bundle'], [compiled, 'compiled']] as const) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, engine(name));
  }
  return { dir, bundle, compiled };
}

const run = (dir: string, args: string[]) => execa('node', [path.join(dir, 'bin/pipewarden.js'), ...args], { reject: false, stdin: 'ignore' });
const at = (file: string, seconds: number) => utimes(file, seconds, seconds);

describe('the entry', () => {
  it('runs the bundle when it is at least as new as the compiled modules (a package gives every file one mtime)', async () => {
    const { dir, bundle, compiled } = await standIn();
    await at(compiled, 1_000_000);
    await at(bundle, 1_000_000);
    const r = await run(dir, ['audit', '.']);
    expect(r.stdout).toBe('bundle audit .');
    expect(r.exitCode).toBe(4);
  });

  it('runs the compiled modules when tsc wrote them after the bundle, or when there is no bundle', async () => {
    const { dir, bundle, compiled } = await standIn();
    await at(bundle, 1_000_000);
    await at(compiled, 1_000_100);
    expect((await run(dir, ['x'])).stdout).toBe('compiled x');
    await execa('rm', [bundle]);
    expect((await run(dir, ['x'])).stdout).toBe('compiled x');
  });

  it('answers --version and -v from package.json without loading an engine', async () => {
    const { dir, bundle, compiled } = await standIn();
    await writeFile(bundle, 'throw new Error("loaded")');
    await writeFile(compiled, 'throw new Error("loaded")');
    for (const flag of ['--version', '-v']) {
      const r = await run(dir, [flag]);
      expect(r.stdout).toBe('9.8.7');
      expect(r.stderr).toBe('');
    }
  });

  it('reports an engine that fails to load as an internal error, exit 3', async () => {
    const { dir, bundle } = await standIn();
    await writeFile(bundle, 'throw new Error("broken engine")');
    const r = await run(dir, ['x']);
    expect(r.stderr).toBe('pipewarden: internal error: broken engine');
    expect(r.exitCode).toBe(3);
  });
});
