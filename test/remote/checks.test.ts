/** Table tests of the remote checks with RemoteFacts injected (no network): each says nothing without facts. */
import { describe, expect, it } from 'vitest';
import { actionsCanApprovePrs } from '../../checks/actions-can-approve-prs.js';
import { branchUnprotected } from '../../checks/branch-unprotected.js';
import { defaultTokenWrite } from '../../checks/default-token-write.js';
import { environmentUnprotected } from '../../checks/environment-unprotected.js';
import { forkPrApprovalWeak } from '../../checks/fork-pr-approval-weak.js';
import { impostorCommit } from '../../checks/impostor-commit.js';
import { knownVulnerableAction } from '../../checks/known-vulnerable-action.js';
import { noPrivateVulnerabilityReporting } from '../../checks/no-private-vulnerability-reporting.js';
import { noVulnerabilityAlerts } from '../../checks/no-vulnerability-alerts.js';
import { refVersionMismatch } from '../../checks/ref-version-mismatch.js';
import { releasesMutable } from '../../checks/releases-mutable.js';
import { shaPinningNotRequired } from '../../checks/sha-pinning-not-required.js';
import { workflowChangesUnreviewed } from '../../checks/workflow-changes-unreviewed.js';
import { auditDirectory } from '../../src/audit/audit.js';
import type { Advisory, RemoteFacts } from '../../src/github/settings.js';
import { CHECKS } from '../../src/registry.js';
import { makeRepo, yaml } from '../helpers/repo.js';
import { ruleTester } from '../helpers/rule-tester.js';

const NO = { notChecked: 'needs Administration: read (repository admin; classic tokens: repo scope)' };

/** Facts with everything not checked, then the given values. */
function facts(values: Partial<RemoteFacts> = {}): RemoteFacts {
  return {
    repo: 'acme/widgets',
    defaultBranch: { value: 'main' },
    workflowPermissions: NO,
    actionsPermissions: NO,
    forkPrApproval: NO,
    branchProtected: NO,
    branchProtection: NO,
    branchRules: NO,
    immutableReleases: NO,
    tagRulesets: NO,
    vulnerabilityAlerts: NO,
    privateVulnerabilityReporting: NO,
    environments: new Map(),
    commits: new Map(),
    tags: new Map(),
    advisories: new Map(),
    patched: new Map(),
    ...values,
  };
}

const WF = '.github/workflows/ci.yml';
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const OTHER = 'aaaabbbbccccddddeeeeffff0000111122223333';
const declared = yaml('on: push', 'permissions:', '  contents: read', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: make');
const undeclared = yaml('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: make');
const prWorkflow = (runsOn = 'ubuntu-latest') => yaml('on: pull_request', 'permissions: {}', 'jobs:', '  t:', `    runs-on: ${runsOn}`, '    steps:', '      - run: make test');
const write = { workflowPermissions: { value: { defaultWorkflowPermissions: 'write' as const, canApprovePullRequestReviews: false } } };

ruleTester(defaultTokenWrite, {
  valid: [
    { name: 'no facts (no token, or --offline)', files: { [WF]: undeclared } },
    { name: 'not checked: needs administration', files: { [WF]: undeclared }, remote: facts() },
    { name: 'default read', files: { [WF]: undeclared }, remote: facts({ workflowPermissions: { value: { defaultWorkflowPermissions: 'read', canApprovePullRequestReviews: false } } }) },
  ],
  invalid: [
    {
      name: 'write default, a workflow relies on it: high, at its `on:`',
      files: { [WF]: undeclared, '.github/workflows/z.yml': declared },
      remote: facts(write),
      findings: [{ line: 1, column: 1, severity: 'high', messageId: 'default-token-write/default-write', message: 'the API reports default_workflow_permissions: write, and 1 workflow declares no permissions for some job, so it runs with a read-write token' }],
    },
    {
      name: 'write default, every workflow declares permissions: medium',
      files: { [WF]: declared },
      remote: facts(write),
      findings: [{ line: 1, column: 1, severity: 'medium', messageId: 'default-token-write/default-write-declared' }],
    },
  ],
});

ruleTester(actionsCanApprovePrs, {
  valid: [
    { name: 'no facts', files: { [WF]: declared } },
    { name: 'approval off', files: { [WF]: declared }, remote: facts({ workflowPermissions: { value: { defaultWorkflowPermissions: 'read', canApprovePullRequestReviews: false } } }) },
  ],
  invalid: [
    {
      name: 'approval on, no review required: medium',
      files: { [WF]: declared },
      remote: facts({ workflowPermissions: { value: { defaultWorkflowPermissions: 'read', canApprovePullRequestReviews: true } } }),
      findings: [{ line: 1, column: 1, severity: 'medium', message: 'the API reports can_approve_pull_request_reviews: true' }],
    },
    {
      name: 'approval on and reviews required: high, the bot can satisfy the review',
      files: { [WF]: declared },
      remote: facts({ workflowPermissions: { value: { defaultWorkflowPermissions: 'read', canApprovePullRequestReviews: true } }, branchRules: { value: [{ type: 'pull_request', requiredApprovingReviewCount: 1 }] } }),
      findings: [{ line: 1, column: 1, severity: 'high' }],
    },
  ],
});

ruleTester(shaPinningNotRequired, {
  valid: [
    { name: 'no facts', files: { [WF]: declared } },
    { name: 'pinning required', files: { [WF]: declared }, remote: facts({ actionsPermissions: { value: { enabled: true, allowedActions: 'all', shaPinningRequired: true } } }) },
    { name: 'selected actions only', files: { [WF]: declared }, remote: facts({ actionsPermissions: { value: { enabled: true, allowedActions: 'selected', shaPinningRequired: false } } }) },
    { name: 'the answer does not say (older server)', files: { [WF]: declared }, remote: facts({ actionsPermissions: { value: { enabled: true, allowedActions: 'all' } } }) },
  ],
  invalid: [
    {
      name: 'all actions, no pinning, all pinned here: low',
      files: { [WF]: declared },
      remote: facts({ actionsPermissions: { value: { enabled: true, allowedActions: 'all', shaPinningRequired: false } } }),
      findings: [{ line: 1, column: 1, severity: 'low', message: 'the API reports allowed_actions: all and sha_pinning_required: false' }],
    },
    {
      name: 'with a tag reference in the tree: medium',
      files: { [WF]: yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4') },
      remote: facts({ actionsPermissions: { value: { enabled: true, allowedActions: 'all', shaPinningRequired: false } } }),
      findings: [{ line: 1, column: 1, severity: 'medium' }],
    },
  ],
});

ruleTester(forkPrApprovalWeak, {
  valid: [
    { name: 'no facts', files: { [WF]: prWorkflow() } },
    { name: 'approval for all outside contributors', files: { [WF]: prWorkflow() }, remote: facts({ forkPrApproval: { value: 'all_external_contributors' } }) },
    { name: 'no pull_request workflow', files: { [WF]: declared }, remote: facts({ forkPrApproval: { value: 'first_time_contributors_new_to_github' } }) },
  ],
  invalid: [
    { name: 'first-time contributors only (GitHub\'s default): low', files: { [WF]: prWorkflow() }, remote: facts({ forkPrApproval: { value: 'first_time_contributors' } }), findings: [{ line: 1, column: 1, severity: 'low', messageId: 'fork-pr-approval-weak/first-time' }] },
    { name: 'new-to-GitHub only: medium', files: { [WF]: prWorkflow() }, remote: facts({ forkPrApproval: { value: 'first_time_contributors_new_to_github' } }), findings: [{ line: 1, column: 1, severity: 'medium' }] },
    { name: 'self-hosted runners on pull_request: high', files: { [WF]: prWorkflow('[self-hosted, linux]') }, remote: facts({ forkPrApproval: { value: 'first_time_contributors' } }), findings: [{ line: 1, column: 1, severity: 'high' }] },
  ],
});

ruleTester(branchUnprotected, {
  valid: [
    { name: 'no facts', files: { [WF]: declared } },
    { name: 'rules unknown', files: { [WF]: declared }, remote: facts({ branchProtected: { value: false } }) },
    { name: 'classic protection unknown, no rules: cannot tell', files: { [WF]: declared }, remote: facts({ branchProtected: { value: true }, branchRules: { value: [] } }) },
    { name: 'a ruleset requires a review', files: { [WF]: declared }, remote: facts({ branchRules: { value: [{ type: 'pull_request', requiredApprovingReviewCount: 1 }] } }) },
    { name: 'classic protection requires two reviews', files: { [WF]: declared }, remote: facts({ branchProtection: { value: { reviews: { count: 2, codeOwners: false } } }, branchRules: { value: [] } }) },
  ],
  invalid: [
    {
      name: 'not protected (read without admin) and no rules: high',
      files: { [WF]: declared },
      remote: facts({ branchProtected: { value: false }, branchRules: { value: [] } }),
      findings: [{ line: 1, column: 1, severity: 'high', message: 'the API reports no branch protection and no active rules for main' }],
    },
    {
      name: 'protected against deletion only: medium',
      files: { [WF]: declared },
      remote: facts({ branchProtection: { value: null }, branchRules: { value: [{ type: 'deletion' }] } }),
      findings: [{ line: 1, column: 1, severity: 'medium', messageId: 'branch-unprotected/no-review-required' }],
    },
  ],
});

const CODEOWNERS = '* @acme/core\n/.github/workflows/ @acme/ci\n';
ruleTester(workflowChangesUnreviewed, {
  valid: [
    { name: 'no facts', files: { [WF]: declared, '.github/CODEOWNERS': CODEOWNERS } },
    { name: 'code-owner review required by a rule', files: { [WF]: declared, '.github/CODEOWNERS': CODEOWNERS }, remote: facts({ branchRules: { value: [{ type: 'pull_request', requiredApprovingReviewCount: 1, requireCodeOwnerReview: true }] } }) },
    { name: 'no CODEOWNERS rule for workflows', files: { [WF]: declared, '.github/CODEOWNERS': '/docs/ @acme/docs\n' }, remote: facts({ branchProtection: { value: { reviews: { count: 1, codeOwners: false } } }, branchRules: { value: [] } }) },
    { name: 'no review required at all (branch-unprotected reports that)', files: { [WF]: declared, '.github/CODEOWNERS': CODEOWNERS }, remote: facts({ branchProtection: { value: null }, branchRules: { value: [] } }) },
  ],
  invalid: [
    {
      name: 'reviews required, code owners not',
      files: { '.github/CODEOWNERS': CODEOWNERS, [WF]: declared },
      remote: facts({ branchProtection: { value: { reviews: { count: 1, codeOwners: false } } }, branchRules: { value: [] } }),
      findings: [{ line: 1, column: 1, severity: 'medium', messageId: 'workflow-changes-unreviewed/code-owner-review-off' }],
    },
  ],
});

const releaseWf = yaml('on:', '  release:', '    types: [published]', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: make release');
const guarded = { id: 1, name: 'tags', enforcement: 'active', include: ['refs/tags/v*'], exclude: [], rules: ['update', 'deletion'] };
ruleTester(releasesMutable, {
  valid: [
    { name: 'no facts', files: { [WF]: releaseWf } },
    { name: 'immutable releases on', files: { [WF]: releaseWf }, remote: facts({ immutableReleases: { value: { enforcedByOwner: false } }, tagRulesets: { value: [] } }) },
    { name: 'a tag ruleset restricts updates and deletions', files: { [WF]: releaseWf }, remote: facts({ immutableReleases: { value: null }, tagRulesets: { value: [guarded] } }) },
    { name: 'immutable releases not checked', files: { [WF]: releaseWf }, remote: facts({ tagRulesets: { value: [] } }) },
    { name: 'no releases made here', files: { [WF]: declared }, remote: facts({ immutableReleases: { value: null }, tagRulesets: { value: [] } }) },
  ],
  invalid: [
    { name: 'releases from CI, nothing guards tags: medium', files: { [WF]: releaseWf }, remote: facts({ immutableReleases: { value: null }, tagRulesets: { value: [{ ...guarded, enforcement: 'evaluate' }] } }), findings: [{ line: 1, column: 1, severity: 'medium' }] },
    { name: 'an action repository: high', files: { [WF]: declared, 'action.yml': yaml('name: a', 'runs:', '  using: node20', '  main: index.js') }, remote: facts({ immutableReleases: { value: null }, tagRulesets: { value: [] } }), findings: [{ file: WF, line: 1, column: 1, severity: 'high' }] },
  ],
});

const deployWf = (envName: string, on = 'push') => yaml(`on: ${on}`, 'permissions: {}', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', `    environment: ${envName}`, '    steps:', '      - run: ./deploy', '        env:', '          KEY: ${{ secrets.DEPLOY_KEY }}');
const env = (value: RemoteFacts['environments'] extends ReadonlyMap<string, infer F> ? F : never) => facts({ environments: new Map([['production', value]]) });
ruleTester(environmentUnprotected, {
  valid: [
    { name: 'no facts', files: { [WF]: deployWf('production') } },
    { name: 'not checked', files: { [WF]: deployWf('production') }, remote: env({ notChecked: 'needs Actions: read' }) },
    { name: 'required reviewers', files: { [WF]: deployWf('production') }, remote: env({ value: { name: 'production', requiredReviewers: 1, waitTimer: 0, branchPolicy: null } }) },
    { name: 'branch policy', files: { [WF]: deployWf('production') }, remote: env({ value: { name: 'production', requiredReviewers: 0, waitTimer: 0, branchPolicy: { protectedBranches: true, customBranchPolicies: false } } }) },
  ],
  invalid: [
    {
      name: 'no rules: medium, at the environment',
      files: { [WF]: deployWf('production') },
      remote: env({ value: { name: 'production', requiredReviewers: 0, waitTimer: 30, branchPolicy: null } }),
      findings: [{ line: 6, column: 18, severity: 'medium', message: 'job `deploy` reads DEPLOY_KEY in environment `production`, which the API reports has no required reviewers and no deployment branch policy' }],
    },
    { name: 'does not exist yet, on an untrusted trigger: high, medium confidence', files: { [WF]: deployWf('production', 'issue_comment') }, remote: env({ value: null }), findings: [{ line: 6, column: 18, severity: 'high', confidence: 'medium', messageId: 'environment-unprotected/environment-missing' }] },
  ],
});

const pinned = (sha: string, comment = ' # v1.0.0') => yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: acme-actions/setup@${sha}${comment}`);
ruleTester(impostorCommit, {
  valid: [
    { name: 'no facts', files: { [WF]: pinned(SHA) } },
    { name: 'on a tag', files: { [WF]: pinned(SHA) }, remote: facts({ commits: new Map([[`acme-actions/setup@${SHA}`, { value: { reachable: true, via: 'v1.0.0', tags: ['v1.0.0'] } }]]) }) },
    { name: 'could not compare everything', files: { [WF]: pinned(SHA) }, remote: facts({ commits: new Map([[`acme-actions/setup@${SHA}`, { notChecked: 'none of the 30 compared reaches it, but there are more' }]]) }) },
  ],
  invalid: [
    { name: 'on no branch or tag', files: { [WF]: pinned(SHA) }, remote: facts({ commits: new Map([[`acme-actions/setup@${SHA}`, { value: { reachable: false, compared: 4 } }]]) }), findings: [{ line: 7, column: 15, severity: 'high', messageId: 'impostor-commit/unreachable' }] },
  ],
});

ruleTester(refVersionMismatch, {
  valid: [
    { name: 'no facts', files: { [WF]: pinned(SHA) } },
    { name: 'the tag is at the pin', files: { [WF]: pinned(SHA) }, remote: facts({ tags: new Map([['acme-actions/setup@v1.0.0', { value: { sha: SHA } }]]) }) },
    { name: 'a comment that is not a version', files: { [WF]: pinned(SHA, ' # the setup action') }, remote: facts({ tags: new Map([['acme-actions/setup@v1.0.0', { value: { sha: OTHER } }]]) }) },
  ],
  invalid: [
    {
      name: 'the comment names a tag at another commit; fix: the tag at the pinned commit, comment only',
      files: { [WF]: pinned(SHA) },
      remote: facts({ tags: new Map([['acme-actions/setup@v1.0.0', { value: { sha: OTHER } }]]), commits: new Map([[`acme-actions/setup@${SHA}`, { value: { reachable: true, via: 'v1.1.0', tags: ['v1', 'v1.1.0'] } }]]) }),
      findings: [{ line: 7, column: 15, severity: 'medium', message: `the comment says v1.0.0, but the API reports acme-actions/setup tag v1.0.0 at ${OTHER.slice(0, 12)}, not the pinned ${SHA.slice(0, 12)} (which is v1.1.0)` }],
      output: { [WF]: pinned(SHA, ' # v1.1.0') },
    },
  ],
});

const vulnWf = (ref: string) => yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: acme-actions/setup@${ref}`);
const advisory: Advisory = { ghsaId: 'GHSA-1111-2222-3333', summary: 'Command injection through input', severity: 'high', url: 'https://github.com/advisories/GHSA-1111-2222-3333', withdrawn: false, vulnerabilities: [{ package: 'acme-actions/setup', vulnerableRange: '>= 1.0.0, < 1.2.1', firstPatched: '1.2.1' }] };
const PATCHED = 'ffffeeeeddddccccbbbbaaaa9999888877776666';
const vulnFacts = (extra: Partial<RemoteFacts> = {}) => facts({ advisories: new Map([['acme-actions/setup', { value: [advisory] }]]), patched: new Map([['acme-actions/setup@1.2.1', { value: { sha: PATCHED, tag: 'v1.2.1' } }]]), ...extra });
ruleTester(knownVulnerableAction, {
  valid: [
    { name: 'no facts', files: { [WF]: vulnWf('v1.1.0') } },
    { name: 'patched version', files: { [WF]: vulnWf('v1.2.1') }, remote: vulnFacts() },
    { name: 'a moving major tag that was not resolved: the version is unknown', files: { [WF]: vulnWf('v1') }, remote: vulnFacts() },
    { name: 'withdrawn advisory', files: { [WF]: vulnWf('v1.1.0') }, remote: facts({ advisories: new Map([['acme-actions/setup', { value: [{ ...advisory, withdrawn: true }] }]]) }) },
    { name: 'a SHA pin whose comment the API does not confirm', files: { [WF]: pinned(SHA, ' # v1.1.0') }, remote: vulnFacts({ tags: new Map([['acme-actions/setup@v1.1.0', { value: { sha: OTHER } }]]) }) },
  ],
  invalid: [
    {
      name: 'a tag in the vulnerable range; fix: the first patched version, pinned',
      files: { [WF]: vulnWf('v1.1.0') },
      remote: vulnFacts(),
      findings: [{ line: 7, column: 15, severity: 'high', message: 'acme-actions/setup v1.1.0 is in the vulnerable range >= 1.0.0, < 1.2.1 of GHSA-1111-2222-3333 (high): Command injection through input; first patched version 1.2.1' }],
      output: { [WF]: vulnWf(`${PATCHED} # v1.2.1`) },
    },
    {
      name: 'a SHA pin whose confirmed comment is vulnerable',
      files: { [WF]: pinned(SHA, ' # v1.0.0') },
      remote: vulnFacts({ tags: new Map([['acme-actions/setup@v1.0.0', { value: { sha: SHA } }]]) }),
      findings: [{ line: 7, column: 15, severity: 'high' }],
      output: { [WF]: pinned(PATCHED, ' # v1.2.1') },
    },
  ],
});

ruleTester(noVulnerabilityAlerts, {
  valid: [
    { name: 'no facts', files: { [WF]: declared } },
    { name: 'on', files: { [WF]: declared }, remote: facts({ vulnerabilityAlerts: { value: true } }) },
    { name: 'not checked', files: { [WF]: declared }, remote: facts() },
  ],
  invalid: [{ name: 'off', files: { [WF]: declared }, remote: facts({ vulnerabilityAlerts: { value: false } }), findings: [{ line: 1, column: 1, severity: 'low' }] }],
});

ruleTester(noPrivateVulnerabilityReporting, {
  valid: [
    { name: 'no facts', files: { [WF]: declared } },
    { name: 'on', files: { [WF]: declared }, remote: facts({ privateVulnerabilityReporting: { value: true } }) },
  ],
  invalid: [{ name: 'off', files: { [WF]: declared }, remote: facts({ privateVulnerabilityReporting: { value: false } }), findings: [{ line: 1, column: 1, severity: 'low' }] }],
});

describe('remote checks together', () => {
  it('report nothing at all when every fact is "not checked"', async () => {
    const dir = await makeRepo({ [WF]: deployWf('production'), '.github/CODEOWNERS': CODEOWNERS, 'action.yml': yaml('name: a', 'runs:', '  using: node20', '  main: index.js') });
    const { report } = await auditDirectory(dir, { checks: CHECKS.filter((c) => c.meta.area === 'remote'), identity: { owner: 'acme', name: 'widgets' }, remote: facts({ defaultBranch: NO }) });
    expect(report.findings).toEqual([]);
  });
});
