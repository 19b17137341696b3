/**
 * Failing and interrupted runs: writes the file system refuses (a full disk through an injected
 * writer, a read-only file for real), SIGINT and SIGTERM mid-run, and clones that cannot finish.
 * Each ends with one clear message, a non-zero exit, every file untouched or fully fixed, and no
 * temporary file or clone left behind.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { WriteFailedError, writeAtomically, type WriteIo } from '../src/fix/write.js';
import { makeRepo, tempDir, yaml } from './helpers/repo.js';
import { chmod, rename, unlink, writeFile as fsWriteFile } from 'node:fs/promises';

const BIN = fileURLToPath(new URL('../bin/pipewarden.js', import.meta.url));
const isRoot = process.getuid?.() === 0;

const INJECTABLE = (n: number): string =>
  yaml('on: issues', 'permissions: {}', 'jobs:', ...Array.from({ length: n }, (_, i) => [`  j${i}:`, '    runs-on: ubuntu-latest', '    steps:', `      - run: echo "\${{ github.event.issue.title }}"`].join('\n')));

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const r = await execa(process.execPath, [BIN, ...args], { reject: false, env: { NO_COLOR: '1', ...env }, stdin: 'ignore' });
  return { code: r.exitCode ?? null, stderr: r.stderr };
}

describe('writes the file system refuses', () => {
  it('a full disk mid-write leaves the file as it was and no temporary file', async () => {
    const dir = await makeRepo({ 'a.yml': 'before\n' });
    const full: WriteIo = {
      writeFile: async (file, data, opts) => {
        // Half the data lands, then the disk is full.
        await fsWriteFile(file, data.slice(0, data.length >> 1), opts);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      chmod,
      rename,
      unlink,
    };
    const err = await writeAtomically(dir, 'a.yml', 'after after after\n', full).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteFailedError);
    expect((err as Error).message).toBe('cannot write a.yml: ENOSPC (no space left on the device); the file is unchanged');
    expect(await readFile(path.join(dir, 'a.yml'), 'utf8')).toBe('before\n');
    expect((await allFiles(dir)).map((f) => path.basename(f))).toEqual(['a.yml']);
  });

  it('--fix on a read-only file: one clear message, exit 3, each file untouched or fully fixed', async () => {
    const wf = '.github/workflows';
    const dir = await makeRepo({ [`${wf}/a.yml`]: INJECTABLE(2), [`${wf}/b.yml`]: INJECTABLE(3) });
    // The fixed text each file would get, from a copy.
    const copy = await makeRepo({ [`${wf}/a.yml`]: INJECTABLE(2), [`${wf}/b.yml`]: INJECTABLE(3) });
    expect((await run([copy, '--fix=all', '--offline', '--fail-on', 'none'])).code).toBe(0);
    const fixed = { a: await readFile(path.join(copy, wf, 'a.yml'), 'utf8'), b: await readFile(path.join(copy, wf, 'b.yml'), 'utf8') };
    expect(fixed.b).not.toBe(INJECTABLE(3));
    const locked = path.join(dir, wf, 'b.yml');
    // Root ignores permission bits, so as root the file is made immutable instead.
    if (isRoot) await execa('chattr', ['+i', locked]);
    else await chmod(path.join(dir, wf), 0o555);
    try {
      const r = await run([dir, '--fix=all', '--offline', '--fail-on', 'none']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^pipewarden: cannot write \.github\/workflows\/b\.yml: (EPERM|EACCES) \(.+\); the file is unchanged; /m);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      const a = await readFile(path.join(dir, wf, 'a.yml'), 'utf8');
      expect([INJECTABLE(2), fixed.a]).toContain(a);
      expect(await readFile(locked, 'utf8')).toBe(INJECTABLE(3));
      expect((await allFiles(dir)).filter((f) => f.includes('.pipewarden-'))).toEqual([]);
    } finally {
      if (isRoot) await execa('chattr', ['-i', locked]);
      else await chmod(path.join(dir, wf), 0o755);
    }
  });
});

describe('signals', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s mid-fix: a message, exit %i, files untouched or fully fixed, no temporary files', async (signal, code) => {
    const wf = '.github/workflows';
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`${wf}/w${i}.yml`, INJECTABLE(60)]));
    const dir = await makeRepo(files);
    const child = spawn(process.execPath, [BIN, dir, '--fix=all', '--offline', '--fail-on', 'none'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Signal once the run is under way (its first note is printed after the handlers are set), not after a fixed wait.
    for (let i = 0; i < 400 && !stderr.includes('remote checks skipped'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(stderr).toContain('remote checks skipped');
    child.kill(signal);
    const exit = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(exit).toBe(code);
    expect(stderr).toContain(`pipewarden: interrupted (${signal}); files already written are complete, the rest are untouched`);
    for (const rel of Object.keys(files)) {
      const text = await readFile(path.join(dir, rel), 'utf8');
      // Untouched, or every injection moved to env.
      expect(text === INJECTABLE(60) || !text.includes('echo "${{')).toBe(true);
    }
    expect((await allFiles(dir)).filter((f) => f.includes('.pipewarden-'))).toEqual([]);
  });
});

describe('clone failures', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
  const serve = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  /** Runs a clone with its own TMPDIR, so the check that no clone is left sees only this run's. */
  async function clone(target: string, extra: string[] = []): Promise<{ code: number | null; stderr: string; left: string[] }> {
    const tmp = await tempDir();
    const r = await run([target, '--offline', ...extra], { TMPDIR: tmp, GIT_CONFIG_GLOBAL: '/dev/null' });
    return { ...r, left: await readdir(tmp) };
  }

  it('an unreachable host', async () => {
    const r = await clone('http://127.0.0.1:1/x.git');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^pipewarden: could not clone http:\/\/127\.0\.0\.1:1\/x\.git: .*(connect|refused).*$/i);
    expect(r.left).toEqual([]);
  });

  it('a host that asks for credentials', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end();
    });
    const r = await clone(`${base}/private.git`);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/could not clone .*private\.git: .*(Authentication|Username|terminal prompts)/i);
    expect(r.left).toEqual([]);
  });

  it('a missing ref of a local bare repository', async () => {
    const src = await makeRepo({ '.github/workflows/ci.yml': INJECTABLE(1) });
    const bare = await tempDir();
    const git = (args: string[], cwd: string) => execa('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd });
    await git(['init', '-q', '-b', 'main'], src);
    await git(['add', '.'], src);
    await git(['commit', '-qm', 'x'], src);
    await git(['clone', '-q', '--bare', src, path.join(bare, 'r.git')], bare);
    const ok = await clone(`file://${bare}/r.git`, ['--fail-on', 'none']);
    expect(ok.code).toBe(0);
    expect(ok.left).toEqual([]);
    const r = await clone(`file://${bare}/r.git`, ['--ref', 'no-such-branch']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^pipewarden: could not clone file:\/\/.*r\.git: .*no-such-branch.*$/);
    expect(r.left).toEqual([]);
  });

  it('a clone longer than --clone-timeout', async () => {
    // Accepts the request and never answers: a repository too big for the time limit.
    const base = await serve(() => {});
    const started = Date.now();
    const r = await clone(`${base}/huge.git`, ['--clone-timeout', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`pipewarden: could not clone ${base}/huge.git: timed out after 1 s (--clone-timeout)`);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.left).toEqual([]);
  });

  it('an interrupted clone removes its directory', async () => {
    const base = await serve(() => {});
    const tmp = await tempDir();
    const child = spawn(process.execPath, [BIN, `${base}/slow.git`, '--offline'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Wait until the clone directory exists.
    for (let i = 0; i < 100 && (await readdir(tmp)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await new Promise((r) => child.on('exit', r))).toBe(130);
    expect(stderr).toContain('pipewarden: interrupted (SIGINT)');
    expect(await readdir(tmp)).toEqual([]);
  });

  it('--clone-timeout must be a positive number', async () => {
    const r = await run(['x/y', '--clone-timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--clone-timeout must be a number of seconds above 0');
  });
});

