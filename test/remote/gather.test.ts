/** Gathering remote facts against the schema-validated stand-in: values, "not checked: needs …", caching, and no requests offline. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDirectory } from '../../src/audit/audit.js';
import { createClient, type GitHubClient } from '../../src/github/client.js';
import { loadRemoteFacts, NEEDS, RemoteGatherer, type RemoteWanted } from '../../src/github/settings.js';
import { CHECKS } from '../../src/registry.js';
import { startGitHubStandin, type Standin } from '../../scripts/github-standin.js';
import { makeRepo, yaml } from '../helpers/repo.js';

const TOKEN = 'ghp_remotefactstesttoken0123456789abcdef';
const NONE: RemoteWanted = { environments: [], commits: [], tags: [], advisories: [] };

let gh: Standin;
let client: GitHubClient;
beforeAll(async () => {
  gh = await startGitHubStandin({});
  client = createClient({ token: TOKEN, githubUrl: gh.url, limits: { retryAfterUnitMs: 1, timeoutMs: 15_000 } });
});
afterAll(async () => {
  expect(gh.violations).toEqual([]);
  await gh.close();
});

let seq = 0;
function seed(): { owner: string; repo: string; full: string; head: string } {
  const repo = `settings${++seq}`;
  const full = `acme/${repo}`;
  return { owner: 'acme', repo, full, head: gh.seedRepository(full) };
}

function since(from: number): string[] {
  return gh.requests.slice(from).map((r) => `${r.method} ${decodeURIComponent(r.path).replace(/^\/api\/v3/, '')}`);
}

describe('loadRemoteFacts against the stand-in', () => {
  it('reads GitHub\'s defaults for a new repository as values', async () => {
    const r = seed();
    const facts = await loadRemoteFacts(client, r, NONE);
    expect(gh.violations).toEqual([]);
    expect(facts.workflowPermissions).toEqual({ value: { defaultWorkflowPermissions: 'read', canApprovePullRequestReviews: false } });
    expect(facts.actionsPermissions).toEqual({ value: { enabled: true, allowedActions: 'all' } });
    expect(facts.forkPrApproval).toEqual({ value: 'first_time_contributors' });
    expect(facts.defaultBranch).toEqual({ value: 'main' });
    expect(facts.branchProtected).toEqual({ value: false });
    expect(facts.branchProtection).toEqual({ value: null });
    expect(facts.branchRules).toEqual({ value: [] });
    // The 404s that mean "off" read as off because an Administration read succeeded in the same run.
    expect(facts.immutableReleases).toEqual({ value: null });
    expect(facts.vulnerabilityAlerts).toEqual({ value: false });
    expect(facts.privateVulnerabilityReporting).toEqual({ value: false });
    expect(facts.tagRulesets).toEqual({ value: [] });
  });

  it('reads configured settings: write token, approvals, SHA pinning, protection with reviews, rules, rulesets, environments', async () => {
    const r = seed();
    gh.configure(r.full, {
      defaultWorkflowPermissions: 'write',
      canApprovePullRequestReviews: true,
      shaPinningRequired: true,
      allowedActions: 'selected',
      forkPrApproval: 'all_external_contributors',
      protection: { main: { reviews: { count: 2, codeOwners: true } } },
      branchRules: { main: [{ type: 'pull_request', count: 1, codeOwners: false }, { type: 'deletion' }] },
      immutableReleases: true,
      tagRulesets: [{ id: 9, name: 'release tags', enforcement: 'active', include: ['refs/tags/v*'], rules: ['update', 'deletion'] }],
      vulnerabilityAlerts: true,
      privateVulnerabilityReporting: true,
      environments: { production: { reviewers: 2, branchPolicy: { protectedBranches: true, customBranchPolicies: false } }, staging: {} },
    });
    // GitHub answers 404 for an environment that does not exist; the description documents only 200, so the stand-in injects it.
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}/environments/missing$`), status: 404, body: { message: 'Not Found' } });
    const facts = await loadRemoteFacts(client, r, { ...NONE, environments: ['production', 'staging', 'missing'] });
    expect(gh.violations).toEqual([]);
    expect(facts.workflowPermissions).toEqual({ value: { defaultWorkflowPermissions: 'write', canApprovePullRequestReviews: true } });
    expect(facts.actionsPermissions).toEqual({ value: { enabled: true, allowedActions: 'selected', shaPinningRequired: true } });
    expect(facts.forkPrApproval).toEqual({ value: 'all_external_contributors' });
    expect(facts.branchProtected).toEqual({ value: true });
    expect(facts.branchProtection).toEqual({ value: { reviews: { count: 2, codeOwners: true } } });
    expect(facts.branchRules).toEqual({
      value: [
        { type: 'pull_request', ruleset: '42', requiredApprovingReviewCount: 1, requireCodeOwnerReview: false },
        { type: 'deletion', ruleset: '42' },
      ],
    });
    expect(facts.immutableReleases).toEqual({ value: { enforcedByOwner: false } });
    expect(facts.tagRulesets).toEqual({ value: [{ id: 9, name: 'release tags', enforcement: 'active', include: ['refs/tags/v*'], exclude: [], rules: ['update', 'deletion'] }] });
    expect(facts.vulnerabilityAlerts).toEqual({ value: true });
    expect(facts.privateVulnerabilityReporting).toEqual({ value: true });
    expect(facts.environments.get('production')).toEqual({ value: { name: 'production', requiredReviewers: 2, waitTimer: 0, branchPolicy: { protectedBranches: true, customBranchPolicies: false } } });
    expect(facts.environments.get('staging')).toEqual({ value: { name: 'staging', requiredReviewers: 0, waitTimer: 0, branchPolicy: null } });
    expect(facts.environments.get('missing')).toEqual({ value: null });
  });

  it('a 403 is "not checked: needs <permission>", from GitHub\'s X-Accepted-GitHub-Permissions header when it sends one', async () => {
    const r = seed();
    const forbidden = { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest' };
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}/actions/permissions/workflow$`), status: 403, body: forbidden, headers: { 'x-accepted-github-permissions': 'administration=read' } });
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}/actions/permissions$`), status: 403, body: forbidden });
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}/actions/permissions/fork-pr-contributor-approval$`), status: 403, body: forbidden });
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}/immutable-releases$`), status: 404, body: { message: 'Not Found' } });
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}/vulnerability-alerts$`), status: 404, body: { message: 'Not Found' } });
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}/branches/main/protection$`), status: 404, body: { message: 'Not Found' } });
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}/private-vulnerability-reporting$`), status: 403, body: forbidden });
    const facts = await loadRemoteFacts(client, r, NONE);
    expect(facts.workflowPermissions).toEqual({ notChecked: 'needs administration: read' });
    expect(facts.actionsPermissions).toEqual({ notChecked: NEEDS.admin });
    expect(facts.forkPrApproval).toEqual({ notChecked: NEEDS.admin });
    // Without any admin read succeeding, a bare 404 is not taken for "off".
    expect(facts.immutableReleases).toEqual({ notChecked: NEEDS.admin });
    expect(facts.vulnerabilityAlerts).toEqual({ notChecked: NEEDS.admin });
    expect(facts.branchProtection).toEqual({ notChecked: NEEDS.admin });
    expect(facts.privateVulnerabilityReporting).toEqual({ notChecked: NEEDS.admin });
    // What anyone who can read the repository may read is still known.
    expect(facts.branchProtected).toEqual({ value: false });
    expect(facts.branchRules).toEqual({ value: [] });
  });

  it('a repository it cannot see (404) leaves every fact not checked', async () => {
    // Real GitHub answers 404 on every endpoint of a repository the token cannot see (not all of them document it).
    gh.inject({ pathPattern: /^\/repos\/acme\/no-such-repo\//, status: 404, body: { message: 'Not Found' }, times: 20 });
    gh.inject({ pathPattern: /^\/repos\/acme\/no-such-repo$/, status: 404, body: { message: 'Not Found' } });
    const facts = await loadRemoteFacts(client, { owner: 'acme', repo: 'no-such-repo' }, { ...NONE, environments: ['production'] });
    expect(facts.defaultBranch).toEqual({ notChecked: NEEDS.read });
    expect(facts.branchProtected).toEqual({ notChecked: 'the default branch is not known' });
    expect(facts.workflowPermissions).toEqual({ notChecked: NEEDS.admin });
    expect(facts.environments.get('production')).toEqual({ notChecked: NEEDS.actions });
  });

  it('finds where a pinned commit lives: a tag tip, an ancestor of a branch, or nowhere (a commit pushed to a fork)', async () => {
    const up = seed();
    const release = gh.pushCommit(up.full, 'main', { 'action.yml': 'name: a\n' }, 'release');
    gh.state.repos.get(up.full)!.refs.set('refs/tags/v1.0.0', release);
    gh.pushCommit(up.full, 'main', { 'README.md': 'more\n' }, 'later');
    const fork = `evil/${up.repo}`;
    gh.seedRepository(fork);
    const forkCommit = gh.pushCommit(fork, 'main', { 'action.yml': 'name: evil\n' }, 'backdoor');
    const facts = await loadRemoteFacts(client, up, {
      ...NONE,
      commits: [
        { owner: up.owner, repo: up.repo, sha: release },
        { owner: up.owner, repo: up.repo, sha: up.head },
        { owner: up.owner, repo: up.repo, sha: forkCommit, hint: 'v1.0.0' },
      ],
      tags: [{ owner: up.owner, repo: up.repo, tag: 'v1.0.0' }],
    });
    expect(gh.violations).toEqual([]);
    expect(facts.commits.get(`${up.full}@${release}`)).toEqual({ value: { reachable: true, via: 'v1.0.0', tags: ['v1.0.0'] } });
    expect(facts.commits.get(`${up.full}@${up.head}`)).toEqual({ value: { reachable: true, via: 'main', tags: [] } });
    expect(facts.commits.get(`${up.full}@${forkCommit}`)).toEqual({ value: { reachable: false, compared: 2 } });
    expect(facts.tags.get(`${up.full}@v1.0.0`)).toEqual({ value: { sha: release } });
  });

  it('stops short of "unreachable" when it could not compare every branch and tag', async () => {
    const up = seed();
    for (let i = 0; i < 3; i++) gh.state.repos.get(up.full)!.refs.set(`refs/heads/b${i}`, up.head);
    const fork = `evil2/${up.repo}`;
    gh.seedRepository(fork);
    const forkCommit = gh.pushCommit(fork, 'main', { 'x': 'y\n' }, 'x');
    const facts = await loadRemoteFacts(client, up, { ...NONE, commits: [{ owner: up.owner, repo: up.repo, sha: forkCommit }] }, { maxCompares: 2 });
    expect(facts.commits.get(`${up.full}@${forkCommit}`)).toEqual({ notChecked: expect.stringContaining('has more than were compared') });
  });

  it('reads advisories for the actions used and resolves each first patched version to a tag', async () => {
    const up = seed();
    const fixed = gh.pushCommit(up.full, 'main', { 'action.yml': 'name: fixed\n' }, 'fix');
    gh.state.repos.get(up.full)!.refs.set('refs/tags/v2.3.1', fixed);
    gh.advisories.push({ ghsaId: 'GHSA-aaaa-bbbb-cccc', summary: 'Command injection in settings', severity: 'high', vulnerabilities: [{ package: up.full, range: '< 2.3.1', patched: '2.3.1' }] });
    const facts = await loadRemoteFacts(client, up, { ...NONE, advisories: [{ owner: up.owner, repo: up.repo }] });
    expect(gh.violations).toEqual([]);
    expect(facts.advisories.get(up.full)).toEqual({
      value: [{ ghsaId: 'GHSA-aaaa-bbbb-cccc', summary: 'Command injection in settings', severity: 'high', url: 'http://127.0.0.1/advisories/GHSA-aaaa-bbbb-cccc', withdrawn: false, vulnerabilities: [{ package: up.full, vulnerableRange: '< 2.3.1', firstPatched: '2.3.1' }] }],
    });
    expect(facts.patched.get(`${up.full}@2.3.1`)).toEqual({ value: { sha: fixed, tag: 'v2.3.1' } });
  });

  it('a gatherer asks each question once per run, however many audits use it', async () => {
    const r = seed();
    gh.configure(r.full, { environments: { production: { reviewers: 1 } } });
    const gatherer = new RemoteGatherer(client, r);
    await gatherer.gather({ ...NONE, environments: ['production'] });
    const from = gh.requests.length;
    await gatherer.gather({ ...NONE, environments: ['production'] });
    expect(since(from)).toEqual([]);
  });

  it('a dropped connection stops the look-ups after the first failure and every fact says why', async () => {
    const r = seed();
    gh.inject({ pathPattern: new RegExp(`^/repos/${r.full}`), action: 'drop', times: 100 });
    const gatherer = new RemoteGatherer(client, r);
    const facts = await gatherer.gather(NONE);
    expect('notChecked' in facts.workflowPermissions).toBe(true);
    expect(gatherer.networkFailure).toMatch(/GitHub API unreachable: connection to 127\.0\.0\.1:\d+ dropped/);
    expect(gatherer.requests).toBeLessThanOrEqual(3);
  });
});

describe('audits without remote facts', () => {
  it('make no request and the remote checks report nothing (no token, or --offline: the CLI passes no gatherer)', async () => {
    const dir = await makeRepo({ '.github/workflows/ci.yml': yaml('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    environment: production', '    steps:', '      - run: echo ${{ secrets.DEPLOY_KEY }}') });
    const from = gh.requests.length;
    const { report } = await auditDirectory(dir, { checks: CHECKS.filter((c) => c.meta.area === 'remote'), identity: { owner: 'acme', name: 'widgets' } });
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(since(from)).toEqual([]);
  });
});
