/** --fix, --patch and --dry-run: plan verified fixes, then write them or print them as a patch. */
import { writeFile } from 'node:fs/promises';
import type { AuditOptions } from '../audit/audit.js';
import { discover } from '../loader/discover.js';
import { unifiedDiff } from './diff.js';
import { planFixes, type FixPlan } from './engine.js';
import { dirtyFiles, UnsafeWriteError, writeAtomically } from './write.js';

export interface FixRunOptions extends AuditOptions {
  include: 'safe' | 'all';
  write: boolean;
  force: boolean;
  /** A path, `-` for stdout, or undefined. */
  patch?: string;
  dryRun: boolean;
}

export interface FixRunResult {
  plan: FixPlan;
  patch: string;
  /** Files left alone because they have uncommitted changes. */
  skippedDirty: string[];
  /** Writes refused because they would go through a symlink or out of the repository. */
  refusedWrites: string[];
}

export async function runFixes(dir: string, opts: FixRunOptions, stdout: (s: string) => void): Promise<FixRunResult> {
  const discovered = await discover(dir, opts.exclude);
  const dirty = opts.write && !opts.force && !opts.dryRun ? await dirtyFiles(discovered.root) : undefined;
  const plan = await planFixes(discovered, { ...opts, ...(dirty ? { protectedFiles: dirty } : {}) });
  const patch = [...plan.files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, { before, after }]) => unifiedDiff(file, before, after))
    .join('');
  if (opts.patch === '-' || opts.dryRun) stdout(patch);
  else if (opts.patch) await writeFile(opts.patch, patch);
  const refusedWrites: string[] = [];
  if (opts.write && !opts.dryRun) {
    for (const [file, { after }] of plan.files) {
      try {
        await writeAtomically(discovered.root, file, after);
      } catch (err) {
        if (!(err instanceof UnsafeWriteError)) throw err;
        refusedWrites.push(err.message);
      }
    }
  }
  const skippedDirty = dirty ? discovered.files.map((f) => f.path).filter((f) => dirty.has(f)) : [];
  return { plan, patch, skippedDirty, refusedWrites };
}

export function fixSummary(result: FixRunResult, wrote: boolean): string {
  const count = (s: string): number => result.plan.outcomes.filter((o) => o.status === s).length;
  const lines = [
    `pipewarden: ${count('applied')} fix${count('applied') === 1 ? '' : 'es'} ${wrote ? 'applied' : 'ready'} in ${result.plan.files.size} file${result.plan.files.size === 1 ? '' : 's'}` +
      (count('rolled-back') ? `, ${count('rolled-back')} rolled back` : '') +
      (count('overlap') ? `, ${count('overlap')} not applied (overlap)` : ''),
  ];
  for (const o of result.plan.outcomes) {
    if (o.status !== 'applied') lines.push(`  ${o.status}: ${o.finding.file}:${o.finding.line} ${o.finding.check}: ${o.reason ?? ''}`);
  }
  for (const refused of result.refusedWrites) lines.push(`  refused: ${refused}`);
  if (result.skippedDirty.length) lines.push(`  left alone (uncommitted changes; --force to fix anyway): ${result.skippedDirty.join(', ')}`);
  return lines.join('\n') + '\n';
}
