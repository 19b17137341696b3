/**
 * A loopback stand-in for the GitHub REST endpoints pipewarden uses. Every request is matched
 * against GitHub's published OpenAPI description (@octokit/openapi) — the path and method must
 * exist and query parameters must be declared — and every response body is validated against
 * the operation's schema, so the stand-in cannot drift from the real API. Violations are
 * collected for the test to assert on.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { deflateSync } from 'node:zlib';
import nodePath from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

interface Operation {
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, { name: string; in: string }>; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
}

let loaded: { spec: Spec; ajv: Ajv; routes: Array<{ template: string; re: RegExp }> } | undefined;

function load() {
  if (loaded) return loaded;
  const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as Spec;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, discriminator: false });
  ajv.addSchema(openApiToJsonSchema({ components: spec.components }) as object, 'gh');
  const routes = Object.keys(spec.paths).map((template) => ({
    template,
    // {ref} in /git/ref/{ref} may hold slashes (tags/v1); other parameters are one segment.
    re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'ref' ? '(.+)' : '([^/]+)'))}$`),
  }));
  loaded = { spec, ajv, routes };
  return loaded;
}

const validators = new Map<string, ValidateFunction>();

export interface StandinRepo {
  /** Tag name -> commit SHA; `annotated` tags get a tag object in between. */
  tags: Array<{ name: string; commit: string; annotated?: boolean }>;
  branches: Record<string, string>;
  commits: string[];
}

export interface Standin {
  url: string;
  requests: Array<{ method: string; path: string; auth?: string }>;
  violations: string[];
  close(): Promise<void>;
  /** The stateful part: repositories with git objects, refs, pull requests and forks. */
  state: StandinState;
  /** Creates (or replaces) a repository whose default branch holds `files` in one commit; returns that commit's SHA. */
  seedRepository(fullName: string, opts?: SeedOptions): string;
  /** Who a token belongs to and, for classic OAuth tokens, its scopes (sent as X-OAuth-Scopes). Unknown tokens act as `pipewarden-bot` without the header. */
  setToken(token: string, info: TokenInfo): void;
  /** Answers the next `times` (default 1) matching requests with `status`/`body`/`headers`, or drops the connection, or never answers. */
  inject(injection: Injection): void;
  /** A branch's files (walking its tree), path -> content. */
  readBranch(fullName: string, branch: string): Map<string, string>;
  /** A repository's refs (`refs/heads/main` -> SHA). */
  refs(fullName: string): Record<string, string>;
  pulls(fullName: string): PullSummary[];
  commit(fullName: string, sha: string): StoredCommit | undefined;
  /** Someone else's push: a commit on top of `branch` changing `files`, moving the branch. Returns its SHA. */
  pushCommit(fullName: string, branch: string, files: Record<string, string>, message: string): string;
  /**
   * Serves a local bare repository for git clients at `<url>/<owner>/<repo>.git` (smart HTTP,
   * through `git http-backend`; fetch and clone only). Without it, a stateful repository is served
   * from the stand-in's own objects, so a clone sees exactly the branches the API created.
   */
  serveGitRepository(fullName: string, bareDir: string): void;
  /** Writes a stateful repository's objects and refs to a bare repository and returns its path. */
  gitRepository(fullName: string): string;
  /** Repository settings the remote checks read (Actions permissions, protection, rulesets, environments, security features). */
  configure(fullName: string, settings: Partial<StandinSettings>): void;
  /** The global advisory database GET /advisories answers from. */
  advisories: StandinAdvisory[];
}

/** Settings of a stateful repository; unset ones take GitHub's defaults for a new repository. */
export interface StandinSettings {
  defaultWorkflowPermissions: 'read' | 'write';
  canApprovePullRequestReviews: boolean;
  actionsEnabled: boolean;
  allowedActions: 'all' | 'local_only' | 'selected';
  /** undefined: the answer leaves the field out. */
  shaPinningRequired?: boolean;
  forkPrApproval: 'first_time_contributors_new_to_github' | 'first_time_contributors' | 'all_external_contributors';
  /** Classic protection per branch; `reviews` undefined means pull request reviews are not required. */
  protection: Record<string, { reviews?: { count: number; codeOwners: boolean } }>;
  /** Active rules per branch, as GET /rules/branches/{branch} lists them. */
  branchRules: Record<string, Array<{ type: 'pull_request'; count: number; codeOwners: boolean } | { type: 'deletion' | 'non_fast_forward' }>>;
  immutableReleases: boolean;
  tagRulesets: Array<{ id: number; name: string; enforcement: 'active' | 'evaluate' | 'disabled'; include: string[]; exclude?: string[]; rules: Array<'update' | 'deletion' | 'creation' | 'non_fast_forward'> }>;
  vulnerabilityAlerts: boolean;
  privateVulnerabilityReporting: boolean;
  environments: Record<string, { reviewers?: number; waitTimer?: number; branchPolicy?: { protectedBranches: boolean; customBranchPolicies: boolean } }>;
}

export interface StandinAdvisory {
  ghsaId: string;
  summary: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  withdrawn?: boolean;
  vulnerabilities: Array<{ package: string; range: string; patched: string | null }>;
}

export interface SeedOptions {
  defaultBranch?: string;
  /** Files of the default branch: a Map or record of path -> content, or a local directory to read. */
  files?: Map<string, string> | Record<string, string> | string;
  /** Whether the authenticated user may push (default true). */
  push?: boolean;
  private?: boolean;
  archived?: boolean;
  fork?: boolean;
  /** Repository topics (listed by GET /orgs/{org}/repos and GET /repos/{owner}/{repo}). */
  topics?: string[];
  /** repos.get of a fork created by createFork answers 404 this many times first, as GitHub's forks take a while to appear. */
  forkDelay?: number;
  /** File modes other than 100644 (e.g. 100755 for a script, 120000 for a symlink whose content is its target). */
  modes?: Record<string, string>;
}

export interface TokenInfo {
  login: string;
  /** Classic OAuth token scopes; undefined for fine-grained tokens and app tokens (no X-OAuth-Scopes header). */
  scopes?: string[];
  /** Fine-grained permissions this token lacks: writes to git data / pull requests answer 403. */
  denied?: Array<'contents' | 'pull-requests'>;
}

export interface Injection {
  method?: string;
  /** Matched against the percent-decoded path under /api/v3 (with the query string). */
  pathPattern: RegExp;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many requests to affect (default 1). */
  times?: number;
  /** 'drop' closes the connection without an answer; 'hang' never answers (until close()); 'tap' runs `run` and then answers normally. */
  action?: 'respond' | 'drop' | 'hang' | 'tap';
  /** For 'tap': what happens just before the request is handled (e.g. someone else pushes). */
  run?: (state: StandinState) => void;
}

export interface PullSummary {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  /** `owner:branch` */
  head: string;
  base: string;
  draft: boolean;
  headSha: string;
}

export interface StoredCommit {
  tree: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
}

interface TreeEntry {
  name: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
}

interface StateRepo {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  push: boolean;
  private: boolean;
  archived: boolean;
  fork: boolean;
  topics: string[];
  parent?: string;
  /** 404s left before a fresh fork shows up. */
  hiddenFor: number;
  refs: Map<string, string>;
  pulls: Array<PullSummary & { id: number; user: string; createdAt: string; updatedAt: string }>;
  settings?: Partial<StandinSettings>;
  createdAt: string;
}

export interface StandinState {
  repos: Map<string, StateRepo>;
  /** One object store for the whole stand-in (forks share objects, as on GitHub). */
  blobs: Map<string, Buffer>;
  trees: Map<string, TreeEntry[]>;
  commits: Map<string, StoredCommit>;
  /** Every object's git type and bytes, to write real repositories for git clients. */
  raw: Map<string, { type: 'blob' | 'tree' | 'commit'; body: Buffer }>;
}

/**
 * @param synthesize answer for repositories not in `repos` too, as if every ref asked for were
 *   a lightweight tag at a commit derived from its name (for corpus fix-checks).
 */
export async function startGitHubStandin(repos: Record<string, StandinRepo>, synthesize = false): Promise<Standin> {
  const { spec, ajv, routes } = load();
  const requests: Standin['requests'] = [];
  const violations: string[] = [];
  const state: StandinState = { repos: new Map(), blobs: new Map(), trees: new Map(), commits: new Map(), raw: new Map() };
  const gitRoot = mkdtempSync(nodePath.join(os.tmpdir(), 'pipewarden-standin-git-'));
  const gitServed = new Map<string, string>();
  const tokens = new Map<string, TokenInfo>();
  const injections: Array<Injection & { left: number }> = [];
  const advisories: StandinAdvisory[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => serve(req, res, Buffer.concat(chunks)));
  });

  function serve(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers.authorization;
    const method = (req.method ?? 'GET').toUpperCase();
    requests.push({ method, path: url.pathname + url.search, ...(auth ? { auth } : {}) });
    const token = auth?.replace(/^(?:token|bearer)\s+/i, '');
    const who: TokenInfo = (token && tokens.get(token)) || { login: 'pipewarden-bot' };
    const extraHeaders: Record<string, string> = who.scopes ? { 'x-oauth-scopes': who.scopes.join(', ') } : {};
    const send = (status: number, body: unknown, template?: string, headers: Record<string, string> = {}): void => {
      if (template) validateResponse(template, method, status, body);
      if (status === 204 || status === 304) {
        res.writeHead(status, { ...extraHeaders, ...headers });
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extraHeaders, ...headers });
      res.end(JSON.stringify(body));
    };
    const git = /^\/([^/]+)\/([^/]+?)\.git(\/.*)$/.exec(url.pathname);
    if (git && !url.pathname.startsWith('/api/')) {
      const fullName = `${git[1]}/${git[2]}`.toLowerCase();
      const dir = gitServed.get(fullName) ?? (state.repos.has(fullName) ? materialize(state, gitRoot, fullName) : undefined);
      if (!dir) return send(404, { message: 'Not Found' });
      return gitHttpBackend(dir, git[3]!, req, res, raw, violations);
    }
    if (!url.pathname.startsWith('/api/v3/')) return send(404, { message: 'Not Found' });
    const path = url.pathname.slice('/api/v3'.length);
    const injected = injections.find((i) => i.left > 0 && (!i.method || i.method.toUpperCase() === method) && i.pathPattern.test(safeDecode(path) + url.search));
    if (injected) injected.left--;
    if (injected?.action === 'tap') injected.run?.(state);
    else if (injected) {
      if (injected.action === 'drop') {
        req.socket.destroy();
        return;
      }
      if (injected.action === 'hang') return;
      const status = injected.status ?? 500;
      return send(status, injected.body ?? { message: http.STATUS_CODES[status] ?? 'Error', documentation_url: 'https://docs.github.com/rest' }, undefined, injected.headers);
    }
    const route = routes.find((r) => r.re.test(path) && spec.paths[r.template]?.[method.toLowerCase()]);
    if (!route) {
      violations.push(`${method} ${path}: no such operation in GitHub's OpenAPI description`);
      return send(404, { message: 'Not Found' });
    }
    const op = spec.paths[route.template]![method.toLowerCase()]!;
    const declared = new Set(
      (op.parameters ?? []).map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()!]! : (p as { name: string; in: string }))).filter((p) => p.in === 'query').map((p) => p.name),
    );
    for (const q of url.searchParams.keys()) if (!declared.has(q)) violations.push(`${method} ${route.template}: undeclared query parameter ${q}`);
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        violations.push(`${method} ${route.template}: request body is not JSON`);
        return send(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest' });
      }
    }
    validateRequest(route.template, method, body);
    const params = route.re.exec(path)!.slice(1).map(decodeURIComponent);
    if (synthesize) synthesizeRepo(repos, route.template, params);
    let answer: { status: number; body: unknown; headers?: Record<string, string> };
    try {
      const key = `${params[0]}/${params[1]}`.toLowerCase();
      answer = route.template === '/advisories'
        ? listAdvisories(advisories, url.searchParams)
        : route.template === '/orgs/{org}/repos' && method === 'GET'
        ? listOrgRepos(state, who, params[0]!, url, port)
        : state.repos.has(key) || (route.template === '/repos/{owner}/{repo}' && method === 'GET')
        ? handleState(state, who, method, route.template, params, url.searchParams, body as Record<string, unknown> | undefined)
        : method === 'GET'
          ? handle(repos, route.template, params, url.searchParams)
          : { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
    } catch (err) {
      violations.push(`${method} ${route.template}: stand-in failed: ${(err as Error).stack}`);
      return send(500, { message: 'stand-in error' });
    }
    try {
      send(answer.status, answer.body, route.template, answer.headers);
    } catch (err) {
      violations.push(`${method} ${route.template}: validator failed: ${(err as Error).message}`);
      if (!res.headersSent) send(500, { message: 'stand-in error' });
    }
  }

  function schemaOf(response: { content?: Record<string, { schema?: unknown }>; $ref?: string } | undefined): unknown {
    const resolved = response?.$ref ? spec.components.responses[response.$ref.split('/').pop()!] : response;
    return resolved?.content?.['application/json']?.schema;
  }

  function validateRequest(template: string, method: string, body: unknown): void {
    const schema = spec.paths[template]![method.toLowerCase()]!.requestBody?.content?.['application/json']?.schema;
    if (!schema || body === undefined) return;
    const key = `${method} ${template} request`;
    const validate = validators.get(key) ?? ajv.compile(rewriteRefs(schema));
    validators.set(key, validate);
    if (!validate(body)) violations.push(`${method} ${template}: request body does not match the schema: ${ajv.errorsText(validate.errors)}`);
  }

  function validateResponse(template: string, method: string, status: number, body: unknown): void {
    const op = spec.paths[template]![method.toLowerCase()]!;
    const response = op.responses[String(status)];
    // GitHub answers 404 {"message": "Not Found"} on every repository endpoint when the repository does
    // not exist or the token cannot see it, documented there or not.
    if (!response && status === 404 && (body as { message?: unknown } | undefined)?.message === 'Not Found') return;
    if (!response) {
      violations.push(`${method} ${template}: status ${status} is not a documented response`);
      return;
    }
    const schema = schemaOf(response);
    if (!schema) return;
    const key = `${method} ${template} ${status}`;
    const validate = validators.get(key) ?? ajv.compile(rewriteRefs(schema));
    validators.set(key, validate);
    if (!validate(body)) violations.push(`${method} ${template} ${status}: response does not match the schema: ${ajv.errorsText(validate.errors)}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    state,
    seedRepository: (fullName, opts = {}) => seedRepository(state, fullName, opts),
    setToken: (token, info) => void tokens.set(token, info),
    inject: (injection) => void injections.push({ ...injection, left: injection.times ?? 1 }),
    readBranch: (fullName, branch) => {
      const repo = state.repos.get(fullName.toLowerCase());
      const sha = repo?.refs.get(`refs/heads/${branch}`);
      if (!repo || !sha) throw new Error(`stand-in: ${fullName} has no branch ${branch}`);
      return readTree(state, state.commits.get(sha)!.tree);
    },
    refs: (fullName) => Object.fromEntries([...(state.repos.get(fullName.toLowerCase())?.refs ?? new Map<string, string>())].sort()),
    pulls: (fullName) => (state.repos.get(fullName.toLowerCase())?.pulls ?? []).map(({ number, state: st, title, body, head, base, draft, headSha }) => ({ number, state: st, title, body, head, base, draft, headSha })),
    commit: (fullName, sha) => (state.repos.has(fullName.toLowerCase()) ? state.commits.get(sha) : undefined),
    pushCommit: (fullName, branch, files, message) => pushCommit(state, fullName, branch, files, message),
    serveGitRepository: (fullName, bareDir) => void gitServed.set(fullName.toLowerCase(), bareDir),
    gitRepository: (fullName) => materialize(state, gitRoot, fullName.toLowerCase()),
    configure: (fullName, settings) => {
      const repo = state.repos.get(fullName.toLowerCase());
      if (!repo) throw new Error(`stand-in: no repository ${fullName}`);
      repo.settings = { ...repo.settings, ...settings };
    },
    advisories,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(gitRoot, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** Points `#/components/...` references at the schema registered as `gh`. */
function rewriteRefs(schema: unknown): object {
  return openApiToJsonSchema(JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, '"$ref":"gh#/components/'))) as object;
}

/** OpenAPI 3.0's `nullable: true` becomes JSON Schema's "or null". */
function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'nullable') out[k] = openApiToJsonSchema(v);
  return (node as { nullable?: boolean }).nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

const API = 'http://127.0.0.1/api/v3';

function handle(repos: Record<string, StandinRepo>, template: string, params: string[], query: URLSearchParams): { status: number; body: unknown } {
  const [owner, name] = params as [string, string];
  const repo = repos[`${owner}/${name}`];
  const notFound = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  if (!repo) return notFound;
  const base = `${API}/repos/${owner}/${name}`;
  switch (template) {
    case '/repos/{owner}/{repo}/git/ref/{ref}': {
      const ref = params[2]!;
      let target: { type: string; sha: string } | undefined;
      if (ref.startsWith('tags/')) {
        const tag = repo.tags.find((t) => t.name === ref.slice(5));
        if (tag) target = tag.annotated ? { type: 'tag', sha: tagObjectSha(tag.name) } : { type: 'commit', sha: tag.commit };
      } else if (ref.startsWith('heads/')) {
        const sha = repo.branches[ref.slice(6)];
        if (sha) target = { type: 'commit', sha };
      }
      if (!target) return notFound;
      return { status: 200, body: { ref: `refs/${ref}`, node_id: 'REF_x', url: `${base}/git/refs/${ref}`, object: { ...target, url: `${base}/git/${target.type}s/${target.sha}` } } };
    }
    case '/repos/{owner}/{repo}/git/tags/{tag_sha}': {
      const tag = repo.tags.find((t) => t.annotated && tagObjectSha(t.name) === params[2]);
      if (!tag) return notFound;
      return {
        status: 200,
        body: {
          node_id: 'TAG_x',
          tag: tag.name,
          sha: params[2],
          url: `${base}/git/tags/${params[2]}`,
          message: `Release ${tag.name}`,
          tagger: { name: 'releaser', email: 'releaser@example.com', date: '2025-01-01T00:00:00Z' },
          object: { sha: tag.commit, type: 'commit', url: `${base}/git/commits/${tag.commit}` },
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
        },
      };
    }
    case '/repos/{owner}/{repo}/tags': {
      const perPage = Number(query.get('per_page') ?? 30);
      const page = Number(query.get('page') ?? 1);
      const slice = repo.tags.slice((page - 1) * perPage, page * perPage);
      return {
        status: 200,
        body: slice.map((t) => ({ name: t.name, node_id: 'T_x', commit: { sha: t.commit, url: `${base}/commits/${t.commit}` }, zipball_url: `${base}/zipball/${t.name}`, tarball_url: `${base}/tarball/${t.name}` })),
      };
    }
    case '/repos/{owner}/{repo}/commits/{ref}': {
      const sha = repo.commits.find((c) => c.startsWith(params[2]!));
      if (!sha) return { status: 422, body: { message: `No commit found for SHA: ${params[2]}`, documentation_url: 'https://docs.github.com/rest' } };
      const person = { name: 'dev', email: 'dev@example.com', date: '2025-01-01T00:00:00Z' };
      return {
        status: 200,
        body: {
          url: `${base}/commits/${sha}`,
          sha,
          node_id: 'C_x',
          html_url: `http://127.0.0.1/${owner}/${name}/commit/${sha}`,
          comments_url: `${base}/commits/${sha}/comments`,
          commit: { url: `${base}/git/commits/${sha}`, author: person, committer: person, message: 'change', comment_count: 0, tree: { sha, url: `${base}/git/trees/${sha}` } },
          author: null,
          committer: null,
          parents: [],
        },
      };
    }
    default:
      return notFound;
  }
}

function tagObjectSha(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(5);
}

function fakeSha(text: string): string {
  let out = '';
  for (let seed = 0; out.length < 40; seed++) {
    let h = 2166136261 ^ seed;
    for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

/** Creates the repository and a tag named by the requested ref on first sight. */
function synthesizeRepo(repos: Record<string, StandinRepo>, template: string, params: string[]): void {
  const key = `${params[0]}/${params[1]}`;
  const repo = (repos[key] ??= { tags: [], branches: {}, commits: [] });
  if (template === '/repos/{owner}/{repo}/git/ref/{ref}' && params[2]!.startsWith('tags/')) {
    const name = params[2]!.slice(5);
    if (!repo.tags.some((t) => t.name === name)) {
      const commit = fakeSha(`${key}@${name}`);
      repo.tags.push({ name, commit });
      repo.commits.push(commit);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The stateful part: git objects with real git SHAs, refs, pull requests, forks.

const DOCS = 'https://docs.github.com/rest';
const STANDIN_DATE = '2025-01-01T00:00:00Z';

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function gitSha(type: string, content: Buffer): string {
  return createHash('sha1').update(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content])).digest('hex');
}

function putBlob(state: StandinState, content: Buffer): string {
  const sha = gitSha('blob', content);
  state.blobs.set(sha, content);
  state.raw.set(sha, { type: 'blob', body: content });
  return sha;
}

function putTree(state: StandinState, entries: TreeEntry[]): string {
  // Git orders tree entries by name, a directory as if its name ended in '/'.
  const sortKey = (e: TreeEntry): string => (e.type === 'tree' ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const body = Buffer.concat(sorted.map((e) => Buffer.concat([Buffer.from(`${e.type === 'tree' ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')])));
  const sha = gitSha('tree', body);
  state.trees.set(sha, sorted);
  state.raw.set(sha, { type: 'tree', body });
  return sha;
}

function putCommit(state: StandinState, commit: StoredCommit): string {
  const stamp = (p: { name: string; email: string; date: string }): string => `${p.name} <${p.email}> ${Math.floor(Date.parse(p.date) / 1000)} +0000`;
  const text = [`tree ${commit.tree}`, ...commit.parents.map((p) => `parent ${p}`), `author ${stamp(commit.author)}`, `committer ${stamp(commit.committer)}`, '', commit.message].join('\n');
  const sha = gitSha('commit', Buffer.from(text));
  state.commits.set(sha, commit);
  state.raw.set(sha, { type: 'commit', body: Buffer.from(text) });
  return sha;
}

/** path -> {mode, sha} for every blob under a tree. */
function flatten(state: StandinState, treeSha: string, prefix = '', out = new Map<string, { mode: string; sha: string }>()): Map<string, { mode: string; sha: string }> {
  for (const e of state.trees.get(treeSha) ?? []) {
    if (e.type === 'tree') flatten(state, e.sha, `${prefix}${e.name}/`, out);
    else out.set(`${prefix}${e.name}`, { mode: e.mode, sha: e.sha });
  }
  return out;
}

function buildTree(state: StandinState, files: Map<string, { mode: string; sha: string }>): string {
  const here: TreeEntry[] = [];
  const dirs = new Map<string, Map<string, { mode: string; sha: string }>>();
  for (const [p, f] of files) {
    const slash = p.indexOf('/');
    if (slash < 0) here.push({ name: p, mode: f.mode, type: 'blob', sha: f.sha });
    else {
      const dir = p.slice(0, slash);
      if (!dirs.has(dir)) dirs.set(dir, new Map());
      dirs.get(dir)!.set(p.slice(slash + 1), f);
    }
  }
  for (const [dir, sub] of dirs) here.push({ name: dir, mode: '040000', type: 'tree', sha: buildTree(state, sub) });
  return putTree(state, here);
}

function readTree(state: StandinState, treeSha: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [p, f] of [...flatten(state, treeSha)].sort(([a], [b]) => (a < b ? -1 : 1))) out.set(p, state.blobs.get(f.sha)!.toString('utf8'));
  return out;
}

function readDir(dir: string, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir).sort()) {
    if (name === '.git') continue;
    const full = nodePath.join(dir, name);
    if (statSync(full).isDirectory()) readDir(full, `${prefix}${name}/`, out);
    else out.set(`${prefix}${name}`, readFileSync(full, 'utf8'));
  }
  return out;
}

let nextId = 1000;

function seedRepository(state: StandinState, fullName: string, opts: SeedOptions): string {
  const [owner, name] = fullName.split('/') as [string, string];
  const files = typeof opts.files === 'string' ? readDir(opts.files) : opts.files instanceof Map ? opts.files : new Map(Object.entries(opts.files ?? { 'README.md': `# ${name}\n` }));
  const tree = buildTree(state, new Map([...files].map(([p, c]) => [p, { mode: opts.modes?.[p] ?? '100644', sha: putBlob(state, Buffer.from(c)) }])));
  const person = { name: 'Maintainer', email: 'maintainer@example.com', date: STANDIN_DATE };
  const head = putCommit(state, { tree, parents: [], message: 'Initial commit', author: person, committer: person });
  const defaultBranch = opts.defaultBranch ?? 'main';
  state.repos.set(fullName.toLowerCase(), {
    owner,
    name,
    id: nextId++,
    defaultBranch,
    push: opts.push ?? true,
    private: opts.private ?? false,
    archived: opts.archived ?? false,
    fork: opts.fork ?? false,
    topics: opts.topics ?? [],
    hiddenFor: 0,
    refs: new Map([[`refs/heads/${defaultBranch}`, head]]),
    pulls: [],
    createdAt: STANDIN_DATE,
  });
  // Remember how long forks of this repository take to appear.
  if (opts.forkDelay) forkDelays.set(fullName.toLowerCase(), opts.forkDelay);
  return head;
}

const forkDelays = new Map<string, number>();

function pushCommit(state: StandinState, fullName: string, branch: string, files: Record<string, string>, message: string): string {
  const repo = state.repos.get(fullName.toLowerCase());
  const parent = repo?.refs.get(`refs/heads/${branch}`);
  if (!repo || !parent) throw new Error(`stand-in: ${fullName} has no branch ${branch}`);
  const all = flatten(state, state.commits.get(parent)!.tree);
  for (const [p, c] of Object.entries(files)) all.set(p, { mode: '100644', sha: putBlob(state, Buffer.from(c)) });
  const person = { name: 'Someone Else', email: 'someone@example.com', date: STANDIN_DATE };
  const sha = putCommit(state, { tree: buildTree(state, all), parents: [parent], message, author: person, committer: person });
  repo.refs.set(`refs/heads/${branch}`, sha);
  return sha;
}

function userBody(login: string): Record<string, unknown> {
  const api = `${API}/users/${login}`;
  return {
    login,
    id: 1 + [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7),
    node_id: `U_${login}`,
    avatar_url: `http://127.0.0.1/avatars/${login}`,
    gravatar_id: '',
    url: api,
    html_url: `http://127.0.0.1/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

function repoBody(state: StandinState, repo: StateRepo, who: TokenInfo, full: boolean): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `${API}/repos/${fullName}`;
  const canPush = repo.push || repo.owner.toLowerCase() === who.login.toLowerCase();
  const parent = repo.parent ? state.repos.get(repo.parent) : undefined;
  const body: Record<string, unknown> = {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: fullName,
    owner: userBody(repo.owner),
    private: repo.private,
    html_url: `http://127.0.0.1/${fullName}`,
    description: null,
    fork: repo.fork,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://127.0.0.1/${fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@127.0.0.1:${fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `http://127.0.0.1/${fullName}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: `http://127.0.0.1/${fullName}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues_count: repo.pulls.filter((p) => p.state === 'open').length,
    open_issues: repo.pulls.filter((p) => p.state === 'open').length,
    is_template: false,
    topics: repo.topics ?? [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: repo.archived,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    permissions: { admin: repo.owner.toLowerCase() === who.login.toLowerCase(), maintain: canPush, push: canPush, triage: canPush, pull: true },
    allow_forking: true,
    license: null,
  };
  if (full) {
    body.network_count = 0;
    body.subscribers_count = 0;
    if (parent) {
      body.parent = repoBody(state, parent, who, false);
      body.source = body.parent;
    }
  }
  return body;
}

/**
 * GET /orgs/{org}/repos: the organisation's stateful repositories (owner matching, any case),
 * sorted by full name as `sort=full_name` does, paginated with per_page (default 30, at most 100)
 * and page, with a Link header (next, last) the way GitHub sends it.
 */
function listOrgRepos(state: StandinState, who: TokenInfo, org: string, url: URL, port: number): Answer {
  const all = [...state.repos.values()].filter((r) => r.owner.toLowerCase() === org.toLowerCase() && r.hiddenFor === 0);
  if (all.length === 0) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
  all.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const link = (n: number, rel: string): string => {
    const u = new URL(`http://127.0.0.1:${port}${url.pathname}`);
    for (const [k, v] of url.searchParams) if (k !== 'page') u.searchParams.set(k, v);
    u.searchParams.set('page', String(n));
    return `<${u.href}>; rel="${rel}"`;
  };
  const links = [...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []), ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : [])];
  const body = all.slice((page - 1) * perPage, page * perPage).map((r) => repoBody(state, r, who, false));
  return { status: 200, body, ...(links.length ? { headers: { link: links.join(', ') } } : {}) };
}

function refBody(repo: StateRepo, ref: string, sha: string): Record<string, unknown> {
  const api = `${API}/repos/${repo.owner}/${repo.name}`;
  return { ref, node_id: `REF_${sha.slice(0, 8)}`, url: `${api}/git/${ref}`, object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` } };
}

function commitBody(repo: StateRepo, sha: string, c: StoredCommit): Record<string, unknown> {
  const api = `${API}/repos/${repo.owner}/${repo.name}`;
  return {
    sha,
    node_id: `C_${sha.slice(0, 8)}`,
    url: `${api}/git/commits/${sha}`,
    html_url: `http://127.0.0.1/${repo.owner}/${repo.name}/commit/${sha}`,
    author: c.author,
    committer: c.committer,
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}`, html_url: `http://127.0.0.1/${repo.owner}/${repo.name}/commit/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function treeBody(state: StandinState, repo: StateRepo, sha: string): Record<string, unknown> {
  const api = `${API}/repos/${repo.owner}/${repo.name}`;
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    truncated: false,
    tree: state.trees.get(sha)!.map((e) => ({
      path: e.name,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      url: `${api}/git/${e.type}s/${e.sha}`,
      ...(e.type === 'blob' ? { size: state.blobs.get(e.sha)!.length } : {}),
    })),
  };
}

/** GitHub's recursive listing: every blob and sub-tree with its full path, parents before children. */
function recursiveEntries(state: StandinState, repo: StateRepo, treeSha: string, prefix = ''): Array<Record<string, unknown>> {
  const api = `${API}/repos/${repo.owner}/${repo.name}`;
  const out: Array<Record<string, unknown>> = [];
  for (const e of state.trees.get(treeSha) ?? []) {
    out.push({ path: `${prefix}${e.name}`, mode: e.mode, type: e.type, sha: e.sha, url: `${api}/git/${e.type}s/${e.sha}`, ...(e.type === 'blob' ? { size: state.blobs.get(e.sha)!.length } : {}) });
    if (e.type === 'tree') out.push(...recursiveEntries(state, repo, e.sha, `${prefix}${e.name}/`));
  }
  return out;
}

function pullBody(state: StandinState, repo: StateRepo, pr: StateRepo['pulls'][number], who: TokenInfo, full: boolean): Record<string, unknown> {
  const api = `${API}/repos/${repo.owner}/${repo.name}`;
  const html = `http://127.0.0.1/${repo.owner}/${repo.name}/pull/${pr.number}`;
  const [headOwner, headRef] = pr.head.split(':') as [string, string];
  const headRepo = [...state.repos.values()].find((r) => r.owner.toLowerCase() === headOwner.toLowerCase() && (r === repo || r.parent === `${repo.owner}/${repo.name}`.toLowerCase())) ?? repo;
  const side = (label: string, ref: string, r: StateRepo, sha: string) => ({ label, ref, repo: repoBody(state, r, who, false), sha, user: userBody(r.owner) });
  const baseSha = repo.refs.get(`refs/heads/${pr.base}`) ?? '';
  const body: Record<string, unknown> = {
    url: `${api}/pulls/${pr.number}`,
    id: pr.id,
    node_id: `PR_${pr.id}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pr.number}`,
    commits_url: `${api}/pulls/${pr.number}/commits`,
    review_comments_url: `${api}/pulls/${pr.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pr.number}/comments`,
    statuses_url: `${api}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userBody(pr.user),
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pr.head, headRef, headRepo, pr.headSha),
    base: side(`${repo.owner}:${pr.base}`, pr.base, repo, baseSha),
    _links: {
      self: { href: `${api}/pulls/${pr.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${pr.number}` },
      comments: { href: `${api}/issues/${pr.number}/comments` },
      review_comments: { href: `${api}/pulls/${pr.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${pr.number}/commits` },
      statuses: { href: `${api}/statuses/${pr.headSha}` },
    },
    author_association: pr.user.toLowerCase() === repo.owner.toLowerCase() ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: pr.draft,
  };
  if (full) Object.assign(body, { merged: false, mergeable: null, rebaseable: null, mergeable_state: 'unknown', merged_by: null, comments: 0, review_comments: 0, maintainer_can_modify: false, commits: 1, additions: 1, deletions: 1, changed_files: 1 });
  return body;
}

function isAncestor(state: StandinState, ancestor: string, sha: string): boolean {
  const seen = new Set<string>();
  const queue = [sha];
  while (queue.length && seen.size < 10_000) {
    const cur = queue.shift()!;
    if (cur === ancestor) return true;
    if (seen.has(cur)) continue;
    seen.add(cur);
    queue.push(...(state.commits.get(cur)?.parents ?? []));
  }
  return false;
}

/** The first workflow file a ref update to `sha` would change, compared with the default branch. */
function changedWorkflow(state: StandinState, repo: StateRepo, sha: string): string | undefined {
  const head = repo.refs.get(`refs/heads/${repo.defaultBranch}`);
  const before = head ? flatten(state, state.commits.get(head)!.tree) : new Map<string, { mode: string; sha: string }>();
  const after = flatten(state, state.commits.get(sha)!.tree);
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].sort().find((p) => /^\.github\/workflows\//.test(p) && before.get(p)?.sha !== after.get(p)?.sha);
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

function handleState(state: StandinState, who: TokenInfo, method: string, template: string, params: string[], query: URLSearchParams, body: Record<string, unknown> | undefined): Answer {
  const notFound: Answer = { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
  const fullName = `${params[0]}/${params[1]}`.toLowerCase();
  const repo = state.repos.get(fullName);
  if (!repo) return notFound;
  if (repo.hiddenFor > 0 && template === '/repos/{owner}/{repo}' && method === 'GET') {
    repo.hiddenFor--;
    return notFound;
  }
  const canPush = repo.push || repo.owner.toLowerCase() === who.login.toLowerCase();
  const isWrite = method !== 'GET';
  const forbidden = (what: string): Answer => ({ status: 403, body: { message: `Resource not accessible by personal access token (${what})`, documentation_url: DOCS } });
  if (isWrite && template.includes('/git/')) {
    if (who.denied?.includes('contents')) return forbidden('contents: write');
    // Without push access GitHub hides the write endpoints: 404.
    if (!canPush) return notFound;
    if (repo.archived) return { status: 403, body: { message: 'Repository was archived so is read-only.', documentation_url: DOCS } };
  }
  const invalid = (message: string, status = 422): Answer => ({ status, body: { message, documentation_url: DOCS } });
  const b = body ?? {};
  switch (`${method} ${template}`) {
    case 'GET /repos/{owner}/{repo}':
      return { status: 200, body: repoBody(state, repo, who, true) };
    case 'GET /repos/{owner}/{repo}/git/ref/{ref}':
    case 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}': {
      const wanted = `refs/${params[2]}`;
      if (template.endsWith('/git/ref/{ref}')) {
        const sha = repo.refs.get(wanted);
        return sha ? { status: 200, body: refBody(repo, wanted, sha) } : notFound;
      }
      return { status: 200, body: [...repo.refs].filter(([r]) => r.startsWith(wanted)).sort(([a], [b2]) => (a < b2 ? -1 : 1)).map(([r, sha]) => refBody(repo, r, sha)) };
    }
    case 'POST /repos/{owner}/{repo}/git/blobs': {
      const content = String(b.content ?? '');
      const buf = b.encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
      const sha = putBlob(state, buf);
      return { status: 201, body: { url: `${API}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`, sha } };
    }
    case 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': {
      const blob = state.blobs.get(params[2]!);
      if (!blob) return notFound;
      return { status: 200, body: { sha: params[2], node_id: `B_${params[2]!.slice(0, 8)}`, url: `${API}/repos/${repo.owner}/${repo.name}/git/blobs/${params[2]}`, size: blob.length, content: blob.toString('base64'), encoding: 'base64' } };
    }
    case 'POST /repos/{owner}/{repo}/git/trees': {
      const baseTree = typeof b.base_tree === 'string' ? b.base_tree : undefined;
      if (baseTree && !state.trees.has(baseTree)) return invalid('base_tree is not a valid tree oid');
      const files = baseTree ? flatten(state, baseTree) : new Map<string, { mode: string; sha: string }>();
      for (const entry of (b.tree as Array<{ path: string; mode: string; type: string; sha?: string | null; content?: string }>) ?? []) {
        if (entry.type !== 'blob') return invalid(`stand-in: only blob entries are supported, not ${entry.type}`);
        if (entry.sha === null) files.delete(entry.path);
        else if (typeof entry.content === 'string') files.set(entry.path, { mode: entry.mode, sha: putBlob(state, Buffer.from(entry.content)) });
        else if (entry.sha && state.blobs.has(entry.sha)) files.set(entry.path, { mode: entry.mode, sha: entry.sha });
        else return invalid(`tree.sha ${entry.sha} is not a valid blob`);
      }
      const sha = buildTree(state, files);
      return { status: 201, body: treeBody(state, repo, sha) };
    }
    case 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': {
      if (!state.trees.has(params[2]!)) return notFound;
      const body = treeBody(state, repo, params[2]!);
      if (query.has('recursive')) body.tree = recursiveEntries(state, repo, params[2]!);
      return { status: 200, body };
    }
    case 'POST /repos/{owner}/{repo}/git/commits': {
      const tree = String(b.tree ?? '');
      if (!state.trees.has(tree)) return invalid('Tree SHA does not exist');
      const parents = (b.parents as string[] | undefined) ?? [];
      if (parents.some((p) => !state.commits.has(p))) return invalid('Parent SHA does not exist or is not a commit object');
      const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const dflt = { name: who.login, email: `${who.login}@users.noreply.example.com`, date };
      const person = (p: unknown) => (p && typeof p === 'object' ? { ...dflt, ...(p as object) } : dflt);
      const author = person(b.author);
      const commit: StoredCommit = { tree, parents, message: String(b.message ?? ''), author, committer: b.committer ? person(b.committer) : author };
      const sha = putCommit(state, commit);
      return { status: 201, body: commitBody(repo, sha, commit) };
    }
    case 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}': {
      const c = state.commits.get(params[2]!);
      return c ? { status: 200, body: commitBody(repo, params[2]!, c) } : notFound;
    }
    case 'POST /repos/{owner}/{repo}/git/refs':
    case 'PATCH /repos/{owner}/{repo}/git/refs/{ref}': {
      const creating = method === 'POST';
      const ref = creating ? String(b.ref ?? '') : `refs/${params[2]}`;
      const sha = String(b.sha ?? '');
      if (creating && !/^refs\/[^/]+\/.+/.test(ref)) return invalid('Reference name must start with refs/ and have at least two slashes');
      if (!state.commits.has(sha)) return invalid('Object does not exist');
      const current = repo.refs.get(ref);
      if (creating && current) return invalid('Reference already exists');
      if (!creating && !current) return invalid('Reference does not exist');
      if (!creating && b.force !== true && !isAncestor(state, current!, sha)) return invalid('Update is not a fast forward');
      const workflow = changedWorkflow(state, repo, sha);
      if (workflow && who.scopes && !who.scopes.includes('workflow')) return invalid(`refusing to allow a Personal Access Token to create or update workflow \`${workflow}\` without \`workflow\` scope`);
      if (workflow && who.denied?.includes('contents')) return forbidden('workflows: write');
      repo.refs.set(ref, sha);
      for (const pr of repo.pulls) if (pr.head === `${repo.owner}:${ref.replace(/^refs\/heads\//, '')}`) pr.headSha = sha;
      for (const upstream of state.repos.values()) for (const pr of upstream.pulls) if (pr.head.toLowerCase() === `${repo.owner}:${ref.replace(/^refs\/heads\//, '')}`.toLowerCase()) pr.headSha = sha;
      return { status: creating ? 201 : 200, body: refBody(repo, ref, sha) };
    }
    case 'DELETE /repos/{owner}/{repo}/git/refs/{ref}': {
      const ref = `refs/${params[2]}`;
      if (!repo.refs.has(ref)) return invalid('Reference does not exist');
      repo.refs.delete(ref);
      for (const r of state.repos.values()) for (const pr of r.pulls) if (pr.state === 'open' && pr.head.toLowerCase() === `${repo.owner}:${ref.replace(/^refs\/heads\//, '')}`.toLowerCase()) pr.state = 'closed';
      return { status: 204, body: undefined };
    }
    case 'GET /repos/{owner}/{repo}/pulls': {
      const st = query.get('state') ?? 'open';
      const head = query.get('head');
      const base = query.get('base');
      const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
      const page = Number(query.get('page') ?? 1);
      const list = repo.pulls
        .filter((p) => (st === 'all' || p.state === st) && (!head || p.head.toLowerCase() === head.toLowerCase()) && (!base || p.base === base))
        .sort((a, b2) => b2.number - a.number)
        .slice((page - 1) * perPage, page * perPage);
      return { status: 200, body: list.map((p) => pullBody(state, repo, p, who, false)) };
    }
    case 'POST /repos/{owner}/{repo}/pulls': {
      if (who.denied?.includes('pull-requests')) return forbidden('pull_requests: write');
      const headSpec = String(b.head ?? '');
      const [headOwner, headRef] = headSpec.includes(':') ? (headSpec.split(':') as [string, string]) : [repo.owner, headSpec];
      const headRepo = headOwner.toLowerCase() === repo.owner.toLowerCase() ? repo : [...state.repos.values()].find((r) => r.owner.toLowerCase() === headOwner.toLowerCase() && r.parent === fullName);
      const headSha = headRepo?.refs.get(`refs/heads/${headRef}`);
      const baseRef = String(b.base ?? '');
      const missing = (field: string) => ({ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field, code: 'invalid' }], documentation_url: DOCS } });
      if (!headSha) return missing('head');
      if (!repo.refs.has(`refs/heads/${baseRef}`)) return missing('base');
      const head = `${headRepo!.owner}:${headRef}`;
      if (repo.pulls.some((p) => p.state === 'open' && p.head.toLowerCase() === head.toLowerCase())) {
        return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${head}.` }], documentation_url: DOCS } };
      }
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const number = 1 + Math.max(0, ...[...state.repos.values()].filter((r) => r === repo).flatMap((r) => r.pulls.map((p) => p.number)));
      const pr = { number, id: nextId++, state: 'open' as const, title: String(b.title ?? ''), body: String(b.body ?? ''), head, base: baseRef, draft: b.draft === true, headSha, user: who.login, createdAt: now, updatedAt: now };
      repo.pulls.push(pr);
      return { status: 201, body: pullBody(state, repo, pr, who, true) };
    }
    case 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': {
      if (who.denied?.includes('pull-requests')) return forbidden('pull_requests: write');
      const pr = repo.pulls.find((p) => p.number === Number(params[2]));
      if (!pr) return notFound;
      if (typeof b.title === 'string') pr.title = b.title;
      if (typeof b.body === 'string') pr.body = b.body;
      if (b.state === 'open' || b.state === 'closed') pr.state = b.state;
      pr.updatedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      return { status: 200, body: pullBody(state, repo, pr, who, true) };
    }
    case 'POST /repos/{owner}/{repo}/forks': {
      const owner = typeof b.organization === 'string' ? b.organization : who.login;
      const name = typeof b.name === 'string' ? b.name : repo.name;
      const key = `${owner}/${name}`.toLowerCase();
      let fork = state.repos.get(key);
      if (!fork) {
        fork = {
          owner,
          name,
          id: nextId++,
          defaultBranch: repo.defaultBranch,
          push: true,
          private: repo.private,
          archived: false,
          fork: true,
          topics: [],
          parent: fullName,
          hiddenFor: forkDelays.get(fullName) ?? 0,
          refs: new Map(b.default_branch_only === false ? repo.refs : [[`refs/heads/${repo.defaultBranch}`, repo.refs.get(`refs/heads/${repo.defaultBranch}`)!]]),
          pulls: [],
          createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        };
        state.repos.set(key, fork);
      }
      return { status: 202, body: repoBody(state, fork, who, true) };
    }
    default:
      return method === 'GET' ? settingsAnswer(state, repo, template, params, query) ?? notFound : notFound;
  }
}

// ---------------------------------------------------------------------------------------------
// Repository settings, branches, tags, comparisons and advisories (the remote checks' facts).

const SETTING_DEFAULTS = {
  defaultWorkflowPermissions: 'read',
  canApprovePullRequestReviews: false,
  actionsEnabled: true,
  allowedActions: 'all',
  forkPrApproval: 'first_time_contributors',
  protection: {},
  branchRules: {},
  immutableReleases: false,
  tagRulesets: [],
  vulnerabilityAlerts: false,
  privateVulnerabilityReporting: false,
  environments: {},
} satisfies Omit<StandinSettings, 'shaPinningRequired'>;

function fullCommitBody(repo: StateRepo, sha: string, c: StoredCommit): Record<string, unknown> {
  const api = `${API}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${api}/commits/${sha}`,
    sha,
    node_id: `C_${sha.slice(0, 8)}`,
    html_url: `http://127.0.0.1/${repo.owner}/${repo.name}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: { url: `${api}/git/commits/${sha}`, author: c.author, committer: c.committer, message: c.message, comment_count: 0, tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` } },
    author: null,
    committer: null,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}` })),
  };
}

function ancestors(state: StandinState, sha: string): Set<string> {
  const seen = new Set<string>();
  const queue = [sha];
  while (queue.length && seen.size < 10_000) {
    const cur = queue.shift()!;
    if (seen.has(cur)) continue;
    seen.add(cur);
    queue.push(...(state.commits.get(cur)?.parents ?? []));
  }
  return seen;
}

function settingsAnswer(state: StandinState, repo: StateRepo, template: string, params: string[], query: URLSearchParams): Answer | undefined {
  const set = { ...SETTING_DEFAULTS, ...repo.settings } as StandinSettings;
  const api = `${API}/repos/${repo.owner}/${repo.name}`;
  const notFound = (message = 'Not Found'): Answer => ({ status: 404, body: { message, documentation_url: DOCS } });
  const page = <T>(items: T[]): T[] => {
    const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
    const n = Number(query.get('page') ?? 1);
    return items.slice((n - 1) * perPage, n * perPage);
  };
  const protectionBody = (branch: string): Record<string, unknown> => {
    const p = set.protection[branch];
    const url = `${api}/branches/${branch}/protection`;
    return {
      url,
      enabled: !!p,
      ...(p?.reviews
        ? { required_pull_request_reviews: { url: `${url}/required_pull_request_reviews`, dismiss_stale_reviews: false, require_code_owner_reviews: p.reviews.codeOwners, required_approving_review_count: p.reviews.count, require_last_push_approval: false } }
        : {}),
      enforce_admins: { url: `${url}/enforce_admins`, enabled: false },
      required_linear_history: { enabled: false },
      allow_force_pushes: { enabled: false },
      allow_deletions: { enabled: false },
    };
  };
  switch (template) {
    case '/repos/{owner}/{repo}/actions/permissions/workflow':
      return { status: 200, body: { default_workflow_permissions: set.defaultWorkflowPermissions, can_approve_pull_request_reviews: set.canApprovePullRequestReviews } };
    case '/repos/{owner}/{repo}/actions/permissions':
      return {
        status: 200,
        body: {
          enabled: set.actionsEnabled,
          ...(set.actionsEnabled ? { allowed_actions: set.allowedActions } : {}),
          ...(set.allowedActions === 'selected' ? { selected_actions_url: `${api}/actions/permissions/selected-actions` } : {}),
          ...(set.shaPinningRequired !== undefined ? { sha_pinning_required: set.shaPinningRequired } : {}),
        },
      };
    case '/repos/{owner}/{repo}/actions/permissions/fork-pr-contributor-approval':
      return { status: 200, body: { approval_policy: set.forkPrApproval } };
    case '/repos/{owner}/{repo}/branches': {
      const heads = [...repo.refs].filter(([r]) => r.startsWith('refs/heads/')).sort(([a], [b]) => (a < b ? -1 : 1));
      return { status: 200, body: page(heads).map(([r, sha]) => ({ name: r.slice(11), commit: { sha, url: `${api}/commits/${sha}` }, protected: !!set.protection[r.slice(11)] })) };
    }
    case '/repos/{owner}/{repo}/branches/{branch}': {
      const branch = params[2]!;
      const sha = repo.refs.get(`refs/heads/${branch}`);
      if (!sha) return notFound('Branch not found');
      return {
        status: 200,
        body: {
          name: branch,
          commit: fullCommitBody(repo, sha, state.commits.get(sha)!),
          _links: { html: `http://127.0.0.1/${repo.owner}/${repo.name}/tree/${branch}`, self: `${api}/branches/${branch}` },
          protected: !!set.protection[branch] || (set.branchRules[branch]?.length ?? 0) > 0,
          protection: protectionBody(branch),
          protection_url: `${api}/branches/${branch}/protection`,
        },
      };
    }
    case '/repos/{owner}/{repo}/branches/{branch}/protection': {
      if (!repo.refs.has(`refs/heads/${params[2]}`)) return notFound('Branch not found');
      if (!set.protection[params[2]!]) return notFound('Branch not protected');
      return { status: 200, body: protectionBody(params[2]!) };
    }
    case '/repos/{owner}/{repo}/rules/branches/{branch}': {
      const info = { ruleset_source_type: 'Repository', ruleset_source: `${repo.owner}/${repo.name}`, ruleset_id: 42 };
      const rules = (set.branchRules[params[2]!] ?? []).map((r) =>
        r.type === 'pull_request'
          ? { type: 'pull_request', parameters: { dismiss_stale_reviews_on_push: false, require_code_owner_review: r.codeOwners, require_last_push_approval: false, required_approving_review_count: r.count, required_review_thread_resolution: false }, ...info }
          : { type: r.type, ...info },
      );
      return { status: 200, body: page(rules) };
    }
    case '/repos/{owner}/{repo}/immutable-releases':
      return set.immutableReleases ? { status: 200, body: { enabled: true, enforced_by_owner: false } } : notFound('Immutable releases are not enabled for this repository');
    case '/repos/{owner}/{repo}/rulesets':
    case '/repos/{owner}/{repo}/rulesets/{ruleset_id}': {
      const body = (r: StandinSettings['tagRulesets'][number], full: boolean) => ({
        id: r.id,
        name: r.name,
        target: 'tag',
        source_type: 'Repository',
        source: `${repo.owner}/${repo.name}`,
        enforcement: r.enforcement,
        node_id: `RRS_${r.id}`,
        _links: { self: { href: `${api}/rulesets/${r.id}` }, html: { href: `http://127.0.0.1/${repo.owner}/${repo.name}/rules/${r.id}` } },
        ...(full ? { conditions: { ref_name: { include: r.include, exclude: r.exclude ?? [] } }, rules: r.rules.map((type) => ({ type })), bypass_actors: [], current_user_can_bypass: 'never' } : {}),
        created_at: STANDIN_DATE,
        updated_at: STANDIN_DATE,
      });
      if (template.endsWith('{ruleset_id}')) {
        const r = set.tagRulesets.find((x) => x.id === Number(params[2]));
        return r ? { status: 200, body: body(r, true) } : notFound();
      }
      const targets = query.get('targets');
      return { status: 200, body: page(set.tagRulesets.filter(() => !targets || targets.split(',').includes('tag')).map((r) => body(r, false))) };
    }
    case '/repos/{owner}/{repo}/vulnerability-alerts':
      return set.vulnerabilityAlerts ? { status: 204, body: undefined } : notFound('Vulnerability alerts are disabled.');
    case '/repos/{owner}/{repo}/private-vulnerability-reporting':
      return { status: 200, body: { enabled: set.privateVulnerabilityReporting } };
    case '/repos/{owner}/{repo}/environments/{environment_name}': {
      const name = Object.keys(set.environments).find((n) => n.toLowerCase() === params[2]!.toLowerCase());
      if (!name) return notFound();
      const e = set.environments[name]!;
      const rules: unknown[] = [];
      if (e.waitTimer) rules.push({ id: 1, node_id: 'GA_1', type: 'wait_timer', wait_timer: e.waitTimer });
      if (e.reviewers) {
        rules.push({ id: 2, node_id: 'GA_2', type: 'required_reviewers', prevent_self_review: false, reviewers: Array.from({ length: e.reviewers }, (_x, i) => ({ type: 'User', reviewer: userBody(`reviewer${i + 1}`) })) });
      }
      if (e.branchPolicy) rules.push({ id: 3, node_id: 'GA_3', type: 'branch_policy' });
      return {
        status: 200,
        body: {
          id: 7,
          node_id: `EN_${name}`,
          name,
          url: `${api}/environments/${encodeURIComponent(name)}`,
          html_url: `http://127.0.0.1/${repo.owner}/${repo.name}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
          created_at: STANDIN_DATE,
          updated_at: STANDIN_DATE,
          protection_rules: rules,
          deployment_branch_policy: e.branchPolicy ? { protected_branches: e.branchPolicy.protectedBranches, custom_branch_policies: e.branchPolicy.customBranchPolicies } : null,
        },
      };
    }
    case '/repos/{owner}/{repo}/tags': {
      const tags = [...repo.refs].filter(([r]) => r.startsWith('refs/tags/')).sort(([a], [b]) => (a < b ? 1 : -1));
      return {
        status: 200,
        body: page(tags).map(([r, sha]) => ({ name: r.slice(10), node_id: `T_${sha.slice(0, 8)}`, commit: { sha, url: `${api}/commits/${sha}` }, zipball_url: `${api}/zipball/${r.slice(10)}`, tarball_url: `${api}/tarball/${r.slice(10)}` })),
      };
    }
    case '/repos/{owner}/{repo}/compare/{basehead}': {
      const m = /^(.+?)\.\.\.(.+)$/.exec(params[2]!);
      if (!m) return notFound();
      const resolve = (ref: string): string | undefined => repo.refs.get(`refs/heads/${ref}`) ?? repo.refs.get(`refs/tags/${ref}`) ?? (state.commits.has(ref) ? ref : undefined);
      const base = resolve(m[1]!);
      const head = resolve(m[2]!);
      if (!base || !head) return notFound();
      const baseSet = ancestors(state, base);
      const headSet = ancestors(state, head);
      const ahead = [...headSet].filter((c) => !baseSet.has(c));
      const behind = [...baseSet].filter((c) => !headSet.has(c));
      const status = base === head ? 'identical' : ahead.length === 0 ? 'behind' : behind.length === 0 ? 'ahead' : 'diverged';
      const mergeBase = [...headSet].find((c) => baseSet.has(c)) ?? base;
      return {
        status: 200,
        body: {
          url: `${api}/compare/${params[2]}`,
          html_url: `http://127.0.0.1/${repo.owner}/${repo.name}/compare/${params[2]}`,
          permalink_url: `http://127.0.0.1/${repo.owner}/${repo.name}/compare/${base}...${head}`,
          diff_url: `http://127.0.0.1/${repo.owner}/${repo.name}/compare/${params[2]}.diff`,
          patch_url: `http://127.0.0.1/${repo.owner}/${repo.name}/compare/${params[2]}.patch`,
          base_commit: fullCommitBody(repo, base, state.commits.get(base)!),
          merge_base_commit: fullCommitBody(repo, mergeBase, state.commits.get(mergeBase)!),
          status,
          ahead_by: ahead.length,
          behind_by: behind.length,
          total_commits: ahead.length,
          commits: ahead.slice(0, Math.min(250, Number(query.get('per_page') ?? 250))).map((c) => fullCommitBody(repo, c, state.commits.get(c)!)),
          files: [],
        },
      };
    }
    default:
      return undefined;
  }
}

function listAdvisories(advisories: StandinAdvisory[], query: URLSearchParams): Answer {
  const ecosystem = query.get('ecosystem');
  const affects = query.get('affects')?.toLowerCase().split(',');
  const list = advisories.filter((a) => a.vulnerabilities.some((v) => (!ecosystem || ecosystem === 'actions') && (!affects || affects.includes(v.package.toLowerCase()))));
  return {
    status: 200,
    body: list.map((a) => ({
      ghsa_id: a.ghsaId,
      cve_id: null,
      url: `${API}/advisories/${a.ghsaId}`,
      html_url: `http://127.0.0.1/advisories/${a.ghsaId}`,
      repository_advisory_url: null,
      summary: a.summary,
      description: a.summary,
      type: 'reviewed',
      severity: a.severity,
      source_code_location: null,
      identifiers: [{ type: 'GHSA', value: a.ghsaId }],
      references: [],
      published_at: STANDIN_DATE,
      updated_at: STANDIN_DATE,
      github_reviewed_at: STANDIN_DATE,
      nvd_published_at: null,
      withdrawn_at: a.withdrawn ? STANDIN_DATE : null,
      vulnerabilities: a.vulnerabilities.map((v) => ({ package: { ecosystem: 'actions', name: v.package }, vulnerable_version_range: v.range, first_patched_version: v.patched, vulnerable_functions: null })),
      cvss: null,
      cwes: [],
      credits: [],
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// git smart HTTP: real repositories for git clients.

/** Writes (or refreshes) a bare repository holding the stand-in's objects and this repository's refs. */
function materialize(state: StandinState, root: string, fullName: string): string {
  const repo = state.repos.get(fullName);
  if (!repo) throw new Error(`stand-in: no repository ${fullName}`);
  const dir = nodePath.join(root, `${fullName}.git`);
  if (!existsSync(dir)) {
    mkdirSync(nodePath.join(dir, 'objects'), { recursive: true });
    writeFileSync(nodePath.join(dir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tbare = true\n');
  }
  for (const [sha, obj] of state.raw) {
    const file = nodePath.join(dir, 'objects', sha.slice(0, 2), sha.slice(2));
    if (existsSync(file)) continue;
    mkdirSync(nodePath.dirname(file), { recursive: true });
    writeFileSync(file, deflateSync(Buffer.concat([Buffer.from(`${obj.type} ${obj.body.length}\0`), obj.body])));
  }
  rmSync(nodePath.join(dir, 'refs'), { recursive: true, force: true });
  mkdirSync(nodePath.join(dir, 'refs', 'heads'), { recursive: true });
  mkdirSync(nodePath.join(dir, 'refs', 'tags'), { recursive: true });
  for (const [ref, sha] of repo.refs) {
    const file = nodePath.join(dir, ...ref.split('/'));
    mkdirSync(nodePath.dirname(file), { recursive: true });
    writeFileSync(file, `${sha}\n`);
  }
  writeFileSync(nodePath.join(dir, 'HEAD'), `ref: refs/heads/${repo.defaultBranch}\n`);
  return dir;
}

/** Runs `git http-backend` as a CGI program for one request. */
function gitHttpBackend(dir: string, pathInfo: string, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, violations: string[]): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: dir,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
      PATH_INFO: pathInfo,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: String(body.length),
      REMOTE_ADDR: '127.0.0.1',
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.on('error', (e) => {
    violations.push(`git http-backend could not run: ${e.message}`);
    if (!res.headersSent) res.writeHead(500).end();
  });
  child.on('close', () => {
    const all = Buffer.concat(out);
    const split = all.indexOf('\r\n\r\n') >= 0 ? all.indexOf('\r\n\r\n') : all.indexOf('\n\n');
    if (split < 0) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(Buffer.concat(err));
      return;
    }
    const head = all.subarray(0, split).toString('latin1');
    const rest = all.subarray(split + (all[split] === 0x0d ? 4 : 2));
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r?\n/)) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      if (m[1]!.toLowerCase() === 'status') status = Number.parseInt(m[2]!, 10) || 200;
      else headers[m[1]!] = m[2]!;
    }
    if (!res.headersSent) res.writeHead(status, headers).end(rest);
  });
  child.stdin.on('error', () => {});
  child.stdin.end(body);
}
