/**
 * One audit: discover files, build the (immutable) model, gather the environment (GitHub
 * look-ups, `go mod verify`), run the checks the caller chose. Used by the engine session, the
 * corpus runner and tests. The audit knows nothing of the registry or the fix engine.
 */
import { defaultEnv, type AuditEnv } from '../analysis/env.js';
import { usesSites } from '../analysis/facts.js';
import { credentialMap, type CredentialMapEntry } from '../analysis/secrets.js';
import { resolutionKey, type Resolver, type ResolveResult } from '../github/resolve.js';
import type { RemoteFacts, RemoteGatherer } from '../github/settings.js';
import { wantedRemoteFacts } from '../analysis/remote.js';
import type { PipewardenConfig } from '../config/config.js';
import { discover, type DiscoveredRepo } from '../loader/discover.js';
import { goModVerify } from '../loader/go-verify.js';
import type { ParseCache } from '../model/cache.js';
import { buildRepoModel, type RepoModel } from '../model/repo.js';
import type { AuditError, Finding, Fix, RepoIdentity } from '../types.js';
import { canSplit, collectInParallel, parallelWorkers, type ParallelOptions } from './parallel.js';
import type { ResultCache } from './result-cache.js';
import type { Check } from '../check.js';
import type { AuditReport } from './report.js';
import { collectFindings, finishFindings, type RunOptions } from './runner.js';
import { applySuppressions } from './suppressions.js';

export interface AuditOptions extends RunOptions {
  checks: readonly Check[];
  identity?: RepoIdentity;
  now?: Date;
  label?: string;
  identitySource?: string;
  /** Repository-relative paths not to audit. */
  exclude?: string[];
  /** Resolves action references to commit SHAs for the pinning fixes. */
  resolver?: Resolver;
  /** Owner for a new CODEOWNERS rule (--owner). */
  owner?: string;
  /** Also run `go mod verify` locally (network off) for every go.mod. */
  go?: boolean;
  /** .pipewarden.yml: disabled checks, severity remaps, ignore entries. */
  config?: PipewardenConfig;
  /** Fingerprints of accepted findings (--baseline). */
  baseline?: ReadonlySet<string>;
  /** Told as the GitHub look-ups and the checks proceed (the interactive view's progress screen). */
  onProgress?: (p: AuditProgress) => void;
  /** Remote facts for the remote checks: gathered already, or a gatherer (kept for the run) that asks for what this model needs. */
  remote?: RemoteFacts | RemoteGatherer;
  /** Parses to reuse across audits of the same tree (a session's re-audits, a fix plan's); off unless given. */
  parseCache?: ParseCache;
  /** A session's per-file results (result-cache.ts): a re-audit audits again only the files that changed. */
  resultCache?: ResultCache;
  /** Worker threads for repositories with many workflows (parallel.ts); `false` keeps the audit on this thread. */
  parallel?: ParallelOptions | false;
}

export type AuditProgress = { phase: 'lookups'; done: number; total: number } | { phase: 'checks'; done: number; total: number };

export interface Audit {
  report: AuditReport;
  model: RepoModel;
  env: AuditEnv;
  /** The fix of one of this audit's findings (built on request when the audit ran with lazy fixes). */
  fixFor(finding: Finding): Fix | { refused: string } | undefined;
  /** Worker threads that audited the workflow files (0: it ran on this thread alone). */
  workers: number;
  /** Of those, the ones that died (out of memory, a defect): the main thread audited what they held. */
  lostWorkers: number;
}

export async function auditDirectory(dir: string, opts: AuditOptions): Promise<Audit> {
  return auditDiscovered(await discover(dir, opts.exclude), opts);
}

/** Audits files already read (the fix engine passes edited copies through here). */
export async function auditDiscovered(discovered: DiscoveredRepo, opts: AuditOptions): Promise<Audit> {
  const now = opts.now ?? new Date();
  const settings = opts.owner ? { owner: opts.owner } : {};
  let goVerify: Awaited<ReturnType<typeof goModVerify>> | undefined;
  if (opts.go) goVerify = await goModVerify(discovered.root, discovered.files.filter((f) => f.kind === 'go-mod').map((f) => f.path));
  // The environment of the whole-repository questions: look-ups and remote facts the model asks for.
  const makeEnv = async (model: RepoModel): Promise<{ env: AuditEnv; errors: AuditError[] }> => ({
    env: defaultEnv({
      now,
      resolutions: opts.resolver ? await resolveAll(model, opts.resolver, opts.onProgress) : new Map(),
      ...(goVerify && !('error' in goVerify) ? { goVerify } : {}),
      settings,
      ...(opts.config ? { config: opts.config } : {}),
      ...(opts.remote ? { remote: 'gather' in opts.remote ? await opts.remote.gather(wantedRemoteFacts(model)) : opts.remote } : {}),
    }),
    errors: goVerify && 'error' in goVerify ? [{ file: '.', message: goVerify.error }] : [],
  });
  const checks = opts.config?.disabled.size ? opts.checks.filter((c) => !opts.config!.disabled.has(c.meta.id)) : opts.checks;
  // A warm cache (a session's re-audit) makes one thread cheaper than parsing everything again in workers.
  const warm = (opts.parseCache?.size ?? 0) > 0 || (opts.resultCache?.size ?? 0) > 0;
  const workers = parallelWorkers(discovered, checks, opts.fixes === 'lazy' || warm, opts.parallel);
  const resultCache = opts.resultCache && opts.fixes !== 'lazy' && canSplit(checks) ? opts.resultCache : undefined;
  let model: RepoModel;
  let env: AuditEnv;
  let collected: Finding[];
  let errors: AuditError[];
  let fixFor: Audit['fixFor'];
  let secrets: CredentialMapEntry[];
  let lostWorkers = 0;
  opts.onProgress?.({ phase: 'checks', done: 0, total: checks.length });
  if (workers > 0 || resultCache) {
    const setup = { ...(opts.identity ? { identity: opts.identity } : {}), now, settings, lookups: !!(opts.resolver || opts.remote), fileEnv: defaultEnv({ now, settings, ...(opts.config ? { config: opts.config } : {}) }) };
    const run = await collectInParallel(discovered, checks, workers, setup, makeEnv, resultCache, opts.parseCache, opts.parallel ? opts.parallel.workerHeapMb : undefined);
    ({ model, env, fixFor, secrets, lostWorkers } = run);
    const failed = new Set(run.failed);
    collected = failed.size ? run.findings.filter((f) => !failed.has(f.check)) : run.findings;
    errors = [...run.modelErrors, ...run.envErrors, ...run.checkErrors];
  } else {
    model = buildRepoModel(discovered, opts.identity, opts.parseCache);
    const made = await makeEnv(model);
    env = made.env;
    const run = collectFindings(model, env, checks, opts);
    collected = run.findings;
    fixFor = run.fixFor;
    errors = [...model.errors, ...made.errors, ...run.errors];
    // The checks' memo already holds each job's secret reads and each workflow's reaching events: a fresh one walked every job again.
    secrets = credentialMap(model, run.memo);
  }
  opts.onProgress?.({ phase: 'checks', done: checks.length, total: checks.length });
  let findings = finishFindings(collected);
  let suppressed: Finding[] = [];
  let unusedSuppressions: AuditReport['unusedSuppressions'] = [];
  if (opts.config) {
    const remap = opts.config.severity;
    if (remap.size) for (const f of findings) f.severity = remap.get(f.check) ?? f.severity;
    const result = applySuppressions(findings, model, opts.config, env.now, new Set(checks.map((c) => c.meta.id)));
    findings = result.active;
    suppressed = result.suppressed;
    unusedSuppressions = result.unused.map((e) => ({ check: e.check, source: `${e.source.file}:${e.source.line}`, reason: e.reason }));
    errors.push(...result.errors);
  }
  if (opts.baseline) for (const f of findings) if (opts.baseline.has(f.fingerprint)) f.baseline = true;
  return {
    model,
    env,
    fixFor,
    workers,
    lostWorkers,
    report: {
      target: opts.label ?? discovered.root,
      ...(opts.identity ? { identity: opts.identity } : {}),
      ...(opts.identitySource ? { identitySource: opts.identitySource } : {}),
      paths: discovered.files.map((f) => f.path),
      findings,
      suppressed,
      unusedSuppressions,
      errors,
      checks: checks.map((c) => c.meta),
      filesScanned: discovered.files.length,
      secrets,
      workflows: model.workflows.length,
      actions: model.actions.length,
    },
  };
}

/** Every non-SHA action or workflow reference, resolved once each, a few at a time. */
async function resolveAll(model: RepoModel, resolver: Resolver, onProgress?: AuditOptions['onProgress']): Promise<Map<string, ResolveResult>> {
  const wanted = new Map<string, [string, string, string]>();
  for (const { uses } of usesSites(model)) {
    if ((uses.kind === 'action' || uses.kind === 'reusable-workflow') && uses.owner && uses.repo && uses.ref && ['tag', 'branch', 'short-sha'].includes(uses.refKind)) {
      wanted.set(resolutionKey(uses.owner, uses.repo, uses.ref), [uses.owner, uses.repo, uses.ref]);
    }
  }
  const out = new Map<string, ResolveResult>();
  const queue = [...wanted];
  const total = queue.length;
  if (total) onProgress?.({ phase: 'lookups', done: 0, total });
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      out.set(next[0], await resolver.resolve(...next[1]));
      onProgress?.({ phase: 'lookups', done: out.size, total });
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return out;
}
