/** One audit: discover files, build the model, run the checks. Used by the CLI, the corpus runner and tests. */
import type { Check } from './check.js';
import { usesSites } from '../analysis/facts.js';
import { resolutionKey } from '../edits/pin.js';
import type { Resolver, ResolveResult } from '../github/resolve.js';
import { goModVerify } from '../loader/go-verify.js';
import { discover, type DiscoveredRepo } from '../loader/discover.js';
import { buildRepoModel, type RepoIdentity, type RepoModel } from '../model/repo.js';
import { CHECKS } from '../registry.js';
import type { AuditReport } from './report.js';
import { runChecks } from './runner.js';
import { credentialMap } from '../analysis/secrets.js';

export interface AuditOptions {
  checks?: readonly Check[];
  identity?: RepoIdentity;
  now?: Date;
  label?: string;
  /** Repository-relative paths not to audit. */
  exclude?: string[];
  /** Resolves action references to commit SHAs for the pinning fixes. */
  resolver?: Resolver;
  /** Owner for a new CODEOWNERS rule (--owner). */
  owner?: string;
  /** Also run `go mod verify` locally (network off) for every go.mod. */
  go?: boolean;
}

export interface Audit {
  report: AuditReport;
  model: RepoModel;
}

export async function auditDirectory(dir: string, opts: AuditOptions = {}): Promise<Audit> {
  return auditDiscovered(await discover(dir, opts.exclude), opts);
}

/** Audits files already read (the fix engine passes edited copies through here). */
export async function auditDiscovered(discovered: DiscoveredRepo, opts: AuditOptions = {}): Promise<Audit> {
  const model = buildRepoModel(discovered, opts.identity, opts.now ?? new Date(), opts.owner ? { owner: opts.owner } : {});
  if (opts.go) {
    const mods = discovered.files.filter((f) => f.kind === 'go-mod').map((f) => f.path);
    const verified = await goModVerify(discovered.root, mods);
    if ('error' in verified) model.errors.push({ file: '.', message: verified.error });
    else model.goVerify = verified;
  }
  if (opts.resolver) model.resolutions = await resolveAll(model, opts.resolver);
  const checks = opts.checks ?? CHECKS;
  const { findings, errors } = runChecks(model, checks);
  return {
    model,
    report: {
      target: opts.label ?? discovered.root,
      ...(opts.identity ? { identity: opts.identity } : {}),
      findings,
      errors: [...model.errors, ...errors],
      checks: checks.map((c) => c.meta),
      filesScanned: discovered.files.length,
      secrets: credentialMap(model),
      workflows: model.workflows.length,
      actions: model.actions.length,
    },
  };
}

/** Every non-SHA action or workflow reference, resolved once each, a few at a time. */
async function resolveAll(model: RepoModel, resolver: Resolver): Promise<Map<string, ResolveResult>> {
  const wanted = new Map<string, [string, string, string]>();
  for (const { uses } of usesSites(model)) {
    if ((uses.kind === 'action' || uses.kind === 'reusable-workflow') && uses.owner && uses.repo && uses.ref && ['tag', 'branch', 'short-sha'].includes(uses.refKind)) {
      wanted.set(resolutionKey(uses.owner, uses.repo, uses.ref), [uses.owner, uses.repo, uses.ref]);
    }
  }
  const out = new Map<string, ResolveResult>();
  const queue = [...wanted];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) out.set(next[0], await resolver.resolve(...next[1]));
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return out;
}
