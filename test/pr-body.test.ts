import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { groupFixes, mdCode, mdText, pinsFromFixes, renderPullRequestBody, type FixOutcomeLike } from '../src/github/pr-body.js';
import type { Finding } from '../src/types.js';
import { makeRepo, tempDir, yaml } from './helpers/repo.js';

const BIN = fileURLToPath(new URL('../bin/pipewarden.js', import.meta.url));
const CHECKOUT = '11bd71901bbe5b1630ceea73d27597364c9af683';
const SETUP_NODE = '49933ea5288caeca8642d1e84afbd3f7d6820020';

/** Real pinning fixes, as the engine makes them, from the CLI's JSON output with a pin cache. */
async function pinningFindings(): Promise<Finding[]> {
  const dir = await makeRepo({
    '.github/workflows/ci.yml': yaml(
      'on: push',
      'permissions: {}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with: {persist-credentials: false}',
      '      - uses: actions/setup-node@v4 # node',
    ),
  });
  const cache = await tempDir();
  await mkdir(path.join(cache, 'pipewarden'), { recursive: true });
  const entry = (sha: string, version: string) => ({ sha, version, kind: 'tag', resolvedAt: '2020-01-01T00:00:00Z' });
  await writeFile(
    path.join(cache, 'pipewarden', 'resolutions.json'),
    JSON.stringify({ version: 1, entries: { 'actions/checkout@v4': entry(CHECKOUT, 'v4.2.2'), 'actions/setup-node@v4': entry(SETUP_NODE, 'v4.4.0') } }),
  );
  const run = await execa('node', [BIN, dir, '--format', 'json', '--offline', '--checks', 'unpinned-uses', '--fail-on', 'none'], { reject: false, env: { CI: 'true', XDG_CACHE_HOME: cache } });
  return (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
}

const base: Omit<Finding, 'check' | 'area' | 'file' | 'line' | 'message'> = { severity: 'high', confidence: 'high', column: 1, endLine: 1, endColumn: 2, remediation: 'Do the right thing.', fixable: true };

describe('pull request body', () => {
  it('lists fixes with why they matter, unsafe fixes to review, the pins with versions, and what was left', async () => {
    const pinning = await pinningFindings();
    expect(pinning.map((f) => f.fix?.title)).toEqual(['Pin actions/checkout@v4 to 11bd71901bbe (v4.2.2)', 'Pin actions/setup-node@v4 to 49933ea5288c (v4.4.0)']);
    const fixed: FixOutcomeLike[] = [
      ...pinning.map((f) => ({ finding: f, fix: f.fix!, status: 'applied' as const })),
      {
        finding: { ...base, check: 'pull-request-target-checkout', area: 'triggers' as Finding['area'], file: '.github/workflows/pr.yml', line: 3, message: 'checks out the <PR head> for @octocat in #12' },
        fix: { title: 'Check out the base commit instead', safety: 'unsafe', edits: [], newFiles: [], changes: [] },
        status: 'applied',
      },
    ];
    const left = [{ finding: { ...base, check: 'unpinned-uses', area: 'pinning' as const, file: '.github/workflows/ci.yml', line: 12, message: '`other/unknown@v1` is pinned to a tag' }, reason: 'other/unknown has no tag or branch named v1' }];
    const why = (id: string) => (id === 'unpinned-uses' ? 'A tag can be moved to malicious code; a commit SHA cannot.' : undefined);
    const body = renderPullRequestBody({ fixed: [...fixed, { ...fixed[0]!, status: 'overlap' }], left, why });
    expect(body).toBe(
      [
        '<!-- pipewarden:remediation -->',
        'pipewarden found 4 CI supply-chain problems and fixes 3 of them in this pull request.',
        '',
        '### Fixed (3)',
        '',
        '- **`unpinned-uses`** at `.github/workflows/ci.yml:7`: Pin actions/checkout@v4 to 11bd71901bbe (v4.2.2)',
        '  - Problem: `actions/checkout@v4` is pinned to a tag, not a full commit SHA',
        '  - Why it matters: A tag can be moved to malicious code; a commit SHA cannot.',
        '- **`unpinned-uses`** at `.github/workflows/ci.yml:9`: Pin actions/setup-node@v4 to 49933ea5288c (v4.4.0)',
        '  - Problem: `actions/setup-node@v4` is pinned to a tag, not a full commit SHA',
        '  - Why it matters: A tag can be moved to malicious code; a commit SHA cannot.',
        '- **`pull-request-target-checkout`** at `.github/workflows/pr.yml:3`: Check out the base commit instead **(needs review)**',
        '  - Problem: checks out the &lt;PR head&gt; for @\u200boctocat in #\u200b12',
        '  - Why it matters: Do the right thing.',
        '',
        '### Needs review (1)',
        '',
        'These fixes can change how the workflows behave; check them before merging:',
        '',
        '- `.github/workflows/pr.yml:3`: Check out the base commit instead',
        '',
        '### Pins (2)',
        '',
        '| Action | Was | Now | Version | Where |',
        '| --- | --- | --- | --- | --- |',
        `| \`actions/checkout\` | \`v4\` | \`${CHECKOUT}\` | \`v4.2.2\` | \`.github/workflows/ci.yml:7\` |`,
        `| \`actions/setup-node\` | \`v4\` | \`${SETUP_NODE}\` | \`v4.4.0\` | \`.github/workflows/ci.yml:9\` |`,
        '',
        'Each `uses:` now names a full commit SHA, which cannot be moved; the comment keeps the version readable and lets Dependabot or Renovate update it.',
        '',
        '### Not fixed (1)',
        '',
        '- **`unpinned-uses`** at `.github/workflows/ci.yml:12`: `other/unknown@v1` is pinned to a tag',
        '  - Why not: other/unknown has no tag or branch named v1',
        '',
        '---',
        'Opened by pipewarden. Run it again to update this pull request; it changes only branches it created.',
        '',
        'Generated-by: pipewarden',
        '',
      ].join('\n'),
    );
    // Deterministic: the order outcomes arrive in does not matter.
    expect(renderPullRequestBody({ fixed: [...fixed].reverse(), left, why })).toBe(body);
    expect(pinsFromFixes(fixed)).toEqual([
      { action: 'actions/checkout', from: 'v4', sha: CHECKOUT, version: 'v4.2.2', file: '.github/workflows/ci.yml', line: 7 },
      { action: 'actions/setup-node', from: 'v4', sha: SETUP_NODE, version: 'v4.4.0', file: '.github/workflows/ci.yml', line: 9 },
    ]);
  });

  it('reads pins written as one `@<sha> # <version>` edit too', () => {
    const f: Finding = { ...base, check: 'mutable-internal-ref', area: 'pinning', file: 'a.yml', line: 4, message: 'm' };
    const fix = { title: 'Pin acme/shared/setup@main to aaaaaaaaaaaa (main)', safety: 'safe' as const, edits: [{ file: 'a.yml', start: 0, end: 5, text: `acme/shared/setup@${'a'.repeat(40)} # main` }], newFiles: [], changes: [] };
    expect(pinsFromFixes([{ finding: f, fix, status: 'applied' }, { finding: f, fix, status: 'rolled-back' }])).toEqual([{ action: 'acme/shared/setup', from: 'main', sha: 'a'.repeat(40), version: 'main', file: 'a.yml', line: 4 }]);
  });

  it('stays under GitHub\'s body limit, saying how many were left out', () => {
    const many: FixOutcomeLike[] = Array.from({ length: 2000 }, (_, i) => ({
      finding: { ...base, check: 'excessive-permissions', area: 'permissions', file: `.github/workflows/w${String(i).padStart(4, '0')}.yml`, line: 1, message: 'x'.repeat(40) },
      fix: { title: 'Add permissions: {}', safety: 'safe', edits: [], newFiles: [], changes: [] },
      status: 'applied',
    }));
    const body = renderPullRequestBody({ fixed: many, left: [] });
    expect(body.length).toBeLessThan(65_536);
    expect(body).toMatch(/\n- … and \d+ more \(the description is limited in length; run pipewarden locally for the full list\)\n/);
    expect(body.endsWith('Generated-by: pipewarden\n')).toBe(true);
    const shown = (body.match(/^- \*\*/gm) ?? []).length;
    const more = Number(/and (\d+) more/.exec(body)![1]);
    expect(shown + more).toBe(2000);
  });

  it('markdown helpers: code spans survive backticks, text cannot inject HTML or mentions', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdText('<img src=x> @team *bold* a@b.c `@keep <this>`')).toBe('&lt;img src=x&gt; @\u200bteam \\*bold\\* a@b.c `@keep <this>`');
  });

  it('groups outcomes by area or by check, in a stable order, with branch prefixes', () => {
    const mk = (check: string, area: Finding['area'], file: string): FixOutcomeLike => ({
      finding: { ...base, check, area, file, line: 1, message: 'm' },
      fix: { title: 't', safety: 'safe', edits: [], newFiles: [], changes: [] },
      status: 'applied',
    });
    const outcomes = [mk('unpinned-uses', 'pinning', 'b.yml'), mk('excessive-permissions', 'permissions', 'a.yml'), mk('mutable-internal-ref', 'pinning', 'a.yml')];
    expect(groupFixes(outcomes, 'area').map((g) => [g.key, g.branchPrefix, g.outcomes.map((o) => o.finding.check)])).toEqual([
      ['permissions', 'pipewarden/permissions', ['excessive-permissions']],
      ['pinning', 'pipewarden/pinning', ['mutable-internal-ref', 'unpinned-uses']],
    ]);
    expect(groupFixes(outcomes, 'check').map((g) => g.branchPrefix)).toEqual(['pipewarden/excessive-permissions', 'pipewarden/mutable-internal-ref', 'pipewarden/unpinned-uses']);
  });
});
