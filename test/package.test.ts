/**
 * The published package end to end: `npm pack` on a clean copy of the repository (so prepack
 * has to build from nothing), the tarball installed into a throwaway project without dev
 * dependencies, and the installed command run the way a user would run it.
 */
import { copyFile, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/repo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLEAN = path.join(ROOT, 'test/fixtures/clean-repo');
const GAPPY = path.join(ROOT, 'test/fixtures/gappy-repo');

/** npm's own lifecycle variables from the `npm test` that runs us must not leak into the inner npm runs. */
function npmEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_(lifecycle|package|command)_?/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

interface PackResult {
  filename: string;
  size: number;
  files: Array<{ path: string }>;
}

let packed: PackResult;
let tarball: string;
let project: string;
let installSeconds: number;
let cacheHome: string;

beforeAll(async () => {
  // A clean copy: the files git knows about (committed or new, not ignored), no dist/.
  const src = await tempDir();
  const { stdout } = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  for (const rel of stdout.split('\0').filter(Boolean)) {
    const from = path.join(ROOT, rel);
    const info = await stat(from).catch(() => undefined);
    if (!info?.isFile()) continue; // deleted in the working tree
    await mkdir(path.dirname(path.join(src, rel)), { recursive: true });
    await copyFile(from, path.join(src, rel));
  }
  // prepack needs the compiler; share the installed dependencies instead of installing again.
  await symlink(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'), 'dir');
  const out = await tempDir();
  cacheHome = await tempDir();
  const pack = await execa('npm', ['pack', '--json', '--pack-destination', out], { cwd: src, env: npmEnv({}), stdin: 'ignore' });
  // npm prints the prepack script's output before the JSON document.
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('\n[') + 1)) as PackResult[])[0]!;
  tarball = path.join(out, packed.filename);

  project = await tempDir();
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'pipewarden-install-test', version: '1.0.0', private: true }));
  const started = Date.now();
  // The cache `npm ci` filled has every dependency; on a machine without it npm fetches them.
  await execa('npm', ['install', tarball, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, env: npmEnv({}), stdin: 'ignore' });
  installSeconds = (Date.now() - started) / 1000;
}, 300_000);

function installed(args: string[]) {
  return execa(path.join(project, 'node_modules/.bin/pipewarden'), args, {
    cwd: project,
    reject: false,
    stdin: 'ignore',
    env: { CI: 'true', XDG_CACHE_HOME: cacheHome },
  });
}

describe('npm package', () => {
  it('ships only what runs: the entry, the bundled command line, the compiled engine, checks and views, README, LICENSE, CHANGELOG', async () => {
    const files = packed.files.map((f) => f.path);
    for (const required of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/pipewarden.js', 'bin/package.json', 'dist/bundle/pipewarden.js', 'dist/src/cli/main.js', 'dist/src/registry.js', 'dist/checks/unpinned-uses.js', 'dist/views/main.js']) {
      expect(files).toContain(required);
    }
    const stray = files.filter((f) => !/^(bin\/|dist\/bundle\/|dist\/src\/|dist\/checks\/|dist\/views\/)/.test(f) && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(f));
    expect(stray).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts'))).toEqual([]);
    // Every check module compiled into the package.
    const checks = (await execa('git', ['ls-files', 'checks'], { cwd: ROOT })).stdout.split('\n').filter((f) => f.endsWith('.ts'));
    expect(checks.length).toBeGreaterThan(30);
    for (const c of checks) expect(files).toContain(`dist/${c.replace(/\.ts$/, '.js')}`);
    const { size } = await stat(tarball);
    expect(size).toBe(packed.size);
    // The engine, 59 checks and the interactive views (~230 kB compressed), plus the bundle bin/pipewarden.js
    // runs (~200 kB: the same engine with yaml, ignore, semver and the expression parser inlined, see
    // scripts/bundle.ts); a jump past this means something that does not run got in.
    expect(size).toBeLessThan(500_000);
    console.log(`package: ${packed.filename}, ${(size / 1000).toFixed(1)} kB, ${files.length} files; install ${installSeconds.toFixed(1)} s`);
  });

  it('the installed command prints its version', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
    const run = await installed(['--version']);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(pkg.version);
    expect(run.exitCode).toBe(0);
  });

  it('the installed command audits a repository and prints the JSON report', async () => {
    const clean = await installed([CLEAN, '--ci', '--format', 'json']);
    expect(clean.exitCode).toBe(0);
    const doc = JSON.parse(clean.stdout);
    expect(doc.tool.name).toBe('pipewarden');
    expect(doc.findings).toEqual([]);
    expect(doc.errors).toEqual([]);
    expect(doc.summary.workflows).toBeGreaterThan(0);

    const gappy = await installed([GAPPY, '--ci', '--format', 'json', '--repo', 'acme/gappy']);
    expect(gappy.exitCode).toBe(1);
    const findings = JSON.parse(gappy.stdout).findings as Array<{ check: string }>;
    expect(findings.map((f) => f.check)).toContain('template-injection');
  });
});
