/** Every kind of bad input gives a per-file error naming the file and line, and the audit goes on. */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditDirectory } from '../src/audit/audit.js';
import type { Check } from '../src/check.js';
import { CHECKS } from '../src/registry.js';
import { makeRepo, tempDir, yaml } from './helpers/repo.js';

const GOOD = yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: actions/checkout@v4');

async function auditWith(files: Record<string, string | Uint8Array>) {
  const dir = await makeRepo({ '.github/workflows/good.yml': GOOD, ...files });
  const { report } = await auditDirectory(dir, { checks: CHECKS, identity: { owner: 'acme', name: 'widgets' } });
  // The good workflow is always still audited.
  expect(report.findings.some((f) => f.file === '.github/workflows/good.yml' && f.check === 'unpinned-uses')).toBe(true);
  return report;
}

const BAD = '.github/workflows/bad.yml';

describe('bad input', () => {
  it.each([
    ['malformed YAML', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '   steps: oops'), 5, /YAML/],
    ['an empty file', '', 1, /empty/],
    ['on: as a number', yaml('on: 3', 'jobs: {}'), 1, /`on:` must be an event name, a list or a map/],
    ['jobs: that is not a map', yaml('on: push', 'jobs: [a, b]'), 2, /`jobs:` must be a map, found a list/],
    ['a job that is not a map', yaml('on: push', 'jobs:', '  a: 3'), 3, /job `a` must be a map/],
    ['steps that are not maps', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - just a string'), 6, /step 1 must be a map, found a string/],
    ['steps: that is not a list', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps: nope'), 5, /`steps:` must be a list/],
    ['uses: empty', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: ""'), 6, /`uses:` is empty/],
    ['uses: a number', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: 42'), 6, /`uses:` must be a string, found a number/],
    ['uses: without @', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: actions/checkout'), 6, /has no @ref/],
    ['uses: @ with nothing after', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: actions/checkout@'), 6, /nothing after @/],
    ['uses: one segment', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: checkout@v4'), 6, /owner\/repo/],
    ['job uses: too many path segments', yaml('on: push', 'jobs:', '  a:', '    uses: o/r/.github/workflows/x/y.yml@v1'), 4, /must be owner\/repo\/.github\/workflows/],
    ['duplicate keys', yaml('on: push', 'on: pull_request', 'jobs: {}'), 2, /YAML/],
  ])('%s', async (_name, text, line, message) => {
    const report = await auditWith({ [BAD]: text });
    const errors = report.errors.filter((e) => e.file === BAD);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.line).toBe(line);
    expect(errors.map((e) => e.message).join('\n')).toMatch(message);
  });

  it('a Renovate file that does not parse is an error with its line', async () => {
    const report = await auditWith({ 'renovate.json': '{\n  "extends": ,\n  "pinDigests": true\n}\n' });
    expect(report.errors.find((e) => e.file === 'renovate.json')).toMatchObject({ line: 2, message: expect.stringMatching(/^cannot parse: .*\(2:14\)$/) });
  });

  it('on: as a string, a list and a map all give triggers', async () => {
    const dir = await makeRepo({
      '.github/workflows/a.yml': yaml('on: push', 'jobs: {}'),
      '.github/workflows/b.yml': yaml('on: [push, pull_request_target]', 'jobs: {}'),
      '.github/workflows/c.yml': yaml('on:', '  workflow_run:', '    workflows: [x]', 'jobs: {}'),
    });
    const { model } = await auditDirectory(dir, { checks: CHECKS });
    expect(model.workflows.map((w) => w.triggers.map((t) => t.event))).toEqual([['push'], ['push', 'pull_request_target'], ['workflow_run']]);
  });

  it('a YAML alias bomb stops at the budget with an error, not a hang', async () => {
    const lines = ['a0: &a0 [x, y]'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const bomb = yaml('on: push', 'env:', ...lines.map((l) => `  ${l}`), 'jobs:', '  a:', '    runs-on: x', '    env: *a29', '    steps:', '      - run: echo ${{ github.event.issue.title }}');
    const report = await auditWith({ [BAD]: bomb });
    expect(report.errors.some((e) => e.file === BAD && /alias/.test(e.message))).toBe(true);
  });

  it('a workflow of a thousand jobs that each merge one small anchored base is read whole, not taken for a bomb', async () => {
    // Each job reads the base and its anchored env and steps: over 10,000 resolutions, which a count of them took for a bomb.
    const jobs = ['  base: &base', '    runs-on: ubuntu-latest', '    env: &env { A: "1" }', '    steps:', '      - &checkout', '        uses: actions/checkout@v4', '      - &greet', '        run: echo hello'];
    for (let i = 0; i < 1000; i++) jobs.push(`  job${i}:`, '    <<: *base', '    env: *env', '    steps:', '      - *checkout', '      - *greet', `      - run: echo "${i} \${{ github.event.issue.title }}"`);
    const report = await auditWith({ [BAD]: yaml('on: issues', 'permissions: {}', 'jobs:', ...jobs) });
    expect(report.errors.filter((e) => e.file === BAD)).toEqual([]);
    // The last job is read too.
    expect(report.findings.some((f) => f.check === 'template-injection' && f.message.includes('github.event.issue.title') && f.line > 7000)).toBe(true);
  });

  it('a large anchor used a few hundred times is an alias bomb too (what an alias stands for counts, not how many)', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => `    K${i}: "${i}"`);
    const jobs = Array.from({ length: 300 }, (_, i) => [`  j${i}:`, '    runs-on: x', '    env: *big', '    steps:', '      - run: make']).flat();
    const report = await auditWith({ [BAD]: yaml('on: push', 'env: &big', ...big, 'jobs:', ...jobs) });
    expect(report.errors.some((e) => e.file === BAD && /alias bomb/.test(e.message))).toBe(true);
  });

  it('a file over 5 MiB is skipped with an error', async () => {
    const big = 'on: push\n' + '#'.repeat(10 * 1024 * 1024) + '\n';
    const report = await auditWith({ [BAD]: big });
    expect(report.errors.find((e) => e.file === BAD)?.message).toMatch(/over the 5 MiB limit/);
  });

  it('a non-UTF-8 file names the line of the first bad byte', async () => {
    const bytes = Buffer.concat([Buffer.from('on: push\njobs:\n  # caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const report = await auditWith({ [BAD]: bytes });
    expect(report.errors.find((e) => e.file === BAD)).toMatchObject({ line: 3, message: expect.stringMatching(/not valid UTF-8/) });
  });

  it('a binary file is skipped', async () => {
    const report = await auditWith({ [BAD]: Buffer.from([0x6f, 0x6e, 0x00, 0x01]) });
    expect(report.errors.find((e) => e.file === BAD)?.message).toMatch(/binary/);
  });

  it('a directory named like a workflow', async () => {
    const dir = await makeRepo({ '.github/workflows/good.yml': GOOD, '.github/workflows/dir.yml/inner.txt': 'x' });
    const { report } = await auditDirectory(dir, { checks: CHECKS });
    expect(report.errors).toContainEqual({ file: '.github/workflows/dir.yml', message: 'is a directory, not a file; skipped' });
  });

  it('dangling symlinks and symlinks out of the repository are not followed', async () => {
    const outside = await tempDir();
    await writeFile(path.join(outside, 'secret.yml'), yaml('on: push', 'jobs:', '  leak:', '    runs-on: x', '    steps: [{uses: evil/x@main}]'));
    const dir = await makeRepo({ '.github/workflows/good.yml': GOOD, 'inside.yml': GOOD });
    await symlink(path.join(outside, 'secret.yml'), path.join(dir, '.github/workflows/out.yml'));
    await symlink(path.join(dir, 'missing.yml'), path.join(dir, '.github/workflows/dangling.yml'));
    await symlink(path.join(dir, 'inside.yml'), path.join(dir, '.github/workflows/inside.yml'));
    await mkdir(path.join(outside, 'd'));
    await symlink(outside, path.join(dir, 'linked-dir'));
    const { report } = await auditDirectory(dir, { checks: CHECKS });
    expect(report.errors).toContainEqual({ file: '.github/workflows/out.yml', message: 'symlink points outside the repository; not followed' });
    expect(report.errors).toContainEqual({ file: '.github/workflows/dangling.yml', message: 'dangling symlink; skipped' });
    expect(report.findings.some((f) => f.file === '.github/workflows/inside.yml')).toBe(true);
    expect(report.findings.some((f) => f.message.includes('evil/x'))).toBe(false);
  });

  it('.gitignore is respected', async () => {
    const dir = await makeRepo({ '.gitignore': 'build/\n', 'build/action.yml': yaml('runs:', '  using: composite', '  steps: [{uses: a/b@main}]'), '.github/workflows/good.yml': GOOD });
    const { report } = await auditDirectory(dir, { checks: CHECKS });
    expect(report.findings.some((f) => f.file.startsWith('build/'))).toBe(false);
  });

  it('a check that throws becomes that check\'s error and the others still report', async () => {
    const broken: Check = {
      meta: { ...CHECKS[0]!.meta, id: 'broken-check' },
      run() {
        throw new Error('boom');
      },
    };
    const dir = await makeRepo({ '.github/workflows/good.yml': GOOD });
    const { report } = await auditDirectory(dir, { checks: [broken, ...CHECKS] });
    expect(report.errors).toContainEqual({ file: '.', check: 'broken-check', message: 'check broken-check failed: boom' });
    expect(report.findings.length).toBeGreaterThan(0);
  });
});
