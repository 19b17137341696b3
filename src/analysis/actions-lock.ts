/**
 * GitHub's Actions lockfile (`.github/workflows/actions.lock`, technical preview, written by
 * `gh actions-lock`): per workflow, the `owner/repo@ref` references it locks, and per reference the
 * commit. Format as github/gh-actions-lock emits it: version v0.0.2 keys `owner/repo@ref` with
 * `ref` and `commit: sha1-<hex>`; v0.0.1 keys `owner/repo@ref:sha1-<hex>`. Keys are repository
 * scoped (a sub-action path is not part of them) and owner/repo are compared case-insensitively.
 */
import type { RepoModel } from '../model/repo.js';
import { isMap, isSeq, scalarText, YamlFile } from '../model/yaml.js';

export const ACTIONS_LOCK = '.github/workflows/actions.lock';

export interface LockedRef {
  owner: string;
  repo: string;
  ref: string;
  /** The locked commit (hex, lower case), when the entry names one. */
  commit?: string;
}

export interface ActionsLock {
  version: string;
  /** Workflow path -> `owner/repo@ref` (owner/repo lower case) -> entry. */
  workflows: Map<string, Map<string, LockedRef>>;
}

/** `owner/repo@ref` with owner/repo lower-cased: the lockfile's index key. */
export function lockKey(owner: string, repo: string, ref: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}@${ref}`;
}

function parseKey(key: string): LockedRef | undefined {
  const m = /^([^/@\s]+)\/([^/@\s]+)@([^:\s]+)(?::sha1-([0-9a-fA-F]{40}))?$/.exec(key);
  return m ? { owner: m[1]!.toLowerCase(), repo: m[2]!.toLowerCase(), ref: m[3]!, ...(m[4] ? { commit: m[4].toLowerCase() } : {}) } : undefined;
}

/** The repository's lockfile, parsed once per model; undefined when there is none or it does not parse. */
export function actionsLock(repo: RepoModel): ActionsLock | undefined {
  const cached = cache.get(repo);
  if (cached !== undefined || cache.has(repo)) return cached;
  const file = repo.file(ACTIONS_LOCK);
  let out: ActionsLock | undefined;
  if (file) {
    const yaml = new YamlFile(file.path, file.text, []);
    const root = yaml.ok ? yaml.root : null;
    if (isMap(root)) {
      const deps = new Map<string, LockedRef>();
      const depsNode = yaml.get(root, 'dependencies');
      if (isMap(depsNode)) {
        for (const { key, value } of yaml.entries(depsNode)) {
          const parsed = parseKey(key);
          if (!parsed) continue;
          const commit = isMap(value) ? /^sha1-([0-9a-fA-F]{40})$/.exec(scalarText(yaml.get(value, 'commit')) ?? '')?.[1] : undefined;
          deps.set(lockKey(parsed.owner, parsed.repo, parsed.ref), { ...parsed, ...(commit ? { commit: commit.toLowerCase() } : {}) });
        }
      }
      const workflows = new Map<string, Map<string, LockedRef>>();
      const wfNode = yaml.get(root, 'workflows');
      if (isMap(wfNode)) {
        for (const { key, value } of yaml.entries(wfNode)) {
          const refs = new Map<string, LockedRef>();
          if (isSeq(value)) {
            for (const item of yaml.items(value)) {
              const parsed = parseKey(scalarText(item) ?? '');
              if (!parsed) continue;
              const k = lockKey(parsed.owner, parsed.repo, parsed.ref);
              refs.set(k, { ...parsed, ...(deps.get(k)?.commit && !parsed.commit ? { commit: deps.get(k)!.commit! } : {}) });
            }
          }
          workflows.set(key, refs);
        }
      }
      out = { version: scalarText(yaml.get(root, 'version')) ?? '', workflows };
    }
  }
  cache.set(repo, out);
  return out;
}

const cache = new WeakMap<RepoModel, ActionsLock | undefined>();

/**
 * The references the lockfile locks for each workflow (`owner/repo@ref` keys, see lockKey), with
 * their commits: GitHub runs those at the locked commit, so they count as pinned.
 */
export function lockedRefs(repo: RepoModel): ReadonlyMap<string, ReadonlyMap<string, LockedRef>> {
  return actionsLock(repo)?.workflows ?? new Map();
}

/** The lock entry for one `uses:` of a workflow, when the lockfile locks it to a commit. */
export function lockedFor(repo: RepoModel, workflowFile: string, owner: string, name: string, ref: string): LockedRef | undefined {
  const entry = lockedRefs(repo).get(workflowFile)?.get(lockKey(owner, name, ref));
  return entry?.commit ? entry : undefined;
}
