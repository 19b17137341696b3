/** One audit: discover files, build the model, run the checks. Used by the CLI, the corpus runner and tests. */
import type { Check } from './check.js';
import { goModVerify } from './go-verify.js';
import { discover, type DiscoveredRepo } from './loader/discover.js';
import { buildRepoModel, type RepoIdentity, type RepoModel } from './model/repo.js';
import { CHECKS } from './registry.js';
import type { AuditReport } from './report.js';
import { runChecks } from './runner.js';
import { credentialMap } from './secrets.js';

export interface AuditOptions {
  checks?: readonly Check[];
  identity?: RepoIdentity;
  now?: Date;
  label?: string;
  /** Repository-relative paths not to audit. */
  exclude?: string[];
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
