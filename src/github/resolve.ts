/**
 * Resolves `owner/repo@ref` to a commit SHA and the most specific tag at it (v4 -> v4.2.2),
 * through the GitHub API, once per run, with an on-disk cache that --offline reads alone and
 * that can be exported to and imported from a lock file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GitHubClient } from './client.js';
import { clientHost } from './host.js';
import { describeFailure } from './errors.js';

export interface Resolution {
  sha: string;
  /** What to write in the comment: the most specific tag at the commit, else the branch or ref. */
  version: string;
  kind: 'tag' | 'branch' | 'commit';
  resolvedAt: string;
}

export type ResolveResult = Resolution | { error: string };

export interface PinCache {
  version: 1;
  /** `<api host>|owner/repo@ref` (lower case) -> resolution; see cacheKey(). */
  entries: Record<string, Resolution>;
}

/** The key the engine looks results up by: lower-case `owner/repo@ref`. */
export function resolutionKey(owner: string, repo: string, ref: string): string {
  return `${owner}/${repo}@${ref}`.toLowerCase();
}

export const GITHUB_COM_API_HOST = 'api.github.com';

/**
 * The pin cache key: the API host the pin was resolved against, then the resolution key, so a pin
 * resolved against Enterprise Server or a stand-in is never used for github.com and vice versa.
 */
export function cacheKey(host: string, key: string): string {
  return `${host.toLowerCase()}|${key}`;
}

/** Entries written before keys carried a host were all resolved against github.com. */
function withHosts(entries: Record<string, Resolution>): Record<string, Resolution> {
  const out: Record<string, Resolution> = {};
  for (const [key, value] of Object.entries(entries)) if (key.includes('|')) out[key] = value;
  for (const [key, value] of Object.entries(entries)) if (!key.includes('|')) out[cacheKey(GITHUB_COM_API_HOST, key)] ??= value;
  return out;
}

export interface ResolveProgress {
  /** API look-ups started and not yet finished. */
  inFlight: number;
  /** API look-ups finished (resolved, failed or skipped). */
  done: number;
  /** API look-ups asked for so far (cache hits are not counted). */
  total: number;
}

export interface ResolverOptions {
  offline: boolean;
  now?: () => Date;
  /**
   * The API host pins are keyed by (`api.github.com`, `ghe.example.com`, `127.0.0.1:PORT`; see
   * apiHost()). Taken from the client when there is one. Without either (an --offline run that did
   * not say which server), the Resolver falls back to pins of any host, github.com's first —
   * pass `host: apiHost(githubUrl)` to rule that out.
   */
  host?: string;
  onProgress?: (progress: ResolveProgress) => void;
}

const TTL_MS = 24 * 60 * 60 * 1000;

export function defaultCachePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'pipewarden', 'resolutions.json');
}

export async function loadCache(file: string): Promise<PinCache> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as PinCache;
    if (parsed.version === 1 && parsed.entries && typeof parsed.entries === 'object') return { version: 1, entries: withHosts(parsed.entries) };
  } catch {
    // A missing or unreadable cache is an empty one.
  }
  return { version: 1, entries: {} };
}

export async function saveCache(file: string, cache: PinCache): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(cache, null, 2) + '\n');
  await rename(tmp, file);
}

export class Resolver {
  private readonly inFlight = new Map<string, Promise<ResolveResult>>();
  /** How many API look-ups this run made (each owner/repo@ref at most once). */
  lookups = 0;
  /** The first failure to reach GitHub at all (DNS, refused, timeout, TLS, dropped connection); later look-ups are skipped. */
  networkFailure?: string;
  /** The API host pins are keyed by; undefined only offline without a `host` option. */
  readonly host: string | undefined;
  private readonly progress: ResolveProgress = { inFlight: 0, done: 0, total: 0 };

  constructor(
    private readonly client: GitHubClient | undefined,
    readonly cache: PinCache,
    private readonly opts: ResolverOptions = { offline: false },
  ) {
    this.host = (opts.host ?? (client ? clientHost(client) : undefined))?.toLowerCase();
  }

  resolve(owner: string, repo: string, ref: string): Promise<ResolveResult> {
    const key = resolutionKey(owner, repo, ref);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.lookup(key, owner, repo, ref);
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** The cached pin for `key` resolved against this Resolver's host. */
  private cached(key: string): Resolution | undefined {
    const entries = this.cache.entries;
    if (this.host) return entries[cacheKey(this.host, key)] ?? (this.host === GITHUB_COM_API_HOST ? entries[key] : undefined);
    // Host not known (offline, no host option): github.com's pin first, else any server's.
    const direct = entries[cacheKey(GITHUB_COM_API_HOST, key)] ?? entries[key];
    if (direct) return direct;
    const other = Object.keys(entries)
      .filter((k) => k.endsWith(`|${key}`))
      .sort()[0];
    return other ? entries[other] : undefined;
  }

  private report(): void {
    this.opts.onProgress?.({ ...this.progress });
  }

  private async lookup(key: string, owner: string, repo: string, ref: string): Promise<ResolveResult> {
    const now = this.opts.now?.() ?? new Date();
    const cached = this.cached(key);
    if (cached && (this.opts.offline || now.getTime() - Date.parse(cached.resolvedAt) < TTL_MS)) return cached;
    if (this.opts.offline || !this.client) return { error: `${owner}/${repo}@${ref} is not in the pin cache and --offline is set` };
    this.progress.total++;
    if (this.networkFailure) {
      this.progress.done++;
      this.report();
      return { error: `skipped: ${this.networkFailure}` };
    }
    this.progress.inFlight++;
    this.report();
    this.lookups++;
    try {
      const found = await this.fromApi(this.client, owner, repo, ref);
      if ('error' in found) return found;
      const resolution: Resolution = { ...found, resolvedAt: now.toISOString() };
      this.cache.entries[cacheKey(this.host ?? GITHUB_COM_API_HOST, key)] = resolution;
      return resolution;
    } catch (err) {
      const failure = describeFailure(err, this.host);
      if (failure.connection) {
        this.networkFailure ??= `GitHub API unreachable: ${failure.message}`;
        return { error: `resolving ${owner}/${repo}@${ref}: ${failure.message}` };
      }
      return { error: `GitHub API: resolving ${owner}/${repo}@${ref}: ${failure.message}` };
    } finally {
      this.progress.inFlight--;
      this.progress.done++;
      this.report();
    }
  }

  private async fromApi(gh: GitHubClient, owner: string, repo: string, ref: string): Promise<Omit<Resolution, 'resolvedAt'> | { error: string }> {
    const tag = await getRef(gh, owner, repo, `tags/${ref}`);
    if (tag) {
      let { type, sha } = tag;
      // Annotated tags point at a tag object; follow it (and any chain) to the commit.
      for (let hops = 0; type === 'tag' && hops < 5; hops++) {
        const { data } = await gh.rest.git.getTag({ owner, repo, tag_sha: sha });
        type = data.object.type;
        sha = data.object.sha;
      }
      if (type !== 'commit') return { error: `${owner}/${repo}@${ref} is a tag of a ${type}, not a commit` };
      return { sha, version: await mostSpecificTag(gh, owner, repo, sha, ref), kind: 'tag' };
    }
    const branch = await getRef(gh, owner, repo, `heads/${ref}`);
    if (branch) return { sha: branch.sha, version: ref, kind: 'branch' };
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      const { data } = await gh.rest.repos.getCommit({ owner, repo, ref, per_page: 1 });
      return { sha: data.sha, version: await mostSpecificTag(gh, owner, repo, data.sha, ref), kind: 'commit' };
    }
    return { error: `${owner}/${repo} has no tag or branch named ${ref}` };
  }
}

async function getRef(gh: GitHubClient, owner: string, repo: string, ref: string): Promise<{ type: string; sha: string } | undefined> {
  try {
    const { data } = await gh.rest.git.getRef({ owner, repo, ref });
    if (typeof data?.object?.sha !== 'string' || typeof data.object.type !== 'string') throw new Error(`the answer for ${ref} is not a git reference (no object SHA); is this a GitHub API?`);
    return { type: data.object.type, sha: data.object.sha };
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

/** The tag at this commit with the most version components (v4.2.2 rather than v4); the ref itself if none. */
async function mostSpecificTag(gh: GitHubClient, owner: string, repo: string, sha: string, fallback: string): Promise<string> {
  const names: string[] = [];
  // Recent tags come first; three pages cover the releases a moving major tag points into.
  for (let page = 1; page <= 3; page++) {
    const { data } = await gh.rest.repos.listTags({ owner, repo, per_page: 100, page });
    names.push(...data.filter((t) => t.commit.sha === sha).map((t) => t.name));
    if (data.length < 100) break;
  }
  const specificity = (t: string): number => t.split('.').length * 1000 - t.length;
  return names.sort((a, b) => specificity(b) - specificity(a))[0] ?? fallback;
}
