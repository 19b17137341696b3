/** The interactive view, screen by screen and as one triage flow, with ink-testing-library. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { Resolver } from '../src/github/resolve.js';
import { BINDINGS, bindingsFor } from '../views/keymap.js';
import { KEYS, waitForFrame } from './helpers/frames.js';
import { makeRepo, yaml } from './helpers/repo.js';
import { mount, openSession, tuiRepo } from './helpers/views.js';

afterEach(() => cleanup());

const has = (s: string) => (f: string) => f.includes(s);
import { cursorLine } from './helpers/views.js';

describe('interactive view screens', () => {
  it('progress: shows each phase as it happens, the look-ups n of total, and the time', async () => {
    const dir = await makeRepo({
      '.github/workflows/ci.yml': yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/setup-node@v4', '      - uses: actions/cache@v4'),
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const resolver = { resolve: async () => (await gate, { error: 'offline in this test' }) } as unknown as Resolver;
    const session = await openSession(dir, { resolver });
    let clock = 1_000;
    const ui = mount(session, { now: () => clock });
    const loading = await waitForFrame(ui.lastFrame, has('GitHub look-ups: 0 of 2'));
    expect(loading).toContain('Auditing…');
    expect(loading).toContain('discovering files: 1 found');
    clock = 3_500;
    await waitForFrame(ui.lastFrame, has('Auditing… 2.5 s'));
    release();
    await waitForFrame(ui.lastFrame, has('Repository'));
  });

  it('overview: counts per severity and area, fixable safe/unsafe, suppressions, fix first and the widest fix', async () => {
    const ui = mount(await openSession(await tuiRepo()));
    const f = await waitForFrame(ui.lastFrame, has('Repository'));
    expect(f).toContain('16 findings, 3 files read (2 workflows, 0 actions)');
    expect(f).toContain('critical 1  high 1  medium 10  low 2  info 2');
    expect(f).toContain('Fixable    7 (5 safe, 2 unsafe)   Suppressed 0   Expired suppressions 0');
    expect(f).toMatch(/› credentials\s+6/);
    expect(f).toMatch(/injection\s+1/);
    expect(f).toContain('Fix first');
    expect(f).toContain('critical .github/workflows/ci.yml:13  `github.event.pull_request.title` is expanded into run:');
    expect(f).toContain('fix 3 × checkout persists the token in .git/config');
  });

  it('findings: filters, search, sort, grouping with collapse and expand', async () => {
    const ui = mount(await openSession(await tuiRepo()));
    await waitForFrame(ui.lastFrame, has('Repository'));
    let f = await ui.press('2', has('16 of 16 findings'));
    expect(cursorLine(f)).toMatch(/CRITICAL template-injection\s+\.github\/workflows\/ci\.yml:13/);
    f = await ui.press('s', has('filter: severity critical'));
    expect(f).toContain('1 of 16 findings');
    f = await ui.press('s', has('filter: severity high'));
    expect(f).toContain('1 of 16 findings');
    await ui.press('x', has('no filter'));
    f = await ui.press('f', has('filter: fixable'));
    expect(f).toContain('7 of 16 findings');
    expect(f.split('\n').filter((l) => /^[› ] [+✓]/.test(l))).toHaveLength(7);
    await ui.press('x', has('no filter'));
    await ui.press('/', has('search: '));
    f = await ui.press('codecov', has('search "codecov"'));
    expect(f).toContain('2 of 16 findings');
    await ui.press(KEYS.enter, (x) => !x.includes('search: '));
    await ui.press(KEYS.esc, has('no filter'));
    f = await ui.press('o', has('sort severity'));
    f = await ui.press('o', has('sort file'));
    expect(cursorLine(f)).toContain('.github/CODEOWNERS:1');
    f = await ui.press('v', has('group check'));
    f = await ui.press('v', has('group subject'));
    const groupRow = f.split('\n').find((l) => l.includes('3 × (3 fixable) persist-credentials'));
    expect(groupRow).toContain('▸');
    expect(groupRow).toContain('3 × (3 fixable) persist-credentials');
    // Move onto the group and expand it: its three findings appear under it.
    await ui.moveTo((l) => l.includes('3 × (3 fixable) persist-credentials'));
    f = await ui.press(KEYS.enter, has('▾'));
    expect(f.split('\n').filter((l) => l.includes('persist-credentials') && !l.includes('×'))).toHaveLength(3);
    f = await ui.press(KEYS.enter, has('▸ MEDIUM   3 × (3 fixable)'));
  });

  it('findings: 5,000 findings draw only the rows that fit, and g/G/PgDn move through all of them', async () => {
    const jobs = Array.from({ length: 1250 }, (_, i) => [`  j${i}:`, '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', '      - run: echo ${{ github.event.issue.title }}']).flat();
    const dir = await makeRepo({ '.github/workflows/big.yml': yaml('on: issues', 'permissions: {}', 'jobs:', ...jobs) });
    const session = await openSession(dir);
    const ui = mount(session, {}, { columns: 100, rows: 24 });
    await waitForFrame(ui.lastFrame, has('Repository'), 20_000);
    const total = session.current!.report.findings.length;
    expect(total).toBeGreaterThan(2500);
    const f = await ui.press('2', has(`${total} of ${total} findings`));
    expect(f.split('\n').length).toBeLessThanOrEqual(24);
    const last = session.current!.report.findings.length;
    await ui.press('G', (x) => cursorLine(x) !== cursorLine(f));
    await ui.press('g', (x) => cursorLine(x) === cursorLine(f));
    await ui.press(KEYS.pageDown, (x) => cursorLine(x) !== cursorLine(f));
    expect(last).toBe(total);
  });

  it('detail: message, why, the source with the range marked, how to fix, the diff with its safety, related', async () => {
    const ui = mount(await openSession(await tuiRepo()));
    await waitForFrame(ui.lastFrame, has('Repository'));
    await ui.press('2', has('16 of 16 findings'));
    const f = await ui.press(KEYS.enter, has('Why it matters'));
    expect(f).toContain('CRITICAL template-injection  .github/workflows/ci.yml:13:26');
    expect(f).toContain('> 13 │       - run: echo "Title ${{ github.event.pull_request.title }}"');
    // The carets sit under exactly the expression's columns.
    const lines = f.split('\n');
    const src = lines.findIndex((l) => l.startsWith('> 13 │'));
    const carets = lines[src + 1]!;
    expect(carets.indexOf('^')).toBe(lines[src]!.indexOf('${{'));
    expect(carets.trim()).toBe('^'.repeat('${{ github.event.pull_request.title }}'.length));
    expect(f).toContain('How to fix by hand');
    expect(f).toContain('Automatic fix unsafe  Pass github.event.pull_request.title through env PULL_REQUEST_TITLE');
    // The diff is below the fold: G scrolls to the end.
    const end = await ui.press('G', has('+          PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}'));
    expect(end).toContain('-      - run: echo "Title ${{ github.event.pull_request.title }}"');
    expect(end).toContain('+      - run: echo "Title ${PULL_REQUEST_TITLE}"');
    await ui.press('g', has('Why it matters'));
    // A finding without a fix says why not.
    await ui.press(KEYS.esc, has('16 of 16 findings'));
    await ui.moveTo((l) => l.includes('dangerous-trigger'));
    const g = await ui.press(KEYS.enter, has('Automatic fix'));
    expect(g).toContain('none: this check has no automatic fix for this finding');
  });

  it('detail: the checks a finding stands for (also) and its related locations; search finds a finding by a check folded into it', async () => {
    const dir = await makeRepo({
      '.github/workflows/caller.yml': yaml('on: pull_request_target', 'permissions: {}', 'jobs:', '  call:', '    uses: ./.github/workflows/reusable.yml', '    secrets: inherit'),
      '.github/workflows/reusable.yml': yaml('on: workflow_call', 'permissions: {}', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - run: npm test', '        env:', '          CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }}'),
    });
    const ui = mount(await openSession(dir));
    await waitForFrame(ui.lastFrame, has('Repository'));
    await ui.press('2', has('of 10 findings'));
    await ui.press('/', has('search: '));
    const s = await ui.press('secrets-outside-environment', has('search "secrets-outside-environment"'));
    expect(s).toContain('1 of 10 findings');
    // Medium: no step of the called job runs code or script text an outsider controls.
    expect(cursorLine(s)).toMatch(/MEDIUM\s+secrets-in-untrusted-\s+\.github\/workflows\/reusable\.yml:9/);
    await ui.press(KEYS.enter, (x) => !x.includes('search: '));
    const f = await ui.press(KEYS.enter, has('Why it matters'));
    expect(f).toContain('MEDIUM   secrets-in-untrusted-trigger  .github/workflows/reusable.yml:9:26');
    expect(f).toContain(
      'job `build` reads `CODECOV_TOKEN` in a workflow run by pull_request_target (via\n.github/workflows/caller.yml); pipewarden sees no step that runs code or script text an outsider controls, so\nit is exposed to a compromised step or action',
    );
    expect(f.split('\n')).toContain('also reported as secrets-outside-environment: the same span, for the same cause; this finding stands for it');
    // The last row is below the fold: G scrolls to the end.
    const end = await ui.press('G', has('caller.yml:5:11'));
    const lines = end.split('\n');
    expect(lines[lines.indexOf('Related') + 1]).toBe('  .github/workflows/caller.yml:5:11  calls this workflow from a workflow run by pull_request_target');
  });

  it('credentials: the map as a table, untrusted triggers marked, enter shows the job\'s findings', async () => {
    const ui = mount(await openSession(await tuiRepo()));
    await waitForFrame(ui.lastFrame, has('Repository'));
    const f = await ui.press('4', has('2 secret reads'));
    expect(f).toMatch(/› ! CODECOV_TOKEN\s+\.github\/workflows\/ci\.yml:16 test\s+-\s+pull_request_target!, push/);
    expect(f).toMatch(/ {4}NPM_TOKEN\s+\.github\/workflows\/release\.yml:15 publish\s+npm\s+push/);
    const g = await ui.press(KEYS.enter, has('filter: job .github/workflows/ci.yml test'));
    expect(g).toContain('3 of 16 findings');
    expect(g).toContain('persist-credentials   .github/workflows/ci.yml:12');
    expect(g).not.toContain('ci.yml:18');
    expect(g).not.toContain('release.yml');
  });

  it('help lists every key of the current screen from the keymap', async () => {
    const ui = mount(await openSession(await tuiRepo()), {}, { columns: 160, rows: 44 });
    await waitForFrame(ui.lastFrame, has('Repository'));
    await ui.press('3', has('[3 Queue 0]'));
    const f = await ui.press('?', has('Keys on the queue screen'));
    for (const b of bindingsFor({ screen: 'queue' })) expect(f).toContain(b.description);
    expect(f).not.toContain(BINDINGS.find((b) => b.command === 'filter-severity')!.description);
    await ui.press(KEYS.esc, (x) => !x.includes('Keys on'));
  });

  it('pull requests are shown as unavailable with the reason unless a function is passed in', async () => {
    const ui = mount(await openSession(await tuiRepo()));
    await waitForFrame(ui.lastFrame, has('Repository'));
    await ui.press('2', has('16 of 16 findings'));
    await ui.press('y', has('queued 1 fix'));
    const f = await ui.press('3', has('P pull requests: not available in this build'));
    expect(f).toContain('1 accepted fix');
    await ui.press('P', (x) => x.split('\n').some((l) => l.trim() === 'pull requests: not available in this build'));
    const calls: string[] = [];
    const wired = mount(await openSession(await tuiRepo()), { openPullRequest: async (req) => (calls.push(req.patch), { url: 'https://example.test/pr/1' }) });
    await waitForFrame(wired.lastFrame, has('Repository'));
    await wired.press('2', has('16 of 16 findings'));
    await wired.press('y', has('queued 1 fix'));
    await wired.press('3', has('P open a pull request'));
    await wired.press('P', has('pull request opened: https://example.test/pr/1'));
    expect(calls[0]).toContain('+        env:');
  });

  it('q quits at once with an empty queue and asks first when accepted fixes are unwritten', async () => {
    const ui = mount(await openSession(await tuiRepo()));
    await waitForFrame(ui.lastFrame, has('Repository'));
    await ui.press('2', has('16 of 16 findings'));
    await ui.press('y', has('queued 1 fix'));
    await ui.press('q', has('1 accepted fix is not written. Quit anyway? (y/n)'));
    await ui.press('n', (x) => !x.includes('Quit anyway'));
    expect(ui.exited()).toBe(0);
    await ui.press('q', has('Quit anyway'));
    ui.stdin.write('y');
    await waitForFrame(() => String(ui.exited()), (x) => x === '1');
    const other = mount(await openSession(await tuiRepo()));
    await waitForFrame(other.lastFrame, has('Repository'));
    other.stdin.write('q');
    await waitForFrame(() => String(other.exited()), (x) => x === '1');
  });
});

describe('interactive triage flow', () => {
  it('load, open an area, open a finding, accept its fix, accept a group, suppress one, write a patch', async () => {
    const dir = await tuiRepo();
    const session = await openSession(dir);
    const ui = mount(session, { cwd: dir });
    await waitForFrame(ui.lastFrame, has('Repository'));
    // Open the injection area.
    await ui.press('j', (f) => cursorLine(f).includes('triggers'));
    await ui.press('j', (f) => cursorLine(f).includes('injection'));
    let f = await ui.press(KEYS.enter, has('filter: area injection'));
    expect(f).toContain('1 of 16 findings');
    // Open its finding and accept the fix.
    await ui.press(KEYS.enter, has('Why it matters'));
    f = await ui.press('y', has('queued 1 fix (1 in the queue)'));
    expect(f).toContain('[queued]');
    // Back to all findings, grouped by subject; accept the persist-credentials group.
    await ui.press(KEYS.esc, has('filter: area injection'));
    await ui.press('x', has('no filter'));
    await ui.press('v', has('group check'));
    await ui.press('v', has('group subject'));
    await ui.moveTo((l) => l.includes('3 × (3 fixable) persist-credentials'));
    await ui.press('Y', has('queued 3 fixes (4 in the queue)'));
    // Suppress the pull_request_target finding with a reason and an expiry, in the config file.
    await ui.press('v', has('group file'));
    await ui.press('v', has('group none'));
    await ui.press('/', has('search: '));
    await ui.press('runs on events from forks', has('1 of 16 findings'));
    await ui.press(KEYS.enter, (x) => !x.includes('search: '));
    expect(cursorLine(ui.frame())).toContain('dangerous-trigger');
    await ui.press('i', has('Suppress: reason (required)'));
    await ui.press(KEYS.enter, has('a reason is required'));
    await ui.press('only our own branches reach this workflow', has('only our own branches reach this workflow'));
    await ui.press(KEYS.enter, has('Expires (YYYY-MM-DD'));
    await ui.press('2099-13', has('2099-13'));
    await ui.press(KEYS.enter, has('write the date as YYYY-MM-DD'));
    await ui.press(KEYS.backspace, has('2099-1█'));
    await ui.press('2-31', has('2099-12-31'));
    await ui.press(KEYS.enter, has('Write it to: '));
    f = await ui.press('c', has('written to .pipewarden.yml'));
    expect(f).toContain('+  - check: dangerous-trigger');
    const config = await readFile(path.join(dir, '.pipewarden.yml'), 'utf8');
    expect(config).toBe(
      [
        '# pipewarden configuration: accepted findings, check settings, paths not to audit.',
        'ignore:',
        '  - check: dangerous-trigger',
        '    path: ".github/workflows/ci.yml"',
        '    yaml-path: "on.pull_request_target"',
        '    reason: "only our own branches reach this workflow"',
        '    expires: 2099-12-31',
        '',
      ].join('\n'),
    );
    // The re-audit moved it to the suppressed list.
    expect(session.current!.report.suppressed.map((x) => x.check)).toEqual(['dangerous-trigger']);
    await ui.press(KEYS.esc, has('0 of 15 findings'));
    await ui.press('1', has('Suppressed 1'));
    // The queue: four fixes and their combined diff; save it as a patch.
    f = await ui.press('3', has('+++ b/.github/workflows/ci.yml'));
    expect(f).toContain('4 accepted fixes');
    await ui.press('p', has('Save patch to: pipewarden.patch'));
    await ui.press(KEYS.enter, has('patch saved to pipewarden.patch (2 files)'));
    const patch = await readFile(path.join(dir, 'pipewarden.patch'), 'utf8');
    expect(patch).toBe(EXPECTED_PATCH);
    // Nothing was written to the working tree.
    expect(await readFile(path.join(dir, '.github/workflows/release.yml'), 'utf8')).not.toContain('persist-credentials');
    // Write the fixes: the lists update from the re-audit.
    f = await ui.press('w', has('wrote 4 fixes to 2 files'));
    expect(f).toContain('[3 Queue 0]');
    expect(await readFile(path.join(dir, '.github/workflows/release.yml'), 'utf8')).toContain('persist-credentials: false');
    expect(session.current!.report.findings.some((x) => x.check === 'persist-credentials')).toBe(false);
    await ui.press('2', has('of 11 findings'));
  });
});

/** The four queued fixes (template-injection and three persist-credentials) as one patch. */
const EXPECTED_PATCH = [
  'diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml',
  '--- a/.github/workflows/ci.yml',
  '+++ b/.github/workflows/ci.yml',
  '@@ -10,7 +10,11 @@',
  '     runs-on: ubuntu-latest',
  '     steps:',
  '       - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
  '-      - run: echo "Title ${{ github.event.pull_request.title }}"',
  '+        with:',
  '+          persist-credentials: false',
  '+      - run: echo "Title ${PULL_REQUEST_TITLE}"',
  '+        env:',
  '+          PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}',
  '       - run: npm test',
  '         env:',
  '           CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }}',
  '@@ -18,4 +22,6 @@',
  '     runs-on: ubuntu-latest',
  '     steps:',
  '       - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
  '+        with:',
  '+          persist-credentials: false',
  '       - run: npm run lint',
  'diff --git a/.github/workflows/release.yml b/.github/workflows/release.yml',
  '--- a/.github/workflows/release.yml',
  '+++ b/.github/workflows/release.yml',
  '@@ -10,6 +10,8 @@',
  '     environment: npm',
  '     steps:',
  '       - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
  '+        with:',
  '+          persist-credentials: false',
  '       - run: npm publish',
  '         env:',
  '           NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
  '',
].join('\n');
