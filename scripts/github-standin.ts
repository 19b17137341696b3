/**
 * A loopback stand-in for the GitHub REST endpoints pipewarden uses. Every request is matched
 * against GitHub's published OpenAPI description (@octokit/openapi) — the path and method must
 * exist and query parameters must be declared — and every response body is validated against
 * the operation's schema, so the stand-in cannot drift from the real API. Violations are
 * collected for the test to assert on.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

interface Operation {
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, { name: string; in: string }> };
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
}

/**
 * @param synthesize answer for repositories not in `repos` too, as if every ref asked for were
 *   a lightweight tag at a commit derived from its name (for corpus fix-checks).
 */
export async function startGitHubStandin(repos: Record<string, StandinRepo>, synthesize = false): Promise<Standin> {
  const { spec, ajv, routes } = load();
  const requests: Standin['requests'] = [];
  const violations: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, ...(auth ? { auth } : {}) });
    const send = (status: number, body: unknown, template?: string): void => {
      if (template) validateResponse(template, status, body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (!url.pathname.startsWith('/api/v3/')) return send(404, { message: 'Not Found' });
    const path = url.pathname.slice('/api/v3'.length);
    const route = routes.find((r) => r.re.test(path) && spec.paths[r.template]?.[(req.method ?? 'GET').toLowerCase()]);
    if (!route) {
      violations.push(`${req.method} ${path}: no such operation in GitHub's OpenAPI description`);
      return send(404, { message: 'Not Found' });
    }
    const op = spec.paths[route.template]![(req.method ?? 'GET').toLowerCase()]!;
    const declared = new Set(
      (op.parameters ?? []).map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()!]! : (p as { name: string; in: string }))).filter((p) => p.in === 'query').map((p) => p.name),
    );
    for (const q of url.searchParams.keys()) if (!declared.has(q)) violations.push(`${req.method} ${route.template}: undeclared query parameter ${q}`);
    const params = route.re.exec(path)!.slice(1).map(decodeURIComponent);
    if (synthesize) synthesizeRepo(repos, route.template, params);
    const answer = handle(repos, route.template, params, url.searchParams);
    try {
      send(answer.status, answer.body, route.template);
    } catch (err) {
      violations.push(`GET ${route.template}: validator failed: ${(err as Error).message}`);
      if (!res.headersSent) send(500, { message: 'stand-in error' });
    }
  });

  function validateResponse(template: string, status: number, body: unknown): void {
    const op = spec.paths[template]!.get!;
    const response = op.responses[String(status)] as { content?: Record<string, { schema?: unknown }>; $ref?: string } | undefined;
    if (!response) {
      violations.push(`GET ${template}: status ${status} is not a documented response`);
      return;
    }
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return;
    const key = `${template} ${status}`;
    const validate = validators.get(key) ?? ajv.compile(rewriteRefs(schema));
    validators.set(key, validate);
    if (!validate(body)) violations.push(`GET ${template} ${status}: response does not match the schema: ${ajv.errorsText(validate.errors)}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
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
