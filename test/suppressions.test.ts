import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseConfig, parseYamlPath } from '../src/config/config.js';
import { RepoSession } from '../src/engine/session.js';
import { CHECKS } from '../src/registry.js';
import { renderSarif } from '../src/reporters/sarif.js';
import { makeRepo, tempDir, yaml } from './helpers/repo.js';

const BIN = fileURLToPath(new URL('../bin/pipewarden.js', import.meta.url));
const require = createRequire(import.meta.url);
const KNOWN = new Set(CHECKS.map((c) => c.meta.id));
const WF = '.github/workflows/label.yml';
const PRT = yaml(
  'on: pull_request_target',
  'permissions:',
  '  pull-requests: write',
  'jobs:',
  '  label:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: gh pr edit "$PR" --add-label triage',
  '        env:',
  '          PR: ${{ github.event.pull_request.number }}',
);

async function session(files: Record<string, string>, extra: Partial<Parameters<typeof RepoSession.open>[1]> = {}) {
  const dir = await makeRepo(files);
  return { dir, session: await RepoSession.open(dir, { checks: CHECKS, identity: { owner: 'acme', name: 'widgets' }, now: new Date('2026-12-01T12:00:00Z'), ...extra }) };
}

const ids = (fs: Array<{ check: string }>): string[] => [...new Set(fs.map((f) => f.check))].sort();

describe('.pipewarden.yml', () => {
  it('reports every problem with its file and line', () => {
    const config = parseConfig(
      '.pipewarden.yml',
      yaml(
        'ignore:',
        '  - check: dangerous-trigger',
        '    path: x.yml',
        '  - check: no-such-check',
        '    reason: r',
        '  - check: no-dco',
        '    reason: handled by the DCO app',
        '    expires: 31/12/2027',
        '  - check: no-dco',
        '    reason: r',
        '    colour: blue',
        'checks:',
        '  persist-credentials: loud',
        'extra: 1',
      ),
      KNOWN,
    );
    expect(config.errors).toEqual([
      { file: '.pipewarden.yml', line: 2, message: 'ignore entry for dangerous-trigger has no `reason:`; say why the finding is acceptable' },
      { file: '.pipewarden.yml', line: 4, message: 'unknown check id `no-such-check` (see pipewarden checks)' },
      { file: '.pipewarden.yml', line: 8, message: '`expires:` must be a date written YYYY-MM-DD' },
      { file: '.pipewarden.yml', line: 11, message: 'unknown key `colour` in an ignore entry (expected check, path, line, yaml-path, reason, expires)' },
      { file: '.pipewarden.yml', line: 13, message: '`persist-credentials` must be `off` or one of critical, high, medium, low, info' },
      { file: '.pipewarden.yml', line: 14, message: 'unknown key `extra` (expected ignore, checks, exclude)' },
    ]);
    expect(config.ignore).toEqual([]);
  });

  it('parses YAML paths', () => {
    expect(parseYamlPath('jobs.build.steps[2].uses')).toEqual(['jobs', 'build', 'steps', 2, 'uses']);
    expect(parseYamlPath('jobs."a.b"[0]')).toEqual(['jobs', 'a.b', 0]);
    expect(parseYamlPath('')).toBeUndefined();
    expect(parseYamlPath('jobs..x')).toBeUndefined();
  });

  it('an ignore entry suppresses by check, path glob and YAML path; SARIF reports it as suppressed and stays valid', async () => {
    const config = yaml(
      'ignore:',
      '  - check: dangerous-trigger',
      "    path: '.github/workflows/*.yml'",
      '    reason: only labels pull requests; reviewed by @acme/security',
      '    expires: 2027-06-30',
      '  - check: secrets-in-untrusted-trigger',
      '    path: .github/workflows/label.yml',
      '    yaml-path: permissions',
      '    reason: labelling needs pull-requests write',
    );
    const { session: s } = await session({ [WF]: PRT, '.pipewarden.yml': config });
    const { report } = await s.audit();
    expect(ids(report.findings)).not.toContain('dangerous-trigger');
    expect(ids(report.findings)).not.toContain('secrets-in-untrusted-trigger');
    expect(report.suppressed.map((f) => [f.check, f.suppression])).toEqual([
      ['dangerous-trigger', { kind: 'external', justification: 'only labels pull requests; reviewed by @acme/security', source: '.pipewarden.yml:2', expires: '2027-06-30' }],
      ['secrets-in-untrusted-trigger', { kind: 'external', justification: 'labelling needs pull-requests write', source: '.pipewarden.yml:6' }],
    ]);
    const sarif = JSON.parse(renderSarif(report));
    const schema = JSON.parse(await readFile(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    expect(validate(sarif)).toBe(true);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed.map((r: { ruleId: string; suppressions: Array<{ kind: string; justification: string }> }) => [r.ruleId, r.suppressions[0]!.kind, r.suppressions[0]!.justification])).toEqual([
      ['dangerous-trigger', 'external', 'only labels pull requests; reviewed by @acme/security'],
      ['secrets-in-untrusted-trigger', 'external', 'labelling needs pull-requests write'],
    ]);
    for (const r of sarif.runs[0].results) expect(r.partialFingerprints['pipewarden/v1']).toMatch(/^[0-9a-f]{16}\.\d+$/);
  });

  it('an expired entry stops suppressing and is reported (low), naming the entry', async () => {
    const { session: s } = await session({
      [WF]: PRT,
      '.pipewarden.yml': yaml('ignore:', '  - check: dangerous-trigger', '    path: .github/workflows/label.yml', '    reason: reviewed in 2025', '    expires: 2026-11-30'),
    });
    const { report } = await s.audit();
    expect(ids(report.findings)).toContain('dangerous-trigger');
    expect(report.findings.find((f) => f.check === 'expired-suppression')).toMatchObject({
      file: '.pipewarden.yml',
      line: 2,
      severity: 'low',
      message: 'the suppression of `dangerous-trigger` for `.github/workflows/label.yml` expired on 2026-11-30 ("reviewed in 2025"); its findings count again',
    });
  });

  it('an entry still suppresses on the day it expires', async () => {
    const { session: s } = await session({ [WF]: PRT, '.pipewarden.yml': yaml('ignore:', '  - check: dangerous-trigger', '    reason: reviewed', '    expires: 2026-12-01') });
    const { report } = await s.audit();
    expect(ids(report.findings)).not.toContain('dangerous-trigger');
    expect(ids(report.findings)).not.toContain('expired-suppression');
  });

  it('checks: off turns a check off, a severity remaps it; exclude: drops paths; entries that match nothing are listed', async () => {
    const { session: s } = await session({
      [WF]: PRT,
      'test/fixtures/bad/.github/workflows/x.yml': PRT,
      '.pipewarden.yml': yaml('checks:', '  dangerous-trigger: off', '  missing-permissions: info', 'exclude:', '  - test/fixtures/', 'ignore:', '  - check: persist-credentials', '    reason: nothing to match'),
    });
    const { report } = await s.audit();
    expect(ids(report.findings)).not.toContain('dangerous-trigger');
    expect(report.findings.every((f) => !f.file.startsWith('test/'))).toBe(true);
    expect(report.unusedSuppressions).toEqual([{ check: 'persist-credentials', source: '.pipewarden.yml:7', reason: 'nothing to match' }]);
  });

  it('a configuration with problems is a configuration error (exit 2) naming file and line', async () => {
    const dir = await makeRepo({ [WF]: PRT, '.pipewarden.yml': yaml('ignore:', '  - check: dangerous-trigger') });
    const r = await execa('node', [BIN, dir, '--ci'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('.pipewarden.yml:2: ignore entry for dangerous-trigger has no `reason:`');
  });
});

describe('inline ignores', () => {
  it('apply on the finding\'s line or the line above; one without a reason is an error and does not apply', async () => {
    const text = yaml(
      'on: pull_request_target # pipewarden: ignore[dangerous-trigger] only labels, no checkout',
      'permissions: {}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      # pipewarden: ignore[persist-credentials] needs to push tags',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # pipewarden: ignore[persist-credentials]',
    );
    const { session: s } = await session({ [WF]: text });
    const { report } = await s.audit();
    expect(report.suppressed.map((f) => [f.check, f.line, f.suppression?.kind, f.suppression?.justification])).toEqual([
      ['dangerous-trigger', 1, 'inSource', 'only labels, no checkout'],
      ['persist-credentials', 8, 'inSource', 'needs to push tags'],
    ]);
    expect(report.findings.filter((f) => f.check === 'persist-credentials').map((f) => f.line)).toEqual([9]);
    expect(report.errors).toContainEqual({ file: WF, line: 9, message: '`# pipewarden: ignore[check-id] reason` needs a check id and a reason; not applied' });
  });
});

describe('baselines and fingerprints', () => {
  const original = yaml(
    'on: push',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/checkout@v4',
    '      - run: echo "${{ github.event.head_commit.message }}"',
  );
  // The same workflow reformatted: 4-space indentation, quoted values, a comment and a new step above.
  const reformatted = yaml(
    '# CI',
    'on: push',
    '',
    'jobs:',
    '    build:',
    "        runs-on: 'ubuntu-latest'",
    '        steps:',
    '            - run: make lint',
    '            - uses: "actions/checkout@v4"',
    '            - uses: actions/checkout@v4',
    '            - run: echo "${{ github.event.head_commit.message }}"',
  );
  const CI = '.github/workflows/ci.yml';

  it('fingerprints survive reformatting and moved lines; a new finding gets a new one', async () => {
    const a = await (await session({ [CI]: original })).session.audit();
    const b = await (await session({ [CI]: reformatted })).session.audit();
    const fa = a.report.findings.map((f) => f.fingerprint).sort();
    const fb = b.report.findings.map((f) => f.fingerprint).sort();
    expect(fa.length).toBeGreaterThanOrEqual(4);
    expect(fb).toEqual(fa);
    const c = await (await session({ [CI]: original.replace('      - run: echo', '      - uses: actions/setup-go@v5\n      - run: echo') })).session.audit();
    const added = c.report.findings.filter((f) => !fa.includes(f.fingerprint));
    expect(added.map((f) => f.message)).toEqual(['`actions/setup-go@v5` is pinned to a tag, not a full commit SHA']);
  });

  it('--write-baseline then --baseline: known findings no longer fail the build, a new one does', async () => {
    const dir = await makeRepo({ [CI]: original });
    const out = await tempDir();
    const baseline = path.join(out, 'baseline.json');
    const first = await execa('node', [BIN, dir, '--ci', '--repo', 'acme/widgets', '--write-baseline', baseline], { reject: false });
    expect(first.exitCode).toBe(1);
    const written = JSON.parse(await readFile(baseline, 'utf8'));
    expect(written.version).toBe(1);
    expect(written.findings.length).toBeGreaterThanOrEqual(4);
    await writeFile(path.join(dir, CI), reformatted);
    const again = await execa('node', [BIN, dir, '--ci', '--repo', 'acme/widgets', '--baseline', baseline, '--fail-on', 'low'], { reject: false });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/\d+ in the baseline \(not shown\)/);
    await writeFile(path.join(dir, CI), reformatted.replace('run: make lint', 'run: echo "${{ github.event.pull_request.title }}"'));
    const worse = await execa('node', [BIN, dir, '--ci', '--repo', 'acme/widgets', '--baseline', baseline, '--format', 'json'], { reject: false });
    expect(worse.exitCode).toBe(1);
    const doc = JSON.parse(worse.stdout);
    expect(doc.findings.filter((f: { baseline?: boolean }) => !f.baseline).map((f: { check: string }) => f.check)).toEqual(['template-injection']);
    expect(doc.summary.baseline).toBe(written.findings.length);
  });

  it('a baseline that is not a pipewarden baseline is a usage error', async () => {
    const dir = await makeRepo({ [CI]: original });
    const bad = path.join(await tempDir(), 'b.json');
    await writeFile(bad, '{"findings": 3}');
    const r = await execa('node', [BIN, dir, '--ci', '--baseline', bad], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('baseline must be {"version": 1');
  });
});

describe('writing suppressions through the session', () => {
  it('creates .pipewarden.yml with the entry, then appends the next one, and the findings go', async () => {
    const { dir, session: s } = await session({ [WF]: PRT });
    const first = (await s.audit()).report.findings.find((f) => f.check === 'dangerous-trigger')!;
    const made = await s.suppress(first, { reason: 'only labels pull requests', expires: '2027-06-30', where: 'config' });
    expect(made).toMatchObject({ file: '.pipewarden.yml' });
    expect(await readFile(path.join(dir, '.pipewarden.yml'), 'utf8')).toBe(
      yaml(
        '# pipewarden configuration: accepted findings, check settings, paths not to audit.',
        'ignore:',
        '  - check: dangerous-trigger',
        '    path: ".github/workflows/label.yml"',
        '    yaml-path: "on"',
        '    reason: "only labels pull requests"',
        '    expires: 2027-06-30',
      ),
    );
    const next = s.current!.report.findings.find((f) => f.check === 'secrets-in-untrusted-trigger')!;
    expect(s.current!.report.findings.some((f) => f.check === 'dangerous-trigger')).toBe(false);
    await s.suppress(next, { reason: 'labelling needs "write"', where: 'config' });
    expect(await readFile(path.join(dir, '.pipewarden.yml'), 'utf8')).toBe(
      yaml(
        '# pipewarden configuration: accepted findings, check settings, paths not to audit.',
        'ignore:',
        '  - check: dangerous-trigger',
        '    path: ".github/workflows/label.yml"',
        '    yaml-path: "on"',
        '    reason: "only labels pull requests"',
        '    expires: 2027-06-30',
        '  - check: secrets-in-untrusted-trigger',
        '    path: ".github/workflows/label.yml"',
        '    yaml-path: "permissions.pull-requests"',
        '    reason: "labelling needs \\"write\\""',
      ),
    );
    expect(s.current!.report.suppressed.map((f) => f.check)).toEqual(['dangerous-trigger', 'secrets-in-untrusted-trigger']);
  });

  it('writes an inline comment above the finding, and refuses one inside a multi-line script', async () => {
    const text = yaml(
      'on: pull_request',
      'permissions: {}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
      '      - run: |',
      '          echo "${{ github.head_ref }}"',
    );
    const { dir, session: s } = await session({ '.github/workflows/ci.yml': text });
    const { report } = await s.audit();
    const checkout = report.findings.find((f) => f.check === 'persist-credentials')!;
    await s.suppress(checkout, { reason: 'pushes release tags', where: 'inline' });
    expect(await readFile(path.join(dir, '.github/workflows/ci.yml'), 'utf8')).toBe(text.replace('      - uses: actions/checkout', '      # pipewarden: ignore[persist-credentials] pushes release tags\n      - uses: actions/checkout'));
    const injection = s.current!.report.findings.find((f) => f.check === 'template-injection')!;
    expect(await s.suppress(injection, { reason: 'x', where: 'inline' })).toEqual({ refused: 'the finding is inside a multi-line value, where a comment line would change it; use the config file' });
    expect(await s.suppress(injection, { reason: '  ', where: 'config' })).toEqual({ refused: 'a suppression needs a reason' });
  });
});

describe('nothing to audit', () => {
  it('exits 3 and says so on stderr', async () => {
    const dir = await makeRepo({ 'README.md': '# nothing here\n' });
    const r = await execa('node', [BIN, dir, '--ci'], { reject: false });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('nothing to audit');
  });
});
