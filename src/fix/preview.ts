/** A single fix shown as a unified diff against the files as they are. */
import type { RepoFile } from '../loader/discover.js';
import type { RepoModel } from '../model/repo.js';
import type { Fix } from '../types.js';
import { diffSizeAtLeast, editsDiff, lineStarts, unifiedDiff } from './diff.js';

/** Line starts per file, computed once per file however many fixes are previewed in it. */
const starts = new WeakMap<RepoFile, number[]>();

export function fixDiff(repo: RepoModel, fix: Fix): string {
  return cappedFixDiff(repo, fix, Infinity)!;
}

/**
 * The fix's diff, or undefined when it would be longer than `limit` characters. The limit is
 * applied before the diff is computed, from a bound that costs what the edits touch (see
 * diffSizeAtLeast): a fix on a line of megabytes is refused without diffing the line.
 */
export function cappedFixDiff(repo: RepoModel, fix: Fix, limit: number): string | undefined {
  const byFile = new Map<string, { entry: RepoFile; lines: number[]; edits: Fix['edits'] }>();
  let atLeast = 0;
  for (const nf of fix.newFiles) atLeast += nf.content.length;
  for (const e of fix.edits) {
    const known = byFile.get(e.file);
    if (known) {
      known.edits.push(e);
      continue;
    }
    const entry = repo.file(e.file);
    if (entry === undefined) continue;
    let lines = starts.get(entry);
    if (!lines) starts.set(entry, (lines = lineStarts(entry.text)));
    byFile.set(e.file, { entry, lines, edits: [e] });
  }
  if (limit !== Infinity) {
    for (const { entry, lines, edits } of byFile.values()) atLeast += diffSizeAtLeast(entry.text, edits, lines);
    if (atLeast > limit) return undefined;
  }
  const out: string[] = [];
  for (const [file, { entry, lines, edits }] of byFile) out.push(editsDiff(file, entry.text, edits, lines));
  for (const nf of fix.newFiles) out.push(unifiedDiff(nf.file, undefined, nf.content));
  const diff = out.join('');
  return diff.length <= limit ? diff : undefined;
}
