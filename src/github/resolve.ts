/**
 * Resolves `owner/repo@ref` to a commit SHA and the most specific tag at it (v4 -> v4.2.2),
 * through the GitHub API, once per run, with an on-disk cache that --offline reads alone and
 * that can be exported to and imported from a lock file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GitHubClient } from './client.js';

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
  entries: Record<string, Resolution>;
}

const TTL_MS = 24 * 60 * 60 * 1000;

export function defaultCachePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'pipewarden', 'resolutions.json');
}

export async function loadCache(file: string): Promise<PinCache> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as PinCache;
    if (parsed.version === 1 && parsed.entries && typeof parsed.entries === 'object') return parsed;
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

/** The key of a look-up in an audit's resolutions: `owner/repo@ref`, lower-case. */
export function resolutionKey(owner: string, repo: string, ref: string): string {
  return `${owner}/${repo}@${ref}`.toLowerCase();
}

export class Resolver {
  private readonly inFlight = new Map<string, Promise<ResolveResult>>();
  /** How many API look-ups this run made (each owner/repo@ref at most once). */
  lookups = 0;

  constructor(
    private readonly client: GitHubClient | undefined,
    readonly cache: PinCache,
    private readonly opts: { offline: boolean; now?: () => Date } = { offline: false },
  ) {}

  resolve(owner: string, repo: string, ref: string): Promise<ResolveResult> {
    const key = `${owner}/${repo}@${ref}`.toLowerCase();
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.lookup(key, owner, repo, ref);
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async lookup(key: string, owner: string, repo: string, ref: string): Promise<ResolveResult> {
    const now = this.opts.now?.() ?? new Date();
    const cached = this.cache.entries[key];
    if (cached && (this.opts.offline || now.getTime() - Date.parse(cached.resolvedAt) < TTL_MS)) return cached;
    if (this.opts.offline || !this.client) return { error: `${owner}/${repo}@${ref} is not in the pin cache and --offline is set` };
    this.lookups++;
    try {
      const found = await this.fromApi(this.client, owner, repo, ref);
      if ('error' in found) return found;
      const resolution: Resolution = { ...found, resolvedAt: now.toISOString() };
      this.cache.entries[key] = resolution;
      return resolution;
    } catch (err) {
      const status = (err as { status?: number }).status;
      return { error: `GitHub API: ${status ? `HTTP ${status} ` : ''}resolving ${owner}/${repo}@${ref}` };
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
