/**
 * Remote facts: the repository settings no file shows (default token permissions, branch
 * protection, environments, advisories, where a pinned commit lives), gathered from the GitHub
 * API before the checks run, like pin resolutions. Checks stay synchronous and read these facts
 * from the AuditEnv; with none (no token, --offline) they say nothing.
 *
 * Every fact is either what the API returned (`{ value }`) or why it is not known
 * (`{ notChecked }`): a 403 or an ambiguous 404 is "not checked: needs <permission>", never a
 * guess. A RemoteGatherer keeps every look-up for the run, so the fix engine's re-audits ask
 * nothing twice.
 */
import type { GitHubClient } from './client.js';
import { clientHost } from './host.js';
import { describeFailure } from './errors.js';
import { resolutionKey, Resolver, type ResolveResult } from './resolve.js';

export type Fact<T> = { value: T } | { notChecked: string };

export interface WorkflowPermissions {
  /** The GITHUB_TOKEN's permissions when a workflow declares none. */
  defaultWorkflowPermissions: 'read' | 'write';
  canApprovePullRequestReviews: boolean;
}

export interface ActionsPermissions {
  enabled: boolean;
  allowedActions?: 'all' | 'local_only' | 'selected';
  /** Absent when the API did not say (older servers). */
  shaPinningRequired?: boolean;
}

export type ForkPrApprovalPolicy = 'first_time_contributors_new_to_github' | 'first_time_contributors' | 'all_external_contributors';

/** Classic branch protection of the default branch; `reviews` is absent when pull request reviews are not required. */
export interface ClassicProtection {
  reviews?: { count: number; codeOwners: boolean };
}

/** An active rule that applies to the default branch (rulesets, repository or organisation level). */
export interface BranchRule {
  type: string;
  ruleset?: string;
  requiredApprovingReviewCount?: number;
  requireCodeOwnerReview?: boolean;
}

export interface TagRuleset {
  id: number;
  name: string;
  enforcement: string;
  include: string[];
  exclude: string[];
  /** Rule types (`update`, `deletion`, `non_fast_forward`, `creation`, ...). */
  rules: string[];
}

export interface EnvironmentSettings {
  name: string;
  /** Reviewers listed by the required-reviewers rule (0 when there is no such rule). */
  requiredReviewers: number;
  waitTimer: number;
  /** null: any branch may deploy. */
  branchPolicy: { protectedBranches: boolean; customBranchPolicies: boolean } | null;
}

/** `tags`: the tags whose commit is exactly the pinned one (for the version a comment should name). */
export type Reachability = { reachable: true; via: string; tags: string[] } | { reachable: false; compared: number };

export interface AdvisoryVulnerability {
  package: string;
  vulnerableRange: string | null;
  firstPatched: string | null;
}

export interface Advisory {
  ghsaId: string;
  summary: string;
  severity: string;
  url: string;
  withdrawn: boolean;
  vulnerabilities: AdvisoryVulnerability[];
}

export interface RemoteFacts {
  /** owner/name the settings were read from. */
  repo: string;
  defaultBranch: Fact<string>;
  workflowPermissions: Fact<WorkflowPermissions>;
  actionsPermissions: Fact<ActionsPermissions>;
  forkPrApproval: Fact<ForkPrApprovalPolicy>;
  /** `protected` from GET /branches/{branch} (readable by anyone who can read the repository). */
  branchProtected: Fact<boolean>;
  /** null: the branch is not protected. */
  branchProtection: Fact<ClassicProtection | null>;
  branchRules: Fact<BranchRule[]>;
  /** null: immutable releases are not enabled. */
  immutableReleases: Fact<{ enforcedByOwner: boolean } | null>;
  tagRulesets: Fact<TagRuleset[]>;
  vulnerabilityAlerts: Fact<boolean>;
  privateVulnerabilityReporting: Fact<boolean>;
  /** By environment name as written (lower case); null: the API says there is no such environment. */
  environments: ReadonlyMap<string, Fact<EnvironmentSettings | null>>;
  /** `owner/repo@sha` (lower case) -> whether a branch or tag of the repository reaches the commit. */
  commits: ReadonlyMap<string, Fact<Reachability>>;
  /** resolutionKey(owner, repo, tag) -> the commit the tag points at. */
  tags: ReadonlyMap<string, Fact<{ sha: string }>>;
  /** `owner/repo` (lower case) -> the advisories GitHub lists for it in the actions ecosystem. */
  advisories: ReadonlyMap<string, Fact<Advisory[]>>;
  /** resolutionKey(owner, repo, version) of a first patched version -> its tag and commit. */
  patched: ReadonlyMap<string, Fact<{ sha: string; tag: string }>>;
}

/** What the model asks about beyond the repository's own settings (see analysis/remote.ts). */
export interface RemoteWanted {
  environments: string[];
  /** SHA pins; `hint` is the version comment beside the pin, compared first. */
  commits: Array<{ owner: string; repo: string; sha: string; hint?: string }>;
  /** Version comments beside SHA pins. */
  tags: Array<{ owner: string; repo: string; tag: string }>;
  /** Actions (owner/repo) to look up advisories for. */
  advisories: Array<{ owner: string; repo: string }>;
}

/** The permission each endpoint family needs, for "not checked: needs …". */
export const NEEDS = {
  admin: 'needs Administration: read (repository admin; classic tokens: repo scope)',
  read: 'needs read access to the repository (classic tokens: repo scope for a private one)',
  actions: 'needs Actions: read (classic tokens: repo scope for a private repository)',
  contents: 'needs Contents: read',
} as const;

export interface GatherOptions {
  /** Resolves version comments and patched versions (shares the pin cache); one with an in-memory cache otherwise. */
  resolver?: Resolver;
  /** At most this many ref comparisons per pinned commit (default 30). */
  maxCompares?: number;
}

type Call = (route: string, params: Record<string, unknown>) => Promise<{ status: number; data: unknown }>;

/**
 * Gathers remote facts for one repository, once per key for the whole run. The CLI makes one
 * per run (with the token's client) and hands it to every audit of that run.
 */
export class RemoteGatherer {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly resolver: Resolver;
  /** Set when GitHub cannot be reached at all; later look-ups are not attempted. */
  networkFailure?: string;
  /** API requests made (for tests and the progress line). */
  requests = 0;
  /** True once an Administration-read endpoint answered 200: an ambiguous 404 then means "off". */
  private adminSeen = false;

  readonly target: { owner: string; repo: string };

  constructor(
    private readonly client: GitHubClient,
    target: { owner: string; repo: string },
    private readonly opts: GatherOptions = {},
  ) {
    this.target = { owner: target.owner, repo: target.repo };
    this.resolver = opts.resolver ?? new Resolver(client, { version: 1, entries: {} }, { offline: false, host: clientHost(client) });
  }

  private once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) this.cache.set(key, (p = compute()));
    return p;
  }

  private readonly call: Call = async (route, params) => {
    if (this.networkFailure) throw Object.assign(new Error(this.networkFailure), { skipped: true });
    this.requests++;
    const res = await this.client.request(route, params);
    return { status: res.status, data: res.data };
  };

  /** What the failure means for a fact: the permission it needs, or what went wrong. */
  private notChecked(err: unknown, needs: string): { notChecked: string } {
    if ((err as { skipped?: boolean }).skipped) return { notChecked: `skipped: ${this.networkFailure}` };
    const failure = describeFailure(err, clientHost(this.client));
    if (failure.connection) {
      this.networkFailure ??= `GitHub API unreachable: ${failure.message}`;
      return { notChecked: failure.message };
    }
    const accepted = (err as { response?: { headers?: Record<string, string | undefined> } }).response?.headers?.['x-accepted-github-permissions'];
    if (failure.status === 403 || failure.status === 404) return { notChecked: accepted ? `needs ${accepted.replace(/=/g, ': ').replace(/,\s*/g, ' or ')}` : needs };
    return { notChecked: `GitHub API: ${failure.message}` };
  }

  private fact<T>(key: string, needs: string, get: (call: Call) => Promise<T>, on404?: (err: unknown) => Fact<T> | undefined): Promise<Fact<T>> {
    return this.once(key, async () => {
      try {
        return { value: await get(this.call) };
      } catch (err) {
        if ((err as { status?: number }).status === 404 && on404) {
          const answer = on404(err);
          if (answer) return answer;
        }
        return this.notChecked(err, needs);
      }
    });
  }

  async gather(wanted: RemoteWanted): Promise<RemoteFacts> {
    const { owner, repo } = this.target;
    const base = { owner, repo };
    const adminRead = <T>(key: string, route: string, map: (data: never) => T): Promise<Fact<T>> =>
      this.fact(key, NEEDS.admin, async (call) => {
        const out = map((await call(route, base)).data as never);
        this.adminSeen = true;
        return out;
      });
    // The settings first: whether admin reads succeed decides how the ambiguous 404s below read.
    const [workflowPermissions, actionsPermissions, forkPrApproval] = await Promise.all([
      adminRead('workflow-permissions', 'GET /repos/{owner}/{repo}/actions/permissions/workflow', (d: { default_workflow_permissions: 'read' | 'write'; can_approve_pull_request_reviews: boolean }) => ({
        defaultWorkflowPermissions: d.default_workflow_permissions,
        canApprovePullRequestReviews: d.can_approve_pull_request_reviews,
      })),
      adminRead('actions-permissions', 'GET /repos/{owner}/{repo}/actions/permissions', (d: { enabled: boolean; allowed_actions?: ActionsPermissions['allowedActions']; sha_pinning_required?: boolean }) => ({
        enabled: d.enabled,
        ...(d.allowed_actions ? { allowedActions: d.allowed_actions } : {}),
        ...(typeof d.sha_pinning_required === 'boolean' ? { shaPinningRequired: d.sha_pinning_required } : {}),
      })),
      adminRead('fork-pr-approval', 'GET /repos/{owner}/{repo}/actions/permissions/fork-pr-contributor-approval', (d: { approval_policy: ForkPrApprovalPolicy }) => d.approval_policy),
    ]);
    const defaultBranch = await this.fact('repo', NEEDS.read, async (call) => ((await call('GET /repos/{owner}/{repo}', base)).data as { default_branch: string }).default_branch);
    const branch = 'value' in defaultBranch ? defaultBranch.value : undefined;
    const noBranch = { notChecked: 'the default branch is not known' } as const;
    const offWhenAdmin = (message: RegExp) => (err: unknown) => {
      const text = describeFailure(err).githubMessage ?? '';
      return message.test(text) || this.adminSeen ? { value: null as never } : undefined;
    };
    const [branchProtected, branchProtection, branchRules, immutableReleases, tagRulesets, vulnerabilityAlerts, privateVulnerabilityReporting] = await Promise.all([
      branch ? this.fact('branch', NEEDS.read, async (call) => ((await call('GET /repos/{owner}/{repo}/branches/{branch}', { ...base, branch })).data as { protected: boolean }).protected) : noBranch,
      branch
        ? this.fact<ClassicProtection | null>(
            'protection',
            NEEDS.admin,
            async (call) => {
              const d = (await call('GET /repos/{owner}/{repo}/branches/{branch}/protection', { ...base, branch })).data as {
                required_pull_request_reviews?: { required_approving_review_count?: number; require_code_owner_reviews?: boolean };
              };
              const r = d.required_pull_request_reviews;
              return r ? { reviews: { count: r.required_approving_review_count ?? 0, codeOwners: r.require_code_owner_reviews === true } } : {};
            },
            // "Branch not protected" is GitHub's 404 for a branch without protection.
            (err) => (/not protected/i.test(describeFailure(err).githubMessage ?? '') ? { value: null } : undefined),
          )
        : noBranch,
      branch ? this.fact('rules', NEEDS.read, (call) => this.branchRules(call, branch)) : noBranch,
      this.fact('immutable-releases', NEEDS.admin, async (call) => {
        const d = (await call('GET /repos/{owner}/{repo}/immutable-releases', base)).data as { enabled: boolean; enforced_by_owner: boolean };
        return d.enabled ? { enforcedByOwner: d.enforced_by_owner } : null;
      }, offWhenAdmin(/immutable releases are not enabled/i)),
      this.fact('tag-rulesets', NEEDS.read, (call) => this.tagRulesets(call)),
      this.fact('vulnerability-alerts', NEEDS.admin, async (call) => (await call('GET /repos/{owner}/{repo}/vulnerability-alerts', base)).status === 204, (err) => {
        const text = describeFailure(err).githubMessage ?? '';
        return /disabled/i.test(text) || this.adminSeen ? { value: false } : undefined;
      }),
      this.fact('private-vulnerability-reporting', NEEDS.admin, async (call) => ((await call('GET /repos/{owner}/{repo}/private-vulnerability-reporting', base)).data as { enabled: boolean }).enabled),
    ]);
    const environments = new Map<string, Fact<EnvironmentSettings | null>>();
    const commits = new Map<string, Fact<Reachability>>();
    const tags = new Map<string, Fact<{ sha: string }>>();
    const advisories = new Map<string, Fact<Advisory[]>>();
    const patched = new Map<string, Fact<{ sha: string; tag: string }>>();
    await Promise.all([
      ...unique(wanted.environments.map((e) => e.toLowerCase())).map(async (name) => environments.set(name, await this.environment(name, 'value' in defaultBranch))),
      ...unique(wanted.tags.map((t) => resolutionKey(t.owner, t.repo, t.tag))).map(async (key) => {
        const t = wanted.tags.find((w) => resolutionKey(w.owner, w.repo, w.tag) === key)!;
        tags.set(key, await this.tag(t.owner, t.repo, t.tag));
      }),
    ]);
    // Reachability and advisories make more requests each; a few at a time.
    const jobs: Array<() => Promise<void>> = [
      ...unique(wanted.commits.map((c) => `${c.owner}/${c.repo}@${c.sha}`.toLowerCase())).map((key) => async () => {
        const c = wanted.commits.find((w) => `${w.owner}/${w.repo}@${w.sha}`.toLowerCase() === key)!;
        commits.set(key, await this.reachability(c.owner, c.repo, c.sha, c.hint));
      }),
      ...unique(wanted.advisories.map((a) => `${a.owner}/${a.repo}`.toLowerCase())).map((key) => async () => {
        const [o, r] = key.split('/') as [string, string];
        const found = await this.advisories(key);
        advisories.set(key, found);
        if (!('value' in found)) return;
        for (const v of unique(found.value.flatMap((a) => a.vulnerabilities.map((x) => x.firstPatched).filter((x): x is string => !!x)))) {
          patched.set(resolutionKey(o, r, v), await this.patchedPin(o, r, v));
        }
      }),
    ];
    const worker = async (): Promise<void> => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    return {
      repo: `${owner}/${repo}`,
      defaultBranch,
      workflowPermissions,
      actionsPermissions,
      forkPrApproval,
      branchProtected,
      branchProtection,
      branchRules,
      immutableReleases,
      tagRulesets,
      vulnerabilityAlerts,
      privateVulnerabilityReporting,
      environments,
      commits,
      tags,
      advisories,
      patched,
    };
  }

  private async branchRules(call: Call, branch: string): Promise<BranchRule[]> {
    const out: BranchRule[] = [];
    for (let page = 1; page <= 5; page++) {
      const data = (await call('GET /repos/{owner}/{repo}/rules/branches/{branch}', { ...this.target, branch, per_page: 100, page })).data as Array<{
        type: string;
        ruleset_id?: number;
        parameters?: { required_approving_review_count?: number; require_code_owner_review?: boolean };
      }>;
      for (const r of data) {
        out.push({
          type: r.type,
          ...(r.ruleset_id !== undefined ? { ruleset: String(r.ruleset_id) } : {}),
          ...(typeof r.parameters?.required_approving_review_count === 'number' ? { requiredApprovingReviewCount: r.parameters.required_approving_review_count } : {}),
          ...(typeof r.parameters?.require_code_owner_review === 'boolean' ? { requireCodeOwnerReview: r.parameters.require_code_owner_review } : {}),
        });
      }
      if (data.length < 100) break;
    }
    return out;
  }

  private async tagRulesets(call: Call): Promise<TagRuleset[]> {
    const list = (await call('GET /repos/{owner}/{repo}/rulesets', { ...this.target, targets: 'tag', includes_parents: true, per_page: 100 })).data as Array<{ id: number; target?: string }>;
    const out: TagRuleset[] = [];
    for (const summary of list.filter((r) => !r.target || r.target === 'tag').slice(0, 20)) {
      const d = (await call('GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', { ...this.target, ruleset_id: summary.id, includes_parents: true })).data as {
        id: number;
        name: string;
        target?: string;
        enforcement: string;
        conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
        rules?: Array<{ type: string }>;
      };
      if (d.target && d.target !== 'tag') continue;
      out.push({ id: d.id, name: d.name, enforcement: d.enforcement, include: d.conditions?.ref_name?.include ?? [], exclude: d.conditions?.ref_name?.exclude ?? [], rules: (d.rules ?? []).map((r) => r.type) });
    }
    return out;
  }

  private environment(name: string, readable: boolean): Promise<Fact<EnvironmentSettings | null>> {
    return this.fact(
      `environment:${name}`,
      NEEDS.actions,
      async (call) => {
        const d = (await call('GET /repos/{owner}/{repo}/environments/{environment_name}', { ...this.target, environment_name: name })).data as {
          name: string;
          protection_rules?: Array<{ type: string; reviewers?: unknown[]; wait_timer?: number }>;
          deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
        };
        const rules = d.protection_rules ?? [];
        const reviewers = rules.find((r) => r.type === 'required_reviewers');
        return {
          name: d.name,
          requiredReviewers: reviewers ? Math.max(1, reviewers.reviewers?.length ?? 0) : 0,
          waitTimer: rules.find((r) => r.type === 'wait_timer')?.wait_timer ?? 0,
          branchPolicy: d.deployment_branch_policy ? { protectedBranches: d.deployment_branch_policy.protected_branches, customBranchPolicies: d.deployment_branch_policy.custom_branch_policies } : null,
        };
      },
      // Anyone who can read the repository can read its environments: a 404 after the repository itself answered means there is none.
      () => (readable ? { value: null } : undefined),
    );
  }

  private tag(owner: string, repo: string, tag: string): Promise<Fact<{ sha: string }>> {
    return this.once(`tag:${resolutionKey(owner, repo, tag)}`, async () => {
      const r = await this.resolver.resolve(owner, repo, tag);
      if ('error' in r) return { notChecked: r.error };
      if (r.kind !== 'tag') return { notChecked: `${owner}/${repo}@${tag} is a ${r.kind}, not a tag` };
      return { value: { sha: r.sha } };
    });
  }

  private patchedPin(owner: string, repo: string, version: string): Promise<Fact<{ sha: string; tag: string }>> {
    return this.once(`patched:${resolutionKey(owner, repo, version)}`, async () => {
      // Advisories name versions without the v actions usually tag with; try the tag as written first.
      const names = version.startsWith('v') ? [version] : [version, `v${version}`];
      let last: ResolveResult | undefined;
      for (const name of names) {
        last = await this.resolver.resolve(owner, repo, name);
        if (!('error' in last) && last.kind === 'tag') return { value: { sha: last.sha, tag: name } };
      }
      return { notChecked: last && 'error' in last ? last.error : `${owner}/${repo} has no tag ${names.join(' or ')}` };
    });
  }

  private advisories(key: string): Promise<Fact<Advisory[]>> {
    return this.fact(`advisories:${key}`, NEEDS.read, async (call) => {
      const out: Advisory[] = [];
      const data = (await call('GET /advisories', { ecosystem: 'actions', affects: key, per_page: 100 })).data as Array<{
        ghsa_id: string;
        summary: string;
        severity: string;
        html_url: string;
        withdrawn_at: string | null;
        vulnerabilities: Array<{ package: { ecosystem: string; name: string | null } | null; vulnerable_version_range: string | null; first_patched_version: string | null }> | null;
      }>;
      for (const a of data) {
        out.push({
          ghsaId: a.ghsa_id,
          summary: a.summary,
          severity: a.severity,
          url: a.html_url,
          withdrawn: a.withdrawn_at !== null,
          vulnerabilities: (a.vulnerabilities ?? [])
            .filter((v) => v.package?.ecosystem === 'actions' && v.package.name)
            .map((v) => ({ package: v.package!.name!, vulnerableRange: v.vulnerable_version_range, firstPatched: v.first_patched_version })),
        });
      }
      return out;
    });
  }

  /**
   * Whether a branch or tag of owner/repo reaches `sha`. Tips first (the tag lists name their
   * commits), then comparisons (`ref...sha` is "behind" or "identical" when the ref contains the
   * commit). Unreachable only when every branch and tag was compared and none contains it.
   */
  private reachability(owner: string, repo: string, sha: string, hint: string | undefined): Promise<Fact<Reachability>> {
    return this.once(`reach:${owner}/${repo}@${sha}`.toLowerCase(), async () => {
      const at = { owner, repo };
      try {
        const info = (await this.call('GET /repos/{owner}/{repo}', at)).data as { default_branch: string };
        const branches = await this.listNames('GET /repos/{owner}/{repo}/branches', at);
        const tagList = await this.listNames('GET /repos/{owner}/{repo}/tags', at);
        const tags = tagList.items.filter((t) => t.sha === sha).map((t) => t.name);
        const tip = [...tagList.items, ...branches.items].find((r) => r.sha === sha);
        if (tip) return { value: { reachable: true, via: tip.name, tags } };
        const order = unique([info.default_branch, ...(hint && tagList.items.some((t) => t.name === hint) ? [hint] : []), ...branches.items.map((b) => b.name), ...tagList.items.map((t) => t.name)]);
        const max = this.opts.maxCompares ?? 30;
        let compared = 0;
        for (const ref of order.slice(0, max)) {
          const res = await this.call('GET /repos/{owner}/{repo}/compare/{basehead}', { ...at, basehead: `${ref}...${sha}`, per_page: 1 });
          compared++;
          const status = (res.data as { status?: string }).status;
          if (status === 'behind' || status === 'identical') return { value: { reachable: true, via: ref, tags } };
          if (status !== 'ahead' && status !== 'diverged') return { notChecked: `the comparison with ${ref} answered status ${String(status)}` };
        }
        if (order.length > max || !branches.complete || !tagList.complete) {
          return { notChecked: `none of the ${compared} branches and tags compared reaches the commit, but ${owner}/${repo} has more than were compared` };
        }
        return { value: { reachable: false, compared } };
      } catch (err) {
        return this.notChecked(err, NEEDS.contents);
      }
    });
  }

  private async listNames(route: string, at: { owner: string; repo: string }): Promise<{ items: Array<{ name: string; sha: string }>; complete: boolean }> {
    const items: Array<{ name: string; sha: string }> = [];
    for (let page = 1; page <= 3; page++) {
      const data = (await this.call(route, { ...at, per_page: 100, page })).data as Array<{ name: string; commit: { sha: string } }>;
      items.push(...data.map((d) => ({ name: d.name, sha: d.commit.sha })));
      if (data.length < 100) return { items, complete: true };
    }
    return { items, complete: false };
  }
}

/** Gathers once, without a RemoteGatherer to keep for the run (tests, one-off tools). */
export function loadRemoteFacts(client: GitHubClient, target: { owner: string; repo: string }, wanted: RemoteWanted, opts: GatherOptions = {}): Promise<RemoteFacts> {
  return new RemoteGatherer(client, target, opts).gather(wanted);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
