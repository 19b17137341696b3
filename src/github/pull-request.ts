/**
 * Opens (or updates) one remediation pull request through GitHub's git data API: blobs, a tree on
 * top of the default branch, one commit, a branch, the pull request. Idempotent: the same changes
 * give the same branch name, and an open pull request from a pipewarden branch of the same group
 * is updated in place (or left alone when its tree is already right).
 *
 * Safety rules, enforced here rather than trusted to callers:
 * - pipewarden writes only to branches under `pipewarden/` whose head commit carries the
 *   `Generated-by: pipewarden` trailer; never to the default branch, never to someone else's branch;
 * - a branch is force-updated only after re-reading it and finding the commit we saw (or another
 *   pipewarden commit) — force-with-lease;
 * - a branch created for a pull request that then could not be opened is deleted again.
 *
 * The token lives inside the Octokit client only; nothing here prints or returns it.
 */
import { createHash } from 'node:crypto';
import type { GitHubClient } from './client.js';
import { clientHost } from './host.js';
import { describeFailure, type Failure } from './errors.js';

export const MARKER_TRAILER = 'Generated-by: pipewarden';
export const BRANCH_ROOT = 'pipewarden/';

export type PullRequestErrorKind =
  | 'auth' // 401: the token is missing, expired or revoked
  | 'missing-permission' // 403/404/422 on a write: see .permission
  | 'not-found' // 404 on a read: no such repository, or the token cannot see it
  | 'conflict' // 409 (e.g. an empty repository), or the branch moved under us
  | 'validation' // 422 other than a missing permission
  | 'rate-limit' // primary or secondary rate limit, after the throttling plugin gave up
  | 'server' // 5xx
  | 'network' // no answer at all: DNS, refused, timeout, TLS, dropped connection
  | 'refused' // pipewarden will not do it: archived repository, a branch it did not create, the default branch
  | 'fork-timeout'; // a fork did not appear in time

export type MissingPermission = 'contents: write' | 'pull-requests: write' | 'workflow';

export class PullRequestError extends Error {
  override readonly name = 'PullRequestError';
  constructor(
    readonly kind: PullRequestErrorKind,
    message: string,
    readonly details: { status?: number; permission?: MissingPermission; retryAfter?: number; failure?: Failure } = {},
  ) {
    super(message);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get permission(): MissingPermission | undefined {
    return this.details.permission;
  }
}

export interface OpenPullRequestOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  /** Repository path -> new content (UTF-8). */
  changes: Map<string, string>;
  title: string;
  body: string;
  /** `pipewarden/<group>`, e.g. `pipewarden/pinning`; the branch is `<prefix>-<hash of the changes>`. */
  branchPrefix: string;
  draft?: boolean;
  /** Whether a changed file is a workflow (needs the `workflow` scope); detected from the paths when not given. */
  workflowFiles?: boolean;
  /** First line of the commit message (default: the title). The marker trailer is always added. */
  commitMessage?: string;
  /** Polling for a new fork to appear: attempts (default 10) and the wait before attempt n, n * intervalMs (default 1000). */
  forkPoll?: { attempts?: number; intervalMs?: number };
  /** Progress lines (no secrets in them). */
  log?: (line: string) => void;
}

export interface PullRequestResult {
  action: 'created' | 'updated' | 'unchanged';
  url: string;
  number: number;
  branch: string;
  /** `owner/repo` of the fork the branch lives in, when the token cannot push to the repository. */
  fork?: string;
  note?: string;
}

/** Short hash of the sorted (path, content) pairs: the same changes give the same branch name. */
export function changesHash(changes: Map<string, string>): string {
  const h = createHash('sha256');
  for (const [p, content] of [...changes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    h.update(`${Buffer.byteLength(p)}:${p}\0${Buffer.byteLength(content)}:`);
    h.update(content);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 10);
}

export function isWorkflowPath(p: string): boolean {
  return /^\.github\/workflows\//.test(p);
}

export function hasMarker(message: string): boolean {
  return message
    .trimEnd()
    .split('\n')
    .some((line) => line.trim() === MARKER_TRAILER);
}

type Step = 'read-repo' | 'fork' | 'read-git' | 'write-git' | 'write-ref' | 'list-pulls' | 'create-pull' | 'update-pull' | 'delete-ref';

interface Ctx {
  gh: GitHubClient;
  host: string;
  upstream: string;
  workflows: boolean;
  workflowPath?: string;
  classicScopes?: string[];
}

/** Turns an Octokit failure during `step` into a PullRequestError that says what is wrong and what to do. */
function classify(ctx: Ctx, step: Step, target: string, err: unknown): PullRequestError {
  if (err instanceof PullRequestError) return err;
  const failure = describeFailure(err, ctx.host);
  const what = stepText(step, target);
  if (failure.connection) return new PullRequestError('network', `${what}: ${failure.message}`, { failure });
  const status = failure.status;
  const gm = failure.githubMessage ?? '';
  const base = { failure, ...(status !== undefined ? { status } : {}), ...(failure.retryAfter !== undefined ? { retryAfter: failure.retryAfter } : {}) };
  const said = gm ? ` (GitHub said: ${gm})` : '';
  if (status === 401) return new PullRequestError('auth', `${what}: GitHub rejected the token (HTTP 401${said}); it is missing, expired or revoked`, base);
  if ((status === 403 || status === 429) && (/rate limit/i.test(gm) || failure.retryAfter !== undefined)) {
    const wait = failure.retryAfter !== undefined ? `; GitHub asks to wait ${failure.retryAfter} s before trying again` : '';
    const which = /secondary/i.test(gm) ? 'secondary rate limit' : 'rate limit';
    return new PullRequestError('rate-limit', `${what}: stopped by GitHub's ${which} after waiting and retrying (HTTP ${status})${wait}`, base);
  }
  const isWrite = step === 'write-git' || step === 'write-ref';
  if ((step === 'write-ref' || isWrite) && /workflow/i.test(gm) && (status === 403 || status === 404 || status === 422)) {
    return new PullRequestError(
      'missing-permission',
      `${what}: GitHub refused to change a workflow file${ctx.workflowPath ? ` (${ctx.workflowPath})` : ''}: the token needs the \`workflow\` scope (classic token) or \`workflows: write\` (fine-grained token or GitHub App)${said}`,
      { ...base, permission: 'workflow' },
    );
  }
  if (isWrite && (status === 403 || status === 404)) {
    if (/archived/i.test(gm)) return new PullRequestError('refused', `${what}: ${ctx.upstream} is archived (read-only)`, base);
    return new PullRequestError(
      'missing-permission',
      `${what}: the token cannot write to ${target} (HTTP ${status}${said}): it needs \`contents: write\` (fine-grained token or GitHub App) or the \`repo\` scope (classic token)`,
      { ...base, permission: 'contents: write' },
    );
  }
  if ((step === 'create-pull' || step === 'update-pull') && status === 403) {
    return new PullRequestError(
      'missing-permission',
      `${what}: the token may not open or edit pull requests on ${ctx.upstream} (HTTP 403${said}): it needs \`pull-requests: write\` (fine-grained token or GitHub App) or the \`repo\` scope (classic token)`,
      { ...base, permission: 'pull-requests: write' },
    );
  }
  if (status === 404) return new PullRequestError('not-found', `${what}: not found (HTTP 404): ${target} does not exist or the token cannot see it`, base);
  if (status === 409) return new PullRequestError('conflict', `${what}: conflict (HTTP 409${said})${/empty/i.test(gm) ? '; the repository has no commits yet' : ''}`, base);
  if (status === 422) return new PullRequestError('validation', `${what}: GitHub rejected the request (HTTP 422${said})`, base);
  if (status === 403) return new PullRequestError('missing-permission', `${what}: forbidden (HTTP 403${said})`, base);
  if (status !== undefined && status >= 500) return new PullRequestError('server', `${what}: GitHub had a server error (HTTP ${status}${said}) and retrying did not help; try again later`, base);
  return new PullRequestError('server', `${what}: ${failure.message}`, base);
}

function stepText(step: Step, target: string): string {
  switch (step) {
    case 'read-repo':
      return `reading ${target}`;
    case 'fork':
      return `forking ${target}`;
    case 'read-git':
      return `reading git data of ${target}`;
    case 'write-git':
      return `writing the commit to ${target}`;
    case 'write-ref':
      return `updating a branch of ${target}`;
    case 'list-pulls':
      return `listing pull requests of ${target}`;
    case 'create-pull':
      return `opening the pull request on ${target}`;
    case 'update-pull':
      return `updating the pull request on ${target}`;
    case 'delete-ref':
      return `deleting a branch of ${target}`;
  }
}

async function call<T>(ctx: Ctx, step: Step, target: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classify(ctx, step, target, err);
  }
}

interface RepoRef {
  owner: string;
  repo: string;
}
const full = (r: RepoRef): string => `${r.owner}/${r.repo}`;

export async function openRemediationPullRequest(opts: OpenPullRequestOptions): Promise<PullRequestResult> {
  const { client: gh, owner, repo, changes, title } = opts;
  const log = opts.log ?? (() => {});
  if (!opts.branchPrefix.startsWith(BRANCH_ROOT) || !/^pipewarden\/[A-Za-z0-9._-]+$/.test(opts.branchPrefix)) {
    throw new PullRequestError('refused', `branch prefix ${JSON.stringify(opts.branchPrefix)} must be ${BRANCH_ROOT}<group> (letters, digits, . _ -)`);
  }
  if (changes.size === 0) throw new PullRequestError('refused', 'no changes to propose');
  for (const p of changes.keys()) {
    if (!p || p.startsWith('/') || p.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git')) throw new PullRequestError('refused', `not a repository path: ${JSON.stringify(p)}`);
  }
  const workflowPath = [...changes.keys()].sort().find(isWorkflowPath);
  const ctx: Ctx = { gh, host: clientHost(gh), upstream: `${owner}/${repo}`, workflows: opts.workflowFiles ?? workflowPath !== undefined, ...(workflowPath ? { workflowPath } : {}) };
  const upstream: RepoRef = { owner, repo };

  // 1. The repository: default branch, whether we may push, the token's scopes (classic tokens say).
  const info = await call(ctx, 'read-repo', ctx.upstream, () => gh.rest.repos.get({ owner, repo }));
  const scopesHeader = info.headers['x-oauth-scopes'];
  if (typeof scopesHeader === 'string') ctx.classicScopes = scopesHeader.split(',').map((s) => s.trim()).filter(Boolean);
  if (info.data.archived) throw new PullRequestError('refused', `${ctx.upstream} is archived (read-only); pipewarden cannot propose changes to it`);
  const defaultBranch = text(info.data.default_branch, `GitHub's answer for ${ctx.upstream}`, 'default_branch');
  if (ctx.workflows && ctx.classicScopes && !ctx.classicScopes.includes('workflow')) {
    throw new PullRequestError(
      'missing-permission',
      `the changes touch ${workflowPath ?? 'workflow files'}, and GitHub refuses workflow changes from a classic token without the \`workflow\` scope (this token has: ${ctx.classicScopes.join(', ') || 'no scopes'}); add the \`workflow\` scope`,
      { permission: 'workflow' },
    );
  }

  // 2. Where the branch goes: the repository itself, or a fork when we may not push.
  let target = upstream;
  let note: string | undefined;
  if (info.data.permissions && info.data.permissions.push === false) {
    target = await ensureFork(ctx, upstream, opts.forkPoll, log);
    note = `the token cannot push to ${ctx.upstream}, so the branch was pushed to the fork ${full(target)} and the pull request opened from there`;
  }

  const headSha = await call(ctx, 'read-git', ctx.upstream, async () => sha((await gh.rest.git.getRef({ owner, repo, ref: `heads/${defaultBranch}` })).data.object?.sha, `the ${defaultBranch} branch of ${ctx.upstream}`));
  const headCommit = await call(ctx, 'read-git', ctx.upstream, async () => (await gh.rest.git.getCommit({ owner, repo, commit_sha: headSha })).data);

  // 3. What the default branch holds: file modes to keep, and symlinks or submodules not to overwrite.
  const baseTree = validSha(headCommit.tree?.sha, `the tree of ${defaultBranch}`);
  const baseFiles = await listTree(ctx, upstream, baseTree);
  const modes = new Map<string, '100644' | '100755'>();
  for (const p of changes.keys()) {
    const entry = baseFiles?.get(p);
    if (entry && entry.type !== 'blob') throw new PullRequestError('refused', `${p} is a submodule on ${defaultBranch}; pipewarden will not replace it with a file`);
    if (entry?.mode === '120000') throw new PullRequestError('refused', `${p} is a symbolic link on ${defaultBranch}; pipewarden will not replace it with a file — change its target instead`);
    modes.set(p, entry?.mode === '100755' ? '100755' : '100644');
  }
  const message = `${opts.commitMessage ?? title}\n\n${MARKER_TRAILER}\n`;
  let treeSha: string | undefined;
  const tree = async (): Promise<string> => (treeSha ??= await buildTree(ctx, target, baseTree, changes, modes));
  const isFork = target !== upstream;
  const headLabel = (branch: string): string => (isFork ? `${target.owner}:${branch}` : branch);

  // 4. An open pull request of this group already? Update it.
  const existing = await findOpenPull(ctx, upstream, target, opts.branchPrefix, defaultBranch);
  if (existing) {
    const branch = existing.branch;
    assertOurBranch(branch, defaultBranch);
    const seen = await readBranchHead(ctx, target, branch);
    if (!seen) throw new PullRequestError('conflict', `pull request #${existing.number} comes from ${full(target)}:${branch}, which no longer exists; close it or restore the branch`);
    if (!hasMarker(seen.message)) throw new PullRequestError('refused', `the branch ${branch} of pull request #${existing.number} has a commit pipewarden did not make (${seen.sha.slice(0, 12)}); pipewarden will not overwrite it — merge or close that pull request first`);
    // Already right? Compared without writing anything when the trees can be listed whole.
    const expected = baseFiles && expectedFiles(baseFiles, changes, modes);
    const current = expected && seen.parents[0] === headSha ? await listTree(ctx, target, seen.tree) : undefined;
    if ((current && expected && sameFiles(current, expected)) || (!current && seen.parents[0] === headSha && seen.tree === (await tree()))) {
      log(`pull request #${existing.number} is up to date`);
      return { action: 'unchanged', url: existing.url, number: existing.number, branch, ...(isFork ? { fork: full(target) } : {}), ...(note ? { note } : {}) };
    }
    const commit = await createCommit(ctx, target, message, await tree(), headSha);
    await forceWithLease(ctx, target, branch, seen.sha, commit);
    log(`updated ${branch} for pull request #${existing.number}`);
    const updated = await call(ctx, 'update-pull', ctx.upstream, () => gh.rest.pulls.update({ owner, repo, pull_number: existing.number, title, body: opts.body }));
    return { action: 'updated', url: updated.data.html_url, number: existing.number, branch, ...(isFork ? { fork: full(target) } : {}), ...(note ? { note } : {}) };
  }

  // 5. A new branch and pull request.
  const branch = `${opts.branchPrefix}-${changesHash(changes)}`;
  assertOurBranch(branch, defaultBranch);
  const commit = await createCommit(ctx, target, message, await tree(), headSha);
  let created = false;
  const leftover = await readBranchHead(ctx, target, branch);
  if (leftover) {
    // Left from an earlier run whose pull request was closed or never opened: ours to reuse only if pipewarden made it.
    if (!hasMarker(leftover.message)) throw new PullRequestError('refused', `a branch named ${branch} already exists in ${full(target)} with a commit pipewarden did not make; pipewarden will not overwrite it`);
    await forceWithLease(ctx, target, branch, leftover.sha, commit);
  } else {
    await call(ctx, 'write-ref', full(target), () => gh.rest.git.createRef({ owner: target.owner, repo: target.repo, ref: `refs/heads/${branch}`, sha: commit }));
    created = true;
  }
  log(`pushed ${branch} to ${full(target)}`);
  try {
    const pr = await call(ctx, 'create-pull', ctx.upstream, () =>
      gh.rest.pulls.create({ owner, repo, title, body: opts.body, head: headLabel(branch), base: defaultBranch, draft: opts.draft ?? false, ...(isFork ? { maintainer_can_modify: true } : {}) }),
    );
    const number = pr.data.number;
    if (!Number.isInteger(number)) throw new PullRequestError('server', `GitHub's answer to opening the pull request on ${ctx.upstream} has no pull request number`);
    log(`opened pull request #${number}`);
    return { action: 'created', url: text(pr.data.html_url, 'the new pull request', 'html_url'), number, branch, ...(isFork ? { fork: full(target) } : {}), ...(note ? { note } : {}) };
  } catch (err) {
    if (!created) throw err;
    // Leave nothing half-made: the branch exists only for this pull request.
    const e = err as PullRequestError;
    try {
      await call(ctx, 'delete-ref', full(target), () => gh.rest.git.deleteRef({ owner: target.owner, repo: target.repo, ref: `heads/${branch}` }));
    } catch (cleanup) {
      throw new PullRequestError(e.kind, `${e.message}; and the branch ${branch} could not be deleted again (${(cleanup as Error).message}) — delete it by hand`, e.details);
    }
    throw new PullRequestError(e.kind, `${e.message}; the branch ${branch} was deleted again`, e.details);
  }
}

/** A field GitHub's answer must have; a clear error when it does not (a proxy's HTML page, a changed API). */
function text(value: unknown, what: string, field: string): string {
  if (typeof value === 'string' && value) return value;
  throw new PullRequestError('server', `${what} lacks ${field}; is this a GitHub API (or a proxy's answer)?`);
}

function validSha(value: unknown, what: string): string {
  if (typeof value === 'string' && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(value)) return value;
  throw new PullRequestError('server', `GitHub's answer for ${what} has no valid object SHA; is this a GitHub API (or a proxy's answer)?`);
}
const sha = validSha;

function assertOurBranch(branch: string, defaultBranch: string): void {
  if (!branch.startsWith(BRANCH_ROOT) || branch === defaultBranch) throw new PullRequestError('refused', `pipewarden pushes only to ${BRANCH_ROOT}* branches, never to ${branch}`);
}

async function ensureFork(ctx: Ctx, upstream: RepoRef, poll: OpenPullRequestOptions['forkPoll'], log: (line: string) => void): Promise<RepoRef> {
  const gh = ctx.gh;
  const forked = await call(ctx, 'fork', ctx.upstream, () => gh.rest.repos.createFork({ owner: upstream.owner, repo: upstream.repo, default_branch_only: true }));
  const fork = { owner: text(forked.data.owner?.login, `GitHub's answer to forking ${ctx.upstream}`, 'owner.login'), repo: text(forked.data.name, `GitHub's answer to forking ${ctx.upstream}`, 'name') };
  log(`forking ${ctx.upstream} to ${full(fork)}`);
  const attempts = poll?.attempts ?? 10;
  const interval = poll?.intervalMs ?? 1000;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await gh.rest.repos.get({ owner: fork.owner, repo: fork.repo });
      return fork;
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw classify(ctx, 'fork', full(fork), err);
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, attempt * interval));
  }
  throw new PullRequestError('fork-timeout', `the fork ${full(fork)} of ${ctx.upstream} did not appear after ${attempts} checks; run again in a minute`);
}

type TreeFiles = Map<string, { mode: string; type: string; sha: string }>;

/** Every entry under a tree by path (one recursive request), or undefined when GitHub truncates the listing. */
async function listTree(ctx: Ctx, where: RepoRef, treeSha: string): Promise<TreeFiles | undefined> {
  const { data } = await call(ctx, 'read-git', full(where), () => ctx.gh.rest.git.getTree({ owner: where.owner, repo: where.repo, tree_sha: treeSha, recursive: 'true' }));
  if (data.truncated || !Array.isArray(data.tree)) return undefined;
  const out: TreeFiles = new Map();
  for (const e of data.tree) if (e.path && e.type !== 'tree') out.set(e.path, { mode: String(e.mode), type: String(e.type), sha: String(e.sha) });
  return out;
}

/** The git blob id of some text, as GitHub will compute it. */
export function blobSha(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

function expectedFiles(base: TreeFiles, changes: Map<string, string>, modes: Map<string, string>): TreeFiles {
  const out: TreeFiles = new Map(base);
  for (const [p, content] of changes) out.set(p, { mode: modes.get(p) ?? '100644', type: 'blob', sha: blobSha(content) });
  return out;
}

function sameFiles(a: TreeFiles, b: TreeFiles): boolean {
  if (a.size !== b.size) return false;
  for (const [p, e] of a) {
    const o = b.get(p);
    if (!o || o.sha !== e.sha || o.mode !== e.mode) return false;
  }
  return true;
}

async function buildTree(ctx: Ctx, target: RepoRef, baseTree: string, changes: Map<string, string>, modes: Map<string, '100644' | '100755'>): Promise<string> {
  const gh = ctx.gh;
  const entries: Array<{ path: string; mode: '100644' | '100755'; type: 'blob'; sha: string }> = [];
  for (const [p, content] of [...changes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const blob = await call(ctx, 'write-git', full(target), () => gh.rest.git.createBlob({ owner: target.owner, repo: target.repo, content: Buffer.from(content, 'utf8').toString('base64'), encoding: 'base64' }));
    entries.push({ path: p, mode: modes.get(p) ?? '100644', type: 'blob', sha: sha(blob.data.sha, `the blob for ${p}`) });
  }
  const tree = await call(ctx, 'write-git', full(target), () => gh.rest.git.createTree({ owner: target.owner, repo: target.repo, base_tree: baseTree, tree: entries }));
  return sha(tree.data.sha, 'the new tree');
}

async function createCommit(ctx: Ctx, target: RepoRef, message: string, tree: string, parent: string): Promise<string> {
  const res = await call(ctx, 'write-git', full(target), () => ctx.gh.rest.git.createCommit({ owner: target.owner, repo: target.repo, message, tree, parents: [parent] }));
  return sha(res.data.sha, 'the new commit');
}

async function readBranchHead(ctx: Ctx, target: RepoRef, branch: string): Promise<{ sha: string; message: string; tree: string; parents: string[] } | undefined> {
  const gh = ctx.gh;
  let head: string;
  try {
    head = validSha((await gh.rest.git.getRef({ owner: target.owner, repo: target.repo, ref: `heads/${branch}` })).data.object?.sha, `the branch ${branch}`);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw classify(ctx, 'read-git', full(target), err);
  }
  const c = await call(ctx, 'read-git', full(target), () => gh.rest.git.getCommit({ owner: target.owner, repo: target.repo, commit_sha: head }));
  return { sha: head, message: text(c.data.message, `commit ${head}`, 'message'), tree: validSha(c.data.tree?.sha, `the tree of commit ${head}`), parents: (c.data.parents ?? []).map((p) => p.sha) };
}

/** Moves `branch` to `commit` only if it is still at `expected` (or at another pipewarden commit). */
async function forceWithLease(ctx: Ctx, target: RepoRef, branch: string, expected: string, commit: string): Promise<void> {
  const now = await readBranchHead(ctx, target, branch);
  if (!now) throw new PullRequestError('conflict', `the branch ${branch} in ${full(target)} was deleted while pipewarden was updating it; run again`);
  if (now.sha !== expected && !hasMarker(now.message)) {
    throw new PullRequestError('conflict', `the branch ${branch} in ${full(target)} moved to ${now.sha.slice(0, 12)}, a commit pipewarden did not make; pipewarden will not overwrite someone's work — merge or close the pull request first`);
  }
  await call(ctx, 'write-ref', full(target), () => ctx.gh.rest.git.updateRef({ owner: target.owner, repo: target.repo, ref: `heads/${branch}`, sha: commit, force: true }));
}

async function findOpenPull(ctx: Ctx, upstream: RepoRef, target: RepoRef, prefix: string, base: string): Promise<{ number: number; url: string; branch: string } | undefined> {
  const gh = ctx.gh;
  // pulls.list's head filter matches one exact branch; list the open ones and match the prefix.
  for (let page = 1; page <= 10; page++) {
    const { data } = await call(ctx, 'list-pulls', ctx.upstream, () => gh.rest.pulls.list({ owner: upstream.owner, repo: upstream.repo, state: 'open', base, per_page: 100, page }));
    const hit = data.find((pr) => pr.head.ref.startsWith(`${prefix}-`) && pr.head.repo?.full_name.toLowerCase() === full(target).toLowerCase());
    if (hit) return { number: hit.number, url: hit.html_url, branch: hit.head.ref };
    if (data.length < 100) break;
  }
  return undefined;
}
