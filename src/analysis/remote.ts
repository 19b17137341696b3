/**
 * The model's side of the remote facts: what to ask GitHub about (environments that guard
 * secrets, SHA pins and their version comments, the actions used), and small readers the remote
 * checks share. The asking itself is src/github/settings.ts.
 */
import ignore from 'ignore';
import type { ClassicProtection, Fact, RemoteFacts, RemoteWanted } from '../github/settings.js';
import type { RepoModel } from '../model/repo.js';
import type { SourceRange } from '../types.js';
import { usesSites } from './facts.js';
import { fileStart } from './repo-facts.js';
import { secretUsesInJob, isTokenSecret } from './secrets.js';

/** A version comment (`# v4.2.2`, `# 4.2.2`), the only comments compared with tags. */
export const VERSION_COMMENT = /^v?\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.-]+)?$/;

/** The version a `uses:` comment names, if the comment is only a version (`v4.2.2`, `tag=v4.2.2`, `pin @v4.2.2`). */
export function commentVersion(comment: string | undefined): string | undefined {
  if (!comment) return undefined;
  const text = comment.trim().replace(/^(?:tag[=:]\s*|pin\s+@|@)/i, '');
  return VERSION_COMMENT.test(text) ? text : undefined;
}

export function wantedRemoteFacts(repo: RepoModel): RemoteWanted {
  const environments = new Set<string>();
  for (const wf of repo.workflows) {
    for (const job of wf.jobs) {
      const env = job.environment?.name;
      if (!env || env.includes('${{')) continue;
      if (secretUsesInJob(wf, job).some((u) => !isTokenSecret(u.name))) environments.add(env);
    }
  }
  const commits = new Map<string, RemoteWanted['commits'][number]>();
  const tags = new Map<string, RemoteWanted['tags'][number]>();
  const advisories = new Map<string, RemoteWanted['advisories'][number]>();
  for (const { uses } of usesSites(repo)) {
    if ((uses.kind !== 'action' && uses.kind !== 'reusable-workflow') || !uses.owner || !uses.repo || !uses.ref) continue;
    if (repo.identity && uses.owner.toLowerCase() === repo.identity.owner.toLowerCase() && uses.repo.toLowerCase() === repo.identity.name.toLowerCase()) continue;
    advisories.set(`${uses.owner}/${uses.repo}`.toLowerCase(), { owner: uses.owner, repo: uses.repo });
    if (uses.refKind !== 'sha') continue;
    const version = commentVersion(uses.comment);
    commits.set(`${uses.owner}/${uses.repo}@${uses.ref}`.toLowerCase(), { owner: uses.owner, repo: uses.repo, sha: uses.ref, ...(version ? { hint: version } : {}) });
    if (version) tags.set(`${uses.owner}/${uses.repo}@${version}`.toLowerCase(), { owner: uses.owner, repo: uses.repo, tag: version });
  }
  return { environments: [...environments].sort(), commits: [...commits.values()], tags: [...tags.values()], advisories: [...advisories.values()] };
}

/** The value of a fact, or undefined when it was not checked. */
export function known<T>(fact: Fact<T> | undefined): T | undefined {
  return fact && 'value' in fact ? fact.value : undefined;
}

/**
 * Where a finding about a repository setting is anchored: the start of the first workflow (the
 * settings govern how workflows run), else the workflows directory.
 */
export function settingsAnchor(repo: RepoModel): { file: string; range: SourceRange } {
  const first = [...repo.workflows].map((w) => w.file).sort()[0];
  return { file: first ?? '.github/workflows', range: fileStart() };
}

/** The CODEOWNERS file GitHub uses (.github/, root, docs/, first found). */
export function codeownersFile(repo: RepoModel) {
  const files = repo.filesOfKind('codeowners');
  return ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'].map((p) => files.find((f) => f.path === p)).find((f) => f !== undefined);
}

/** Whether the CODEOWNERS rule that wins for a workflow file names an owner (last matching rule wins). */
export function codeownersCoverWorkflows(repo: RepoModel): boolean {
  const file = codeownersFile(repo);
  if (!file) return false;
  let owned = false;
  for (const raw of file.text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const [pattern, ...rest] = line.split(/\s+/);
    if (!pattern) continue;
    const cut = rest.findIndex((o) => o.startsWith('#'));
    const owners = cut === -1 ? rest : rest.slice(0, cut);
    if (ignore().add(pattern).ignores('.github/workflows/pipewarden-probe.yml')) owned = owners.length > 0;
  }
  return owned;
}

/** fnmatch-style ref patterns of rulesets (`refs/tags/v*`, `~ALL`), as GitHub matches them. */
export function refPatternMatches(pattern: string, ref: string): boolean {
  if (pattern === '~ALL') return true;
  const full = pattern.startsWith('refs/') ? pattern : `refs/tags/${pattern}`;
  const re = new RegExp(`^${full.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*')}$`);
  return re.test(ref);
}

/** What the API says about reviews on the default branch; undefined fields were not determinable. */
export interface ReviewState {
  branch: string;
  /** Any classic protection or active rule at all. */
  anyProtection?: boolean;
  /** At least one approving review is required (classic protection or a pull_request rule). */
  reviewsRequired?: boolean;
  /** Code-owner review is required. */
  codeOwnerReview?: boolean;
}

export function reviewState(remote: RemoteFacts): ReviewState | undefined {
  const branch = known(remote.defaultBranch);
  const rules = known(remote.branchRules);
  if (!branch || !rules) return undefined;
  const prRules = rules.filter((r) => r.type === 'pull_request');
  const rulesReview = prRules.some((r) => (r.requiredApprovingReviewCount ?? 0) >= 1);
  const rulesOwners = prRules.some((r) => r.requireCodeOwnerReview === true);
  // Classic protection: its details when readable (admin), else `protected: false` rules it out.
  let classic: ClassicProtection | null | undefined = known(remote.branchProtection);
  if (classic === undefined && known(remote.branchProtected) === false) classic = null;
  const state: ReviewState = { branch };
  if (classic === undefined) {
    // Without the classic details only what the rules prove is known.
    if (rulesReview) state.reviewsRequired = true;
    if (rulesOwners) state.codeOwnerReview = true;
    if (rules.length) state.anyProtection = true;
    return state;
  }
  state.anyProtection = classic !== null || rules.length > 0;
  state.reviewsRequired = rulesReview || (classic?.reviews?.count ?? 0) >= 1;
  state.codeOwnerReview = rulesOwners || classic?.reviews?.codeOwners === true;
  return state;
}
