/**
 * `pipewarden org` and `pipewarden merge` against the loopback GitHub stand-in.
 *
 * Scale (500 repositories): listed through the real API client (five pages), filtered, sharded
 * and merged for real; the per-repository audit is injected (a deterministic function of the
 * name) because 500 git clones per run, several runs, would not fit the suite's time budget.
 * End to end (a handful of repositories): the CLI clones each over smart HTTP from the
 * stand-in and audits it with the real checks, shards and merges, resumes, opens pull requests.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandin, type Standin } from '../scripts/github-standin.js';
import { createClient } from '../src/github/client.js';
import { filterRepositories, inShard, listOrgRepositories, mergeReports, orgExitCode, runOrg, shardOf, type OrgRepository, type RepoResult } from '../src/engine/org.js';
import { parseOrgJson, renderOrg, renderOrgJson } from '../src/reporters/org.js';
import { AREAS, SEVERITIES } from '../src/types.js';
import { tempDir, yaml } from './helpers/repo.js';

const BIN = fileURLToPath(new URL('../bin/pipewarden.js', import.meta.url));
const TOKEN = 'ghp_orgTokenThatMustNeverBePrinted00000000';
const WF = '.github/workflows/ci.yml';
const unpinned = yaml('on: push', 'permissions:', '  contents: read', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - run: make test');

let gh: Standin;
let cache: string;
beforeAll(async () => {
  gh = await startGitHubStandin({}, true);
  cache = await tempDir();
  // 500 small repositories in "big"; every 50th archived, every 70th a fork, every 10th tagged "service".
  for (let i = 0; i < 500; i++) {
    const name = `big/repo-${String(i).padStart(3, '0')}`;
    gh.seedRepository(name, { files: { 'README.md': `# ${i}\n` }, archived: i % 50 === 7, fork: i % 70 === 3, topics: i % 10 === 0 ? ['service'] : [] });
  }
});
afterAll(async () => {
  await gh.close();
});

/** A stand-in audit: findings derived from the name alone, so any two runs agree. */
function fakeAudit(calls: string[], fail = new Set<string>()): (repo: OrgRepository) => Promise<RepoResult> {
  return async (repo) => {
    calls.push(repo.fullName);
    await new Promise((r) => setImmediate(r));
    if (fail.has(repo.fullName)) throw new Error(`could not clone ${repo.fullName}: remote hung up`);
    const n = shardOf(repo.fullName, 7);
    const findings = Array.from({ length: n }, (_, k) => ({
      check: 'unpinned-uses',
      area: AREAS[(n + k) % AREAS.length]!,
      severity: SEVERITIES[(n * 3 + k) % SEVERITIES.length]!,
      file: WF,
      line: 8 + k,
      column: 15,
      message: `uses actions/checkout@v${k}`,
      fingerprint: `${repo.fullName}.${k}`,
    }));
    return { repository: repo.fullName, status: 'ok', filesScanned: 1, findings, auditErrors: [] };
  };
}

describe('org at scale (500 repositories, audit injected)', () => {
  let listed: OrgRepository[];
  let selected: OrgRepository[];
  beforeAll(async () => {
    const before = gh.requests.length;
    listed = await listOrgRepositories(createClient({ token: TOKEN, githubUrl: gh.url }), 'big');
    const pages = gh.requests.slice(before).filter((r) => r.path.startsWith('/api/v3/orgs/big/repos'));
    expect(pages).toHaveLength(5);
    selected = filterRepositories(listed, {});
  });

  it('lists every page, then skips archived repositories and forks unless asked; globs and topics select by name', () => {
    expect(listed).toHaveLength(500);
    expect(new Set(listed.map((r) => r.fullName)).size).toBe(500);
    const archived = listed.filter((r) => r.archived).length;
    const forks = listed.filter((r) => r.fork).length;
    expect(archived).toBe(10);
    expect(forks).toBe(8);
    expect(selected).toHaveLength(500 - listed.filter((r) => r.archived || r.fork).length);
    expect(filterRepositories(listed, { includeArchived: true, includeForks: true })).toHaveLength(500);
    expect(filterRepositories(listed, { include: ['repo-1*'] }).map((r) => r.fullName).every((n) => n.startsWith('big/repo-1'))).toBe(true);
    expect(filterRepositories(listed, { include: ['repo-1*'], exclude: ['repo-10*'] }).some((r) => r.fullName.startsWith('big/repo-10'))).toBe(false);
    const services = filterRepositories(listed, { topics: ['service'] });
    expect(services.length).toBeGreaterThan(40);
    expect(services.every((r) => Number(r.fullName.slice(-3)) % 10 === 0)).toBe(true);
    expect(gh.violations).toEqual([]);
  });

  it('puts every repository in exactly one shard, and the merged shards equal one unsharded run', async () => {
    const count = 4;
    const shards = Array.from({ length: count }, (_, index) => inShard(selected, { index, count }));
    const seen = shards.flat().map((r) => r.fullName);
    expect(seen).toHaveLength(selected.length);
    expect(new Set(seen)).toEqual(new Set(selected.map((r) => r.fullName)));
    for (const s of shards) expect(s.length).toBeGreaterThan(selected.length / count / 2);

    const whole = await runOrg({ org: 'big', repositories: selected, concurrency: 4, audit: fakeAudit([]) });
    const parts = [];
    for (let index = count - 1; index >= 0; index--) {
      const shard = { index, count };
      // Each shard sees the repositories in a different order (as if listed at another moment).
      const report = await runOrg({ org: 'big', repositories: [...shards[index]!].reverse(), shard, concurrency: 3, audit: fakeAudit([]) });
      const file = `shard-${index}.json`;
      parts.push({ file, report: parseOrgJson(file, renderOrgJson(report)) });
    }
    const merged = mergeReports(parts);
    for (const format of ['json', 'csv', 'markdown', 'text', 'html'] as const) expect(renderOrg(merged, format)).toBe(renderOrg(whole, format));
    expect(whole.repositories.map((r) => r.repository)).toEqual(selected.map((r) => r.fullName));

    expect(() => mergeReports(parts.slice(1))).toThrow(/shard 3\/4 missing/);
    expect(() => mergeReports([...parts, parts[0]!])).toThrow(/both shard/);
  });

  it('records a failing repository with its error and goes on; every repository failing exits 3', async () => {
    const bad = new Set([selected[3]!.fullName, selected[250]!.fullName]);
    const calls: string[] = [];
    const progress: string[] = [];
    const report = await runOrg({ org: 'big', repositories: selected, concurrency: 4, audit: fakeAudit(calls, bad), onProgress: (p) => p.result?.status === 'failed' && progress.push(`${p.done}/${p.total} ${p.repository} ${p.failures}`) });
    expect(calls).toHaveLength(selected.length);
    const failed = report.repositories.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.repository).sort()).toEqual([...bad].sort());
    expect(failed[0]!.error).toMatch(/could not clone big\/repo-\d+: remote hung up/);
    expect(progress).toHaveLength(2);
    expect(progress[1]).toMatch(/ 2$/);
    expect(report.repositories.filter((r) => r.status === 'ok')).toHaveLength(selected.length - 2);
    const json = JSON.parse(renderOrgJson(report)) as { failures: Array<{ repository: string }>; totals: { failed: number } };
    expect(json.totals.failed).toBe(2);
    expect(json.failures.map((f) => f.repository).sort()).toEqual([...bad].sort());
    expect(orgExitCode(report, 'none')).toBe(0);
    const allBad = await runOrg({ org: 'big', repositories: selected.slice(0, 5), concurrency: 2, audit: fakeAudit([], new Set(selected.slice(0, 5).map((r) => r.fullName))) });
    expect(orgExitCode(allBad, 'high')).toBe(3);
  });

  it('resumes an interrupted run from the state file: repositories already done are not audited again', async () => {
    const state = path.join(await tempDir(), 'state.json');
    const firstCalls: string[] = [];
    const stop = 120;
    const realAudit = fakeAudit(firstCalls);
    let started = 0;
    // The first run is interrupted: after 120 repositories every audit hangs, as a killed process would stop.
    const interrupted = runOrg({ org: 'big', repositories: selected, concurrency: 4, stateFile: state, audit: (r) => (started++ < stop ? realAudit(r) : new Promise<never>(() => {})) });
    void interrupted;
    await expect.poll(async () => ((JSON.parse(await readFile(state, 'utf8').catch(() => '{"results":[]}')) as { results: unknown[] }).results.length), { timeout: 10_000 }).toBe(stop);
    const secondCalls: string[] = [];
    const resumed: string[] = [];
    const report = await runOrg({ org: 'big', repositories: selected, concurrency: 4, stateFile: state, audit: fakeAudit(secondCalls), onProgress: (p) => p.resumed && resumed.push(p.repository) });
    expect(resumed).toHaveLength(stop);
    expect(secondCalls).toHaveLength(selected.length - stop);
    expect(new Set([...resumed, ...secondCalls])).toEqual(new Set(selected.map((r) => r.fullName)));
    for (const r of resumed) expect(secondCalls).not.toContain(r);
    const whole = await runOrg({ org: 'big', repositories: selected, concurrency: 4, audit: fakeAudit([]) });
    expect(renderOrgJson(report)).toBe(renderOrgJson(whole));
    // A state file of another run is refused, not silently mixed in.
    await expect(runOrg({ org: 'other', repositories: [], concurrency: 1, stateFile: state, audit: fakeAudit([]) })).rejects.toThrow(/belongs to another run/);
    await writeFile(state, 'not json');
    await expect(runOrg({ org: 'big', repositories: [], concurrency: 1, stateFile: state, audit: fakeAudit([]) })).rejects.toThrow(/not JSON/);
  });
});

describe('pipewarden org end to end (real clones from the stand-in)', () => {
  const env = { CI: 'true', GH_TOKEN: TOKEN, XDG_CACHE_HOME: '' };
  const run = (...args: string[]) => execa('node', [BIN, ...args, '--github-url', gh.url], { reject: false, env: { ...env, XDG_CACHE_HOME: cache }, timeout: 120_000 });
  const clones = (from: number, org: string) => gh.requests.slice(from).filter((r) => r.path.startsWith(`/${org}/`) && r.path.includes('/info/refs')).map((r) => r.path.split('/')[2]!);
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    gh.seedRepository('acme/api', { files: { [WF]: unpinned } });
    gh.seedRepository('acme/web', { files: { [WF]: unpinned, 'README.md': '# web\n' }, topics: ['frontend'] });
    gh.seedRepository('acme/docs', { files: { 'README.md': '# docs\n' } });
    gh.seedRepository('acme/old', { files: { [WF]: unpinned }, archived: true });
    gh.seedRepository('acme/mirror', { files: { [WF]: unpinned }, fork: true });
    gh.seedRepository('acme/gone', { files: { [WF]: unpinned } });
    // Listed, but its git remote is broken: the clone fails.
    gh.serveGitRepository('acme/gone', path.join(dir, 'no-such-bare-repo'));
  });

  it('audits each selected repository, records the failing one, and the shards merge into the same report', async () => {
    const from = gh.requests.length;
    const whole = await run('org', 'acme', '--format', 'json', '-o', path.join(dir, 'whole.json'), '--fail-on', 'none', '--concurrency', '2');
    expect(whole.exitCode, whole.stderr).toBe(0);
    expect(clones(from, 'acme').sort()).toEqual(['api.git', 'docs.git', 'gone.git', 'web.git']);
    const doc = JSON.parse(await readFile(path.join(dir, 'whole.json'), 'utf8')) as { repositories: Array<{ repository: string; status: string; findings: Array<{ check: string }>; byArea: Record<string, number> }>; failures: Array<{ repository: string; error: string }> };
    expect(doc.repositories.map((r) => r.repository)).toEqual(['acme/api', 'acme/docs', 'acme/gone', 'acme/web']);
    expect(doc.failures).toEqual([{ repository: 'acme/gone', error: expect.stringMatching(/could not clone/) }]);
    const api = doc.repositories[0]!;
    expect(api.findings.map((f) => f.check)).toContain('unpinned-uses');
    expect(api.byArea.pinning).toBeGreaterThan(0);
    expect(whole.stderr).toMatch(/\[\d\/4\] acme\/gone: FAILED: could not clone/);
    expect(whole.stderr).toMatch(/\[4\/4\] acme\/\w+: \d+ finding/);

    for (const i of [0, 1]) {
      const r = await run('org', 'acme', '--shard', `${i}/2`, '--format', 'json', '-o', path.join(dir, `shard-${i}.json`), '--fail-on', 'none');
      // A shard whose repositories all failed exits 3 (its report is still written for the merge).
      const members = ['acme/api', 'acme/docs', 'acme/gone', 'acme/web'].filter((n) => shardOf(n, 2) === i);
      expect(r.exitCode, r.stderr).toBe(members.length > 0 && members.every((n) => n === 'acme/gone') ? 3 : 0);
    }
    const merged = await execa('node', [BIN, 'merge', path.join(dir, 'shard-1.json'), path.join(dir, 'shard-0.json'), '--format', 'json', '-o', path.join(dir, 'merged.json'), '--fail-on', 'none'], { reject: false });
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'merged.json'), 'utf8')).toBe(await readFile(path.join(dir, 'whole.json'), 'utf8'));
    // The merge applies --fail-on across all repositories, like the run.
    const failing = await execa('node', [BIN, 'merge', path.join(dir, 'shard-0.json'), path.join(dir, 'shard-1.json'), '--format', 'csv', '--fail-on', 'low'], { reject: false });
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout.split('\r\n')[0]).toBe(['repository', 'status', ...AREAS, ...SEVERITIES, 'total', 'error'].join(','));
    const missing = await execa('node', [BIN, 'merge', path.join(dir, 'shard-0.json')], { reject: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('shard 1/2 missing');
    for (const out of [whole, merged]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
    expect(gh.violations).toEqual([]);
  });

  it('--include-archived, --include-forks, --topic and name globs choose what is cloned; html links the matrix to each repository', async () => {
    const from = gh.requests.length;
    const r = await run('org', 'acme', '--include-archived', '--include-forks', '--exclude', 'gone,doc*', '--format', 'html', '--fail-on', 'none');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(clones(from, 'acme').sort()).toEqual(['api.git', 'mirror.git', 'old.git', 'web.git']);
    expect(r.stdout).toContain('<a href="#repo-acme_old">acme/old</a>');
    expect(r.stdout).toContain('<section id="repo-acme_old">');
    const topic = gh.requests.length;
    const t = await run('org', 'acme', '--topic', 'frontend', '--fail-on', 'none');
    expect(clones(topic, 'acme')).toEqual(['web.git']);
    expect(t.stdout).toMatch(/^acme\/web +\.? +\d+/m);
  });

  it('resumes from --state without cloning again; exit 1 at --fail-on, 3 when every repository fails', async () => {
    const state = path.join(dir, 'state.json');
    const first = await run('org', 'acme', '--state', state, '--fail-on', 'none');
    expect(first.exitCode, first.stderr).toBe(0);
    const from = gh.requests.length;
    const again = await run('org', 'acme', '--state', state, '--fail-on', 'medium');
    expect(again.exitCode).toBe(1);
    // Only the failed repository is tried again.
    expect(clones(from, 'acme')).toEqual(['gone.git']);
    expect(again.stderr).toMatch(/acme\/api: done before \(from --state\)/);
    expect(again.stdout).toBe(first.stdout);
    const onlyBroken = await run('org', 'acme', '--include', 'gone');
    expect(onlyBroken.exitCode).toBe(3);
    const none = await run('org', 'acme', '--include', 'nothing-*');
    expect(none.exitCode).toBe(3);
    expect(none.stderr).toContain('none of its 6 repositories match');
    const unknown = await run('org', 'nobody-here');
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toContain('organisation nobody-here not found');
    const usage = await run('org', 'acme', '--shard', '2/2');
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain('--shard must be i/n with 0 <= i < n');
    const single = await run('org', 'acme', '--keep-clone', dir);
    expect(single.exitCode).toBe(2);
    expect(single.stderr).toContain('--keep-clone is for a single audit');
    const csvElsewhere = await execa('node', [BIN, '.', '--format', 'csv'], { reject: false });
    expect(csvElsewhere.exitCode).toBe(2);
    const stray = await execa('node', [BIN, '.', '--shard', '0/2'], { reject: false });
    expect(stray.stderr).toContain('--shard goes with pipewarden org');
  });

  it('--fix opens one pull request per repository with fixes, one at a time; a second run pushes nothing', async () => {
    const first = await run('org', 'acme', '--fix', '--exclude', 'gone', '--fail-on', 'none');
    expect(first.exitCode, first.stderr).toBe(0);
    expect(gh.pulls('acme/api')).toHaveLength(1);
    expect(gh.pulls('acme/web')).toHaveLength(1);
    expect(gh.pulls('acme/docs').length).toBeLessThanOrEqual(1);
    expect(first.stdout).toMatch(/acme\/api: #\d+ created http/);
    const second = await run('org', 'acme', '--fix', '--exclude', 'gone', '--fail-on', 'none');
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/acme\/api: #\d+ unchanged/);
    expect(gh.pulls('acme/api')).toHaveLength(1);
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(TOKEN);
    expect(gh.violations).toEqual([]);
  });
});

describe('organisation report formats', () => {
  const report = {
    org: 'acme',
    repositories: [
      { repository: 'acme/b', status: 'failed' as const, error: 'could not clone: <boom>', filesScanned: 0, findings: [], auditErrors: [] },
      {
        repository: 'acme/a',
        status: 'ok' as const,
        filesScanned: 2,
        auditErrors: [],
        findings: [
          { check: 'template-injection', area: 'injection' as const, severity: 'high' as const, file: WF, line: 3, column: 9, message: '`${{ github.event.issue.title }}` <script>alert(1)</script> | x', fingerprint: 'a.0' },
          { check: 'unpinned-uses', area: 'pinning' as const, severity: 'medium' as const, file: WF, line: 8, column: 15, message: '=HYPERLINK("x")', fingerprint: 'b.0' },
        ],
      },
    ],
  };
  it('orders repositories canonically and counts by area and severity in every format', () => {
    const json = JSON.parse(renderOrg(report, 'json')) as { repositories: Array<{ repository: string; byArea: Record<string, number> }>; totals: { bySeverity: Record<string, number>; failed: number } };
    expect(json.repositories.map((r) => r.repository)).toEqual(['acme/a', 'acme/b']);
    expect(json.repositories[0]!.byArea).toMatchObject({ injection: 1, pinning: 1, permissions: 0 });
    expect(json.totals).toMatchObject({ failed: 1, bySeverity: { high: 1, medium: 1, low: 0 } });
    const text = renderOrg(report, 'text');
    expect(text).toMatch(/^acme\/a +\. +1 +\. +\. +1/m);
    expect(text).toContain('acme/b: could not clone: <boom>');
    const md = renderOrg(report, 'markdown');
    expect(md).toContain('| `acme/a` | 0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 2 | ok |');
    expect(md).toContain('- `acme/b`: could not clone: <boom>');
  });
  it('escapes repository text in HTML and keeps CSV cells from running as formulas', () => {
    const html = renderOrg(report, 'html');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<a href="#repo-acme_a">acme/a</a>');
    expect(html).toContain("default-src 'none'");
    const csv = renderOrg({ org: 'acme', repositories: [{ ...report.repositories[0]!, error: '=cmd|x' }] }, 'csv');
    expect(csv.split('\r\n')[1]).toMatch(/^acme\/b,failed,(0,){15}0,"'=cmd\|x"$/);
  });
  it('merge reads back what the JSON format writes, and says which file is wrong', () => {
    expect(renderOrgJson(parseOrgJson('x.json', renderOrgJson(report)))).toBe(renderOrgJson(report));
    expect(() => parseOrgJson('x.json', '{')).toThrow(/x\.json: not JSON/);
    expect(() => parseOrgJson('y.json', '{"kind":"other"}')).toThrow(/y\.json: not a pipewarden org report/);
  });
});
