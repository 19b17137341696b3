/**
 * The bench's pieces still run (npm run bench is not part of CI, and a broken bench would say
 * nothing until someone needs its figures). No timing is asserted here: figures are the bench's.
 * It runs the compiled bench (dist/bench/, built by `npm test`'s pretest) in fresh processes,
 * as the bench itself does.
 */
import { execFileSync } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = path.join(ROOT, 'dist/bench/bench.js');
const run = (...args: string[]): string => execFileSync(process.execPath, [BENCH, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
const child = (...args: string[]): { ms: number; maxRssMiB: number; findings: number; workers: number } => JSON.parse(run('--child', ...args));

let dir: string;
beforeAll(() => {
  dir = run('--generate', '60').trim();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bench', () => {
  it('generates a repository of realistic workflows', async () => {
    expect(await readdir(path.join(dir, '.github/workflows'))).toHaveLength(60);
  });

  it('times the parse floor, the audit on one thread and with workers, each in a fresh process', () => {
    const parse = child('parse', dir);
    const one = child('audit', dir);
    const threads = child('threads', dir);
    for (const r of [parse, one, threads]) {
      expect(r.ms).toBeGreaterThan(0);
      expect(r.maxRssMiB).toBeGreaterThan(0);
    }
    // 60 workflows audit on one thread unless asked; --threads uses a worker per core.
    expect(one.workers).toBe(0);
    expect(threads.workers).toBeGreaterThan(0);
    expect(one.findings).toBeGreaterThan(60);
    expect(threads.findings).toBe(one.findings);
  });

  it('times the parse floor spread over a worker per core: the same documents as on one thread', () => {
    const one = child('parse', dir);
    const spread = child('parse-threads', dir);
    expect(one.findings).toBe(60);
    expect(spread.findings).toBe(60);
    expect(spread.workers).toBeGreaterThan(0);
  });

  it('times each report format through the command line', () => {
    const sizes = ['text', 'json', 'sarif'].map((format) => child('format', dir, format).findings);
    // `findings` is the report's size in characters here: JSON holds every fix's diff.
    for (const bytes of sizes) expect(bytes).toBeGreaterThan(1000);
    expect(sizes[1]).toBeGreaterThan(sizes[0]!);
  });
});
