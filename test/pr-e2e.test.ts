/**
 * `pipewarden --fix owner/repo` end to end against the loopback GitHub stand-in: the repository
 * is cloned over git smart HTTP from the stand-in, fixed, and proposed as one pull request; a
 * second run finds it and pushes nothing; a run whose pull request fails leaves no branch.
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandin, type Standin } from '../scripts/github-standin.js';
import { tempDir, yaml } from './helpers/repo.js';

const BIN = fileURLToPath(new URL('../bin/pipewarden.js', import.meta.url));
const TOKEN = 'ghp_e2eTokenThatMustNeverBePrinted000000';
const WF = '.github/workflows/ci.yml';
const before = yaml('on: push', 'permissions:', '  contents: read', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - run: make test');

let gh: Standin;
let cache: string;
beforeAll(async () => {
  // Synthesising: every action ref resolves to a commit derived from its name.
  gh = await startGitHubStandin({}, true);
  cache = await tempDir();
});
afterAll(async () => {
  await gh.close();
});

const run = (target: string, ...extra: string[]) =>
  execa('node', [BIN, '--fix', target, '--github-url', gh.url, '--fail-on', 'none', ...extra], { reject: false, env: { CI: 'true', GH_TOKEN: TOKEN, XDG_CACHE_HOME: cache }, timeout: 90_000 });

describe('remediation pull requests from the command line', () => {
  it('opens one pull request with the verified fixes; a second run updates nothing', async () => {
    const head = gh.seedRepository('acme/app', { files: { [WF]: before, 'README.md': '# app\n' } });
    const first = await run('acme/app');
    // Pinning, persist-credentials, new dependency-review and Scorecard workflows (the SECURITY.md fix is unsafe: a person must fill it in).
    expect(first.stderr).toMatch(/pull request #1 opened: http\S+ \(\d+ fixes, branch pipewarden\/fixes-[0-9a-f]+\)/);
    expect(first.exitCode).toBe(0);
    const pulls = gh.pulls('acme/app');
    expect(pulls).toHaveLength(1);
    const branch = pulls[0]!.head.split(':')[1]!;
    const files = gh.readBranch('acme/app', branch);
    const fixed = files.get(WF)!;
    expect(fixed).toMatch(/ {6}- uses: actions\/checkout@[0-9a-f]{40} # v4\n {8}with:\n {10}persist-credentials: false\n {6}- run: make test\n$/);
    expect(files.get('README.md')).toBe('# app\n');
    expect([...files.keys()].sort()).toEqual(['.github/workflows/ci.yml', '.github/workflows/dependency-review.yml', '.github/workflows/scorecard.yml', 'README.md']);
    expect(pulls[0]!.body).toContain('persist-credentials');
    expect(pulls[0]!.body).toContain('unpinned-uses');
    // The default branch is untouched.
    expect(gh.refs('acme/app')['refs/heads/main']).toBe(head);

    const again = await run('acme/app');
    expect(again.stderr).toContain('pull request #1 unchanged (nothing new to push)');
    expect(gh.pulls('acme/app')).toHaveLength(1);
    for (const out of [first, again]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
    expect(gh.violations).toEqual([]);
  });

  it('a pull request that cannot be opened leaves no branch behind and exits 3', async () => {
    const head = gh.seedRepository('acme/broken', { files: { [WF]: before } });
    gh.inject({ method: 'POST', pathPattern: /^\/repos\/acme\/broken\/pulls$/, status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'nope' }] } });
    const r = await run('acme/broken');
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/pull request not opened: .*the branch pipewarden\/fixes-[0-9a-f]+ was deleted again/);
    expect(gh.refs('acme/broken')).toEqual({ 'refs/heads/main': head });
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('without a token it says what is needed; with --offline an owner/repo target is a usage error', async () => {
    gh.seedRepository('acme/notoken', { files: { [WF]: before } });
    const none = await execa('node', [BIN, '--fix', 'acme/notoken', '--github-url', gh.url], { reject: false, env: { CI: 'true', XDG_CACHE_HOME: cache, PATH: '/usr/bin:/bin' }, extendEnv: false });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('opening a pull request needs a GitHub token');
    const offline = await execa('node', [BIN, 'acme/notoken', '--offline'], { reject: false, env: { CI: 'true' } });
    expect(offline.exitCode).toBe(2);
    expect(offline.stderr).toContain('--offline makes no network requests, so acme/notoken cannot be cloned');
    expect(gh.pulls('acme/notoken')).toEqual([]);
  });
});
