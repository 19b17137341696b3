import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type GitHubClient } from '../src/github/client.js';
import { changesHash, openRemediationPullRequest, PullRequestError, type OpenPullRequestOptions } from '../src/github/pull-request.js';
import { startGitHubStandin, type Standin } from '../scripts/github-standin.js';
import { makeRepo, yaml } from './helpers/repo.js';

const TOKEN = 'ghp_pullrequesttesttoken0123456789abcdef';
const WF = '.github/workflows/ci.yml';
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const before = yaml('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4');
const after = yaml('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: actions/checkout@${SHA} # v4.2.2`);
const after2 = yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: actions/checkout@${SHA} # v4.2.2`);
const README = '# app\n';

let gh: Standin;
let client: GitHubClient;
beforeAll(async () => {
  gh = await startGitHubStandin({});
  client = fastClient(TOKEN);
});
afterAll(async () => {
  await gh.close();
});

/** A client for the stand-in without GitHub's real-time pauses between writes. */
function fastClient(token: string, timeoutMs = 15_000): GitHubClient {
  return createClient({ token, githubUrl: gh.url, limits: { writeIntervalMs: 0, notifyIntervalMs: 0, retryAfterUnitMs: 1, timeoutMs } });
}

let seq = 0;
function seed(opts: Parameters<Standin['seedRepository']>[1] = {}): { owner: string; repo: string; full: string; head: string } {
  const repo = `app${++seq}`;
  const full = `acme/${repo}`;
  const head = gh.seedRepository(full, { files: new Map([[WF, before], ['README.md', README]]), ...opts });
  return { owner: 'acme', repo, full, head };
}

function options(r: { owner: string; repo: string }, changes: Map<string, string>, extra: Partial<OpenPullRequestOptions> = {}): OpenPullRequestOptions {
  return { client, owner: r.owner, repo: r.repo, changes, title: 'Pin actions to commit SHAs', body: 'The body.\n', branchPrefix: 'pipewarden/pinning', forkPoll: { attempts: 5, intervalMs: 1 }, ...extra };
}

/** Requests from index `from` on, as `METHOD path` with the /api/v3 prefix cut. */
function since(from: number): string[] {
  return gh.requests.slice(from).map((r) => `${r.method} ${decodeURIComponent(r.path).replace(/^\/api\/v3/, '').replace(/\?.*$/, '')}`);
}

async function failure(p: Promise<unknown>): Promise<PullRequestError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PullRequestError);
  return err as PullRequestError;
}

describe('remediation pull requests against the stateful stand-in', () => {
  it('creates one commit on a pipewarden/ branch from the default branch head and opens the pull request', async () => {
    const r = seed();
    const changes = new Map([[WF, after]]);
    const from = gh.requests.length;
    const res = await openRemediationPullRequest(options(r, changes, { draft: true }));
    const branch = `pipewarden/pinning-${changesHash(changes)}`;
    expect(res).toEqual({ action: 'created', url: `http://127.0.0.1/${r.full}/pull/1`, number: 1, branch });
    expect(gh.readBranch(r.full, branch)).toEqual(new Map([[WF, after], ['README.md', README]]));
    expect(gh.readBranch(r.full, 'main')).toEqual(new Map([[WF, before], ['README.md', README]]));
    expect(gh.pulls(r.full)).toEqual([{ number: 1, state: 'open', title: 'Pin actions to commit SHAs', body: 'The body.\n', head: `acme:${branch}`, base: 'main', draft: true, headSha: gh.refs(r.full)[`refs/heads/${branch}`] }]);
    const commit = gh.commit(r.full, gh.refs(r.full)[`refs/heads/${branch}`]!)!;
    expect(commit.parents).toEqual([r.head]);
    expect(commit.message).toBe('Pin actions to commit SHAs\n\nGenerated-by: pipewarden\n');
    expect(since(from)).toEqual([
      `GET /repos/${r.full}`,
      `GET /repos/${r.full}/git/ref/heads/main`,
      `GET /repos/${r.full}/git/commits/${r.head}`,
      `GET /repos/${r.full}/git/trees/${gh.commit(r.full, r.head)!.tree}`,
      `GET /repos/${r.full}/pulls`,
      `POST /repos/${r.full}/git/blobs`,
      `POST /repos/${r.full}/git/trees`,
      `POST /repos/${r.full}/git/commits`,
      `GET /repos/${r.full}/git/ref/heads/${branch}`,
      `POST /repos/${r.full}/git/refs`,
      `POST /repos/${r.full}/pulls`,
    ]);
    expect(gh.violations).toEqual([]);
  });

  it('the same changes again: unchanged, nothing pushed; different changes: the same pull request updated', async () => {
    const r = seed();
    const first = await openRemediationPullRequest(options(r, new Map([[WF, after]])));
    const refsAfterFirst = gh.refs(r.full);

    const from = gh.requests.length;
    const again = await openRemediationPullRequest(options(r, new Map([[WF, after]])));
    expect(again).toEqual({ ...first, action: 'unchanged' });
    // Compared by listing the trees: not a single write.
    expect(since(from).filter((q) => /^(POST|PATCH|PUT|DELETE) /.test(q))).toEqual([]);
    expect(gh.refs(r.full)).toEqual(refsAfterFirst);

    const updated = await openRemediationPullRequest(options(r, new Map([[WF, after2]]), { title: 'Pin actions and drop permissions', body: 'New body.\n' }));
    expect(updated).toEqual({ action: 'updated', url: first.url, number: first.number, branch: first.branch });
    expect(gh.readBranch(r.full, first.branch)).toEqual(new Map([[WF, after2], ['README.md', README]]));
    const head = gh.refs(r.full)[`refs/heads/${first.branch}`]!;
    expect(gh.commit(r.full, head)!.parents).toEqual([r.head]);
    expect(gh.pulls(r.full)).toEqual([expect.objectContaining({ number: 1, title: 'Pin actions and drop permissions', body: 'New body.\n', state: 'open' })]);
    expect(Object.keys(gh.refs(r.full))).toEqual(['refs/heads/main', `refs/heads/${first.branch}`]);
    expect(gh.violations).toEqual([]);
  });

  it('rebases onto a moved default branch, keeping what others merged there', async () => {
    const r = seed();
    const first = await openRemediationPullRequest(options(r, new Map([[WF, after]])));
    gh.pushCommit(r.full, 'main', { 'CHANGELOG.md': 'v2\n' }, 'Release notes');
    const res = await openRemediationPullRequest(options(r, new Map([[WF, after]])));
    expect(res.action).toBe('updated');
    expect(gh.readBranch(r.full, first.branch)).toEqual(new Map([[WF, after], ['CHANGELOG.md', 'v2\n'], ['README.md', README]]));
  });

  it('refuses to overwrite a pull request branch someone else pushed to', async () => {
    const r = seed();
    const first = await openRemediationPullRequest(options(r, new Map([[WF, after]])));
    const theirs = gh.pushCommit(r.full, first.branch, { 'notes.txt': 'mine\n' }, 'Reviewer tweak');
    const err = await failure(openRemediationPullRequest(options(r, new Map([[WF, after2]]))));
    expect(err.kind).toBe('refused');
    expect(err.message).toBe(
      `the branch ${first.branch} of pull request #1 has a commit pipewarden did not make (${theirs.slice(0, 12)}); pipewarden will not overwrite it — merge or close that pull request first`,
    );
    expect(gh.refs(r.full)[`refs/heads/${first.branch}`]).toBe(theirs);
  });

  it('force-with-lease: a push landing between reading and updating the branch stops the update', async () => {
    const r = seed();
    const first = await openRemediationPullRequest(options(r, new Map([[WF, after]])));
    let theirs = '';
    // Someone pushes while pipewarden is creating its new commit.
    gh.inject({ method: 'POST', pathPattern: new RegExp(`^/repos/${r.full}/git/commits$`), action: 'tap', run: () => (theirs = gh.pushCommit(r.full, first.branch, { 'x.txt': 'x\n' }, 'Hot fix')) });
    const err = await failure(openRemediationPullRequest(options(r, new Map([[WF, after2]]))));
    expect(err.kind).toBe('conflict');
    expect(err.message).toBe(
      `the branch ${first.branch} in ${r.full} moved to ${theirs.slice(0, 12)}, a commit pipewarden did not make; pipewarden will not overwrite someone's work — merge or close the pull request first`,
    );
    expect(gh.refs(r.full)[`refs/heads/${first.branch}`]).toBe(theirs);
  });

  it('without push access, forks (waiting for the fork to appear) and opens the pull request from the fork', async () => {
    const r = seed({ push: false, forkDelay: 2 });
    const changes = new Map([[WF, after]]);
    const res = await openRemediationPullRequest(options(r, changes));
    const branch = `pipewarden/pinning-${changesHash(changes)}`;
    const fork = `pipewarden-bot/${r.repo}`;
    expect(res).toEqual({
      action: 'created',
      url: `http://127.0.0.1/${r.full}/pull/1`,
      number: 1,
      branch,
      fork,
      note: `the token cannot push to ${r.full}, so the branch was pushed to the fork ${fork} and the pull request opened from there`,
    });
    expect(gh.refs(r.full)).toEqual({ 'refs/heads/main': r.head });
    expect(gh.readBranch(fork, branch)).toEqual(new Map([[WF, after], ['README.md', README]]));
    expect(gh.pulls(r.full)).toEqual([expect.objectContaining({ number: 1, head: `pipewarden-bot:${branch}`, base: 'main' })]);
    // Polling saw the fork missing twice, then present.
    expect(gh.requests.filter((q) => q.path === `/api/v3/repos/${fork}`)).toHaveLength(3);

    const again = await openRemediationPullRequest(options(r, changes));
    expect(again.action).toBe('unchanged');
    expect(again.number).toBe(1);
    expect(gh.violations).toEqual([]);
  });

  it('a fork that never appears is reported after a bounded number of checks', async () => {
    const r = seed({ push: false, forkDelay: 100 });
    const err = await failure(openRemediationPullRequest(options(r, new Map([[WF, after]]), { forkPoll: { attempts: 3, intervalMs: 1 } })));
    expect(err.kind).toBe('fork-timeout');
    expect(err.message).toBe(`the fork pipewarden-bot/${r.repo} of ${r.full} did not appear after 3 checks; run again in a minute`);
  });

  it('seeds a repository from a local directory', async () => {
    const dir = await makeRepo({ [WF]: before, 'src/index.ts': 'export {};\n' });
    gh.seedRepository('acme/from-dir', { files: dir });
    const res = await openRemediationPullRequest(options({ owner: 'acme', repo: 'from-dir' }, new Map([[WF, after]])));
    expect(gh.readBranch('acme/from-dir', res.branch)).toEqual(new Map([[WF, after], ['src/index.ts', 'export {};\n']]));
  });

  it('keeps an executable file executable, and will not write through a symbolic link', async () => {
    const r = seed();
    gh.seedRepository(`${r.full}x`, { files: { 'run.sh': 'echo hi\n', 'link.yml': '.github/workflows/ci.yml' }, modes: { 'run.sh': '100755', 'link.yml': '120000' } });
    const res = await openRemediationPullRequest(options({ owner: r.owner, repo: `${r.repo}x` }, new Map([['run.sh', 'echo hello\n']])));
    const head = gh.commit(`${r.full}x`, gh.refs(`${r.full}x`)[`refs/heads/${res.branch}`]!)!;
    const { data } = await client.rest.git.getTree({ owner: r.owner, repo: `${r.repo}x`, tree_sha: head.tree, recursive: '1' });
    expect(data.tree.map((e) => [e.path, e.mode])).toEqual([['link.yml', '120000'], ['run.sh', '100755']]);
    const err = await failure(openRemediationPullRequest(options({ owner: r.owner, repo: `${r.repo}x` }, new Map([['link.yml', 'x']]), { branchPrefix: 'pipewarden/other' })));
    expect(err.message).toBe('link.yml is a symbolic link on main; pipewarden will not replace it with a file — change its target instead');
  });

  it('never writes to an archived repository', async () => {
    const r = seed({ archived: true });
    const err = await failure(openRemediationPullRequest(options(r, new Map([[WF, after]]))));
    expect(err.kind).toBe('refused');
    expect(err.message).toBe(`${r.full} is archived (read-only); pipewarden cannot propose changes to it`);
  });

  it('rejects branch prefixes outside pipewarden/ and paths that are not repository paths', async () => {
    const r = seed();
    await expect(openRemediationPullRequest(options(r, new Map([[WF, after]]), { branchPrefix: 'main' }))).rejects.toThrow('branch prefix "main" must be pipewarden/<group>');
    await expect(openRemediationPullRequest(options(r, new Map([['../x', 'y']])))).rejects.toThrow('not a repository path: "../x"');
    expect(gh.refs(r.full)).toEqual({ 'refs/heads/main': r.head });
  });
});

describe('missing permissions say which', () => {
  it('a classic token without the workflow scope is stopped before anything is written', async () => {
    const r = seed();
    const token = 'ghp_classicnoworkflow000000000000000000';
    gh.setToken(token, { login: 'pipewarden-bot', scopes: ['repo', 'read:org'] });
    const from = gh.requests.length;
    const err = await failure(openRemediationPullRequest({ ...options(r, new Map([[WF, after]])), client: fastClient(token) }));
    expect(err.kind).toBe('missing-permission');
    expect(err.permission).toBe('workflow');
    expect(err.message).toBe(
      'the changes touch .github/workflows/ci.yml, and GitHub refuses workflow changes from a classic token without the `workflow` scope (this token has: repo, read:org); add the `workflow` scope',
    );
    expect(since(from)).toEqual([`GET /repos/${r.full}`]);
  });

  it('a workflow refusal on the ref update (tokens that do not list scopes) names the workflow permission; the branch is not left behind', async () => {
    const r = seed();
    gh.inject({
      method: 'POST',
      pathPattern: new RegExp(`^/repos/${r.full}/git/refs$`),
      status: 422,
      body: { message: 'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission', documentation_url: 'https://docs.github.com/rest' },
    });
    const err = await failure(openRemediationPullRequest(options(r, new Map([[WF, after]]))));
    expect(err.permission).toBe('workflow');
    expect(err.message).toBe(
      `updating a branch of ${r.full}: GitHub refused to change a workflow file (.github/workflows/ci.yml): the token needs the \`workflow\` scope (classic token) or \`workflows: write\` (fine-grained token or GitHub App) (GitHub said: refusing to allow a GitHub App to create or update workflow \`.github/workflows/ci.yml\` without \`workflows\` permission)`,
    );
    expect(gh.refs(r.full)).toEqual({ 'refs/heads/main': r.head });
  });

  it('the stand-in enforces the workflow scope on ref updates too, and pipewarden reads its answer', async () => {
    const r = seed();
    const token = 'ghp_classicrepoonly1111111111111111111';
    gh.setToken(token, { login: 'pipewarden-bot', scopes: ['repo'] });
    // workflowFiles: false skips the up-front check, so the server's answer is what is reported.
    const err = await failure(openRemediationPullRequest({ ...options(r, new Map([[WF, after]]), { workflowFiles: false }), client: fastClient(token) }));
    expect(err.permission).toBe('workflow');
    expect(err.message).toContain('refusing to allow a Personal Access Token to create or update workflow `.github/workflows/ci.yml` without `workflow` scope');
    expect(gh.refs(r.full)).toEqual({ 'refs/heads/main': r.head });
  });

  it('a token that cannot write contents: contents: write', async () => {
    const r = seed();
    const token = 'github_pat_nocontents22222222222222222';
    gh.setToken(token, { login: 'pipewarden-bot', denied: ['contents'] });
    const err = await failure(openRemediationPullRequest({ ...options(r, new Map([['README.md', '# new\n']])), client: fastClient(token) }));
    expect(err.permission).toBe('contents: write');
    expect(err.message).toBe(
      `writing the commit to ${r.full}: the token cannot write to ${r.full} (HTTP 403 (GitHub said: Resource not accessible by personal access token (contents: write))): it needs \`contents: write\` (fine-grained token or GitHub App) or the \`repo\` scope (classic token)`,
    );
    expect(gh.refs(r.full)).toEqual({ 'refs/heads/main': r.head });
  });

  it('a token that cannot open pull requests: pull-requests: write, and the pushed branch is deleted again', async () => {
    const r = seed();
    const token = 'github_pat_nopulls333333333333333333333';
    gh.setToken(token, { login: 'pipewarden-bot', denied: ['pull-requests'] });
    const changes = new Map([['README.md', '# new\n']]);
    const err = await failure(openRemediationPullRequest({ ...options(r, changes), client: fastClient(token) }));
    expect(err.permission).toBe('pull-requests: write');
    expect(err.message).toBe(
      `opening the pull request on ${r.full}: the token may not open or edit pull requests on ${r.full} (HTTP 403 (GitHub said: Resource not accessible by personal access token (pull_requests: write))): it needs \`pull-requests: write\` (fine-grained token or GitHub App) or the \`repo\` scope (classic token); the branch pipewarden/pinning-${changesHash(changes)} was deleted again`,
    );
    expect(gh.refs(r.full)).toEqual({ 'refs/heads/main': r.head });
    expect(gh.pulls(r.full)).toEqual([]);
  });
});

describe('API errors: a clear message each, and nothing half-made', () => {
  const cases: Array<{ name: string; method: string; path: string; status?: number; body?: unknown; headers?: Record<string, string>; times?: number; action?: 'drop' | 'hang'; kind: string; message: (full: string, branch: string) => string | RegExp }> = [
    { name: '401 bad credentials', method: 'GET', path: '', status: 401, body: { message: 'Bad credentials' }, kind: 'auth', message: (f) => `reading ${f}: GitHub rejected the token (HTTP 401 (GitHub said: Bad credentials)); it is missing, expired or revoked` },
    { name: '404 repository', method: 'GET', path: '', status: 404, body: { message: 'Not Found' }, kind: 'not-found', message: (f) => `reading ${f}: not found (HTTP 404): ${f} does not exist or the token cannot see it` },
    { name: '409 empty repository', method: 'GET', path: '/git/ref/heads/main', status: 409, body: { message: 'Git Repository is empty.' }, kind: 'conflict', message: (f) => `reading git data of ${f}: conflict (HTTP 409 (GitHub said: Git Repository is empty.)); the repository has no commits yet` },
    { name: '404 on creating the ref', method: 'POST', path: '/git/refs', status: 404, body: { message: 'Not Found' }, kind: 'missing-permission', message: (f) => `updating a branch of ${f}: the token cannot write to ${f} (HTTP 404 (GitHub said: Not Found)): it needs \`contents: write\` (fine-grained token or GitHub App) or the \`repo\` scope (classic token)` },
    {
      name: '422 on opening the pull request',
      method: 'POST',
      path: '/pulls',
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and pipewarden/x' }] },
      kind: 'validation',
      message: (f, b) => `opening the pull request on ${f}: GitHub rejected the request (HTTP 422 (GitHub said: Validation Failed: No commits between main and pipewarden/x)); the branch ${b} was deleted again`,
    },
    {
      name: 'secondary rate limit, retried once, then given up',
      method: 'POST',
      path: '/pulls',
      status: 403,
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      headers: { 'retry-after': '7' },
      times: 2,
      kind: 'rate-limit',
      message: (f, b) => `opening the pull request on ${f}: stopped by GitHub's secondary rate limit after waiting and retrying (HTTP 403); GitHub asks to wait 7 s before trying again; the branch ${b} was deleted again`,
    },
    {
      name: '429 too many requests',
      method: 'POST',
      path: '/git/blobs',
      status: 429,
      body: { message: 'API rate limit exceeded' },
      headers: { 'retry-after': '30' },
      times: 4,
      kind: 'rate-limit',
      message: (f) => `writing the commit to ${f}: stopped by GitHub's rate limit after waiting and retrying (HTTP 429); GitHub asks to wait 30 s before trying again`,
    },
    {
      name: '502 through every retry',
      method: 'POST',
      path: '/pulls',
      status: 502,
      body: { message: 'Server Error' },
      times: 4,
      kind: 'server',
      message: (f, b) => `opening the pull request on ${f}: GitHub had a server error (HTTP 502 (GitHub said: Server Error)) and retrying did not help; try again later; the branch ${b} was deleted again`,
    },
    { name: 'dropped connection', method: 'POST', path: '/pulls', action: 'drop', kind: 'network', message: (f, b) => new RegExp(`^opening the pull request on ${f}: connection to 127\\.0\\.0\\.1:\\d+ dropped before an answer \\(\\w+\\); the branch ${b} was deleted again$`) },
    { name: 'timeout', method: 'POST', path: '/git/trees', action: 'hang', kind: 'network', message: (f) => new RegExp(`^writing the commit to ${f}: no answer from 127\\.0\\.0\\.1:\\d+ in time \\(timed out\\)$`) },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const r = seed();
      const changes = new Map([[WF, after]]);
      const pattern = new RegExp(`^/repos/${r.full}${c.path.replace(/[/.]/g, '\\$&')}$`);
      const from = gh.requests.length;
      gh.inject({ method: c.method, pathPattern: pattern, ...(c.status ? { status: c.status } : {}), ...(c.body ? { body: c.body } : {}), ...(c.headers ? { headers: c.headers } : {}), ...(c.times ? { times: c.times } : {}), ...(c.action ? { action: c.action } : {}) });
      const err = await failure(openRemediationPullRequest({ ...options(r, changes), ...(c.action === 'hang' ? { client: fastClient(TOKEN, 1_500) } : {}) }));
      expect(err.kind).toBe(c.kind);
      const expected = c.message(r.full, `pipewarden/pinning-${changesHash(changes)}`);
      if (typeof expected === 'string') expect(err.message).toBe(expected);
      else expect(err.message).toMatch(expected);
      expect(gh.refs(r.full)).toEqual({ 'refs/heads/main': r.head });
      expect(gh.pulls(r.full)).toEqual([]);
      // Retried as the plugins should (5xx and 429 three times, a secondary rate limit once), no more.
      const tries = gh.requests.slice(from).filter((q) => q.method === c.method && pattern.test(decodeURIComponent(q.path.replace(/^\/api\/v3/, '').replace(/\?.*$/, '')))).length;
      expect(tries).toBe(c.times ?? 1);
    });
  }

  it('an answer that is not GitHub\'s (a proxy page, a changed API) is named as such', async () => {
    const r = seed();
    gh.inject({ method: 'GET', pathPattern: new RegExp(`^/repos/${r.full}$`), status: 200, body: { hello: 'proxy' } });
    const err = await failure(openRemediationPullRequest(options(r, new Map([[WF, after]]))));
    expect(err.kind).toBe('server');
    expect(err.message).toBe(`GitHub's answer for ${r.full} lacks default_branch; is this a GitHub API (or a proxy's answer)?`);
    gh.inject({ method: 'POST', pathPattern: new RegExp(`^/repos/${r.full}/git/trees$`), status: 201, body: { sha: 'not-a-sha' } });
    const err2 = await failure(openRemediationPullRequest(options(r, new Map([[WF, after]]))));
    expect(err2.message).toBe("GitHub's answer for the new tree has no valid object SHA; is this a GitHub API (or a proxy's answer)?");
    expect(gh.refs(r.full)).toEqual({ 'refs/heads/main': r.head });
  });

  it('the injected-error runs left the stand-in without schema violations', () => {
    expect(gh.violations).toEqual([]);
  });
});
