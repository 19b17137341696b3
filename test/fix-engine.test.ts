import { chmod, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Check } from '../src/check.js';
import { planFixes } from '../src/fix/engine.js';
import { discover } from '../src/loader/discover.js';
import { lineRange } from '../src/analysis/repo-facts.js';
import type { Fix } from '../src/types.js';
import { writeAtomically } from '../src/fix/write.js';
import { makeRepo, tempDir, yaml } from './helpers/repo.js';

const BIN = fileURLToPath(new URL('../bin/pipewarden.js', import.meta.url));
const WF = '.github/workflows/ci.yml';
const TEXT = yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', '      - run: make');

/** A check whose "fix" is whatever the test hands it, reported on line 1 until the marker appears. */
function checkWithFix(id: string, makeFix: (text: string) => Fix): Check {
  return {
    meta: { id, title: 't', area: 'pinning', severity: 'high', description: 'test check', why: 'test check', howToFix: 'test check', example: 'test check', fixable: true },
    run({ repo, report }) {
      const file = repo.files.find((f) => f.path === WF)!;
      if (file.text.includes(`# ${id}`)) return;
      report({ file: WF, range: lineRange(file.text, 1), message: 'marker missing', fix: makeFix(file.text) });
    },
  };
}

const fixAt = (id: string, start: number, end: number, text: string, changes: Fix['changes'] = []): Fix => ({ title: id, safety: 'safe', edits: [{ file: WF, start, end, text }], newFiles: [], changes });

describe('fix engine', () => {
  it('verifies and applies a fix in a workflow that uses one small anchor over a thousand times', async () => {
    // The package's count of alias uses (maxAliasCount) refused to expand this file: every fix to it was rolled back.
    const steps = Array.from({ length: 1200 }, () => ['      - run: make', '        env: *e']).flat();
    const text = yaml('on: push', 'permissions: {}', 'env: &e { A: "1" }', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...steps);
    const marker = checkWithFix('marker', () => fixAt('marker', 0, 0, '# marker\n'));
    const dir = await makeRepo({ [WF]: text });
    const plan = await planFixes(await discover(dir), { include: 'all', checks: [marker] });
    expect(plan.outcomes.map((o) => [o.status, o.reason])).toEqual([['applied', undefined]]);
    expect(plan.files.get(WF)?.after).toBe(`# marker\n${text}`);
  });

  it('rolls back a fix that breaks the YAML, and one that changes the document outside its paths', async () => {
    const breaks = checkWithFix('breaks', () => fixAt('breaks', 0, 0, '# breaks\n: : [\n'));
    const changesMore = checkWithFix('changes-more', (t) => fixAt('changes-more', t.indexOf('make'), t.indexOf('make') + 4, 'make all # changes-more'));
    const dir = await makeRepo({ [WF]: TEXT });
    const plan = await planFixes(await discover(dir), { include: 'all', checks: [breaks, changesMore] });
    expect(plan.files.size).toBe(0);
    const outcomes = plan.outcomes.map((o) => [o.finding.check, o.status, o.reason]).sort();
    expect(outcomes).toEqual([
      ['breaks', 'rolled-back', expect.stringMatching(/no longer parses/)],
      ['changes-more', 'rolled-back', `${WF} changed outside the paths the fix declared`],
    ]);
  });

  it('keeps a fix whose change is declared, and rolls back one that leaves its finding', async () => {
    const ok = checkWithFix('ok', (t) => fixAt('ok', t.indexOf('make'), t.indexOf('make') + 4, 'make all # ok', [{ file: WF, path: ['jobs', 'a', 'steps', 1, 'run'] }]));
    const noop = checkWithFix('noop', () => fixAt('noop', 0, 0, '# still here\n'));
    const plan = await planFixes(await discover(await makeRepo({ [WF]: TEXT })), { include: 'all', checks: [ok, noop] });
    expect(plan.outcomes.map((o) => [o.finding.check, o.status])).toEqual([
      ['ok', 'applied'],
      ['noop', 'rolled-back'],
    ]);
    expect(plan.files.get(WF)?.after).toContain('- run: make all # ok');
  });

  it('rolls back a fix that parses but adds an actionlint error, with actionlint\'s message; keeps one that adds none', async () => {
    // A step that both uses an action and runs a command: valid YAML, invalid workflow.
    const usesAndRun = checkWithFix('uses-and-run', (t) => {
      const at = t.indexOf('\n', t.indexOf('actions/checkout@')) + 1;
      return fixAt('uses-and-run', at, at, '        run: echo hi # uses-and-run\n', [{ file: WF, path: ['jobs', 'a', 'steps', 0, 'run'] }]);
    });
    const unknownKey = checkWithFix('unknown-key', (t) => {
      const at = t.indexOf('    steps:');
      return fixAt('unknown-key', at, at, '    timeout: 5 # unknown-key\n', [{ file: WF, path: ['jobs', 'a', 'timeout'] }]);
    });
    const fine = checkWithFix('fine', (t) => {
      const at = t.indexOf('    steps:');
      return fixAt('fine', at, at, '    timeout-minutes: 5 # fine\n', [{ file: WF, path: ['jobs', 'a', 'timeout-minutes'] }]);
    });
    const plan = await planFixes(await discover(await makeRepo({ [WF]: TEXT })), { include: 'all', checks: [usesAndRun, unknownKey, fine] });
    const outcomes = plan.outcomes.map((o) => [o.finding.check, o.status, o.reason]).sort();
    expect(outcomes).toEqual([
      ['fine', 'applied', undefined],
      ['unknown-key', 'rolled-back', expect.stringMatching(/^actionlint: \.github\/workflows\/ci\.yml:\d+:5: unexpected key "timeout" for "job" section.*\[syntax-check\]$/)],
      ['uses-and-run', 'rolled-back', expect.stringMatching(/^actionlint: .*contains "run" key which is used for running shell command \[syntax-check\]$/)],
    ]);
    expect(plan.files.get(WF)?.after).toContain('    timeout-minutes: 5 # fine\n    steps:');
  });

  it('counts only errors a fix adds: one the workflow already had does not roll the fix back', async () => {
    const broken = TEXT.replace('    steps:', '    timeout: 5\n    steps:');
    const ok = checkWithFix('ok', (t) => fixAt('ok', t.indexOf('make'), t.indexOf('make') + 4, 'make all # ok', [{ file: WF, path: ['jobs', 'a', 'steps', 1, 'run'] }]));
    const plan = await planFixes(await discover(await makeRepo({ [WF]: broken })), { include: 'all', checks: [ok] });
    expect(plan.outcomes.map((o) => [o.finding.check, o.status])).toEqual([['ok', 'applied']]);
  });

  it('defers overlapping fixes to a later pass and reports the ones that never apply', async () => {
    const a = checkWithFix('first', () => fixAt('first', 0, 2, '# first\non'));
    const b = checkWithFix('second', () => fixAt('second', 0, 2, 'on'));
    const plan = await planFixes(await discover(await makeRepo({ [WF]: TEXT })), { include: 'all', checks: [a, b] });
    const statuses = plan.outcomes.map((o) => o.status).sort();
    expect(statuses).toContain('applied');
    expect(statuses.filter((s) => s !== 'applied').every((s) => s === 'rolled-back' || s === 'overlap')).toBe(true);
  });

  it('never lets one fix\'s edits interleave with another\'s: the inner one waits a pass, then applies', async () => {
    const outer = checkWithFix('outer', (t) => ({ ...fixAt('outer', 0, 0, '# outer\n'), edits: [{ file: WF, start: 0, end: 0, text: '# outer\n' }, { file: WF, start: t.length, end: t.length, text: '# outer-end\n' }] }));
    const inner = checkWithFix('inner', (t) => fixAt('inner', t.indexOf('make'), t.indexOf('make') + 4, 'make all # inner', [{ file: WF, path: ['jobs', 'a', 'steps', 1, 'run'] }]));
    const plan = await planFixes(await discover(await makeRepo({ [WF]: TEXT })), { include: 'all', checks: [outer, inner] });
    expect(plan.outcomes.map((o) => [o.finding.check, o.status]).sort()).toEqual([
      ['inner', 'applied'],
      ['outer', 'applied'],
    ]);
    expect(plan.files.get(WF)?.after).toBe(`# outer\n${TEXT.replace('make', 'make all # inner')}# outer-end\n`);
  });

  it('verifies a pass\'s fixes together: the bad ones roll back alone, the rest land as they would one at a time', async () => {
    const steps = 40;
    const text = yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...Array.from({ length: steps }, (_, i) => `      - run: echo step${i}`));
    // One finding per step without its marker; steps 17 and 30 get a fix that fails verification.
    let audits = 0;
    const mark: Check = {
      meta: { id: 'mark', title: 't', area: 'pinning', severity: 'high', description: 'test check', why: 'test check', howToFix: 'test check', example: 'test check', fixable: true },
      run({ repo, report }) {
        audits++;
        const file = repo.files.find((f) => f.path === WF)!;
        const lines = file.text.split('\n');
        for (const [n, line] of lines.entries()) {
          const m = /^ {6}- run: echo step(\d+)$/.exec(line);
          if (!m) continue;
          const i = Number(m[1]);
          const range = lineRange(file.text, n + 1);
          const at = range.start + line.indexOf('echo');
          const end = range.start + line.length;
          const path = ['jobs', 'a', 'steps', i, 'run'];
          const fix: Fix =
            i === 17
              ? fixAt('mark', at, end, `echo step${i} marked`) // declares no change
              : i === 30
                ? fixAt('mark', at, end, `"echo step${i} marked`, [{ file: WF, path }]) // no longer parses
                : fixAt('mark', at, end, `echo step${i} marked`, [{ file: WF, path }]);
          report({ file: WF, range, message: `step ${i} unmarked`, fix });
        }
      },
    };
    const repoOf = (t: string) => ({ root: '/nonexistent-batch-repo', files: [{ path: WF, kind: 'workflow' as const, text: t }], vendorDirs: [], errors: [] });
    const plan = await planFixes(repoOf(text), { include: 'all', checks: [mark] });
    const together = audits;
    const byStep = (o: { finding: { message: string } }): number => Number(/step (\d+)/.exec(o.finding.message)![1]);
    const statuses = new Map(plan.outcomes.map((o) => [byStep(o), [o.status, o.reason]]));
    expect(statuses.size).toBe(steps);
    expect(statuses.get(17)).toEqual(['rolled-back', `${WF} changed outside the paths the fix declared`]);
    expect(statuses.get(30)).toEqual(['rolled-back', expect.stringMatching(/no longer parses/)]);
    expect([...statuses].filter(([, [s]]) => s === 'applied').length).toBe(steps - 2);
    // One at a time, later steps first (the engine's order), each verified on the text the ones before left.
    let current = text;
    const alone = new Map<number, unknown[]>();
    audits = 0;
    for (let i = steps - 1; i >= 0; i--) {
      const one = await planFixes(repoOf(current), { include: 'all', checks: [mark], select: (f) => f.message === `step ${i} unmarked` });
      const [o] = one.outcomes;
      alone.set(i, [o!.status, o!.reason]);
      current = one.files.get(WF)?.after ?? current;
    }
    expect(statuses).toEqual(alone);
    expect(plan.files.get(WF)!.after).toBe(current);
    // Halving finds two bad fixes among forty in far fewer re-audits than one each.
    expect(together).toBeLessThan(audits / 2);
  });

  it('does not apply unsafe fixes unless asked', async () => {
    const unsafe = checkWithFix('unsafe', () => ({ ...fixAt('unsafe', 0, 0, '# unsafe\n'), safety: 'unsafe' }));
    const safeOnly = await planFixes(await discover(await makeRepo({ [WF]: TEXT })), { include: 'safe', checks: [unsafe] });
    expect(safeOnly.outcomes).toEqual([]);
    const all = await planFixes(await discover(await makeRepo({ [WF]: TEXT })), { include: 'all', checks: [unsafe] });
    expect(all.outcomes.map((o) => o.status)).toEqual(['applied']);
  });
});

describe('--fix, --patch and --dry-run', () => {
  async function gitRepo(files: Record<string, string>) {
    const dir = await makeRepo(files);
    const env = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    await execa('git', ['init', '-q'], { cwd: dir });
    await execa('git', ['add', '-A'], { cwd: dir, env });
    await execa('git', ['commit', '-qm', 'init'], { cwd: dir, env });
    return dir;
  }
  const run = (args: string[]) => execa('node', [BIN, ...args], { reject: false, env: { CI: 'true' }, stdin: 'ignore', stripFinalNewline: false });
  const checkout = yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2', '      - run: make');

  it('--patch - prints a patch that git apply accepts, and changes nothing', async () => {
    const dir = await gitRepo({ [WF]: checkout });
    const result = await run([dir, '--patch', '-', '--checks', 'persist-credentials']);
    expect(result.exitCode).toBe(0);
    expect(await readFile(path.join(dir, WF), 'utf8')).toBe(checkout);
    await writeFile(path.join(dir, 'fix.patch'), result.stdout);
    await execa('git', ['apply', '--check', 'fix.patch'], { cwd: dir });
    await execa('git', ['apply', 'fix.patch'], { cwd: dir });
    expect(await readFile(path.join(dir, WF), 'utf8')).toContain('persist-credentials: false');
  });

  it('--fix writes atomically with the mode kept, and a second run changes nothing', async () => {
    const dir = await gitRepo({ [WF]: checkout });
    await chmod(path.join(dir, WF), 0o640);
    const first = await run([dir, '--fix', '--checks', 'persist-credentials']);
    expect(first.stderr).toContain('1 fix applied in 1 file');
    expect(first.exitCode).toBe(0);
    expect((await stat(path.join(dir, WF))).mode & 0o777).toBe(0o640);
    const fixed = await readFile(path.join(dir, WF), 'utf8');
    await execa('git', ['commit', '-qam', 'fixed'], { cwd: dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    const second = await run([dir, '--fix', '--checks', 'persist-credentials']);
    expect(second.stderr).toContain('0 fixes applied in 0 files');
    expect(await readFile(path.join(dir, WF), 'utf8')).toBe(fixed);
  });

  it('leaves files with uncommitted changes alone unless --force', async () => {
    const dir = await gitRepo({ [WF]: checkout });
    await writeFile(path.join(dir, WF), checkout + '# local edit\n');
    const refused = await run([dir, '--fix', '--checks', 'persist-credentials']);
    expect(refused.stderr).toContain('left alone (uncommitted changes; --force to fix anyway): .github/workflows/ci.yml');
    expect(await readFile(path.join(dir, WF), 'utf8')).not.toContain('persist-credentials');
    await run([dir, '--fix', '--force', '--checks', 'persist-credentials']);
    expect(await readFile(path.join(dir, WF), 'utf8')).toContain('persist-credentials: false');
  });

  it('never writes through a symlink or out of the repository', async () => {
    const outside = await tempDir();
    const dir = await gitRepo({ 'real/ci.yml': checkout });
    await symlink(path.join(dir, 'real/ci.yml'), path.join(dir, '.github-link'));
    await mkdir(path.join(dir, '.github'));
    await symlink(outside, path.join(dir, '.github/workflows'));
    await expect(writeAtomically(dir, '.github/workflows/new.yml', 'x')).rejects.toThrow('.github/workflows/new.yml would be written outside the repository; not written');
    await expect(writeAtomically(dir, '.github-link', 'x')).rejects.toThrow('.github-link is a symlink; not written');
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(path.join(dir, 'real/ci.yml'), 'utf8')).toBe(checkout);
  });

  it('JSON findings carry their fix with a unified diff', async () => {
    const dir = await makeRepo({ [WF]: checkout });
    const result = await run([dir, '--format', 'json', '--checks', 'persist-credentials', '--fail-on', 'none']);
    const finding = JSON.parse(result.stdout).findings[0];
    expect(finding.fixable).toBe(true);
    expect(finding.fix).toMatchObject({ title: 'Set persist-credentials: false on actions/checkout', safety: 'safe' });
    expect(finding.fix.diff).toContain('+        with:\n+          persist-credentials: false\n');
  });
});
