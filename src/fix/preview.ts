/** A single fix shown as a unified diff against the files as they are. */
import type { RepoFile } from '../loader/discover.js';
import type { RepoModel } from '../model/repo.js';
import type { Fix } from '../types.js';
import { editsDiff, lineStarts, unifiedDiff } from './diff.js';

/** Line starts per file, computed once per file however many fixes are previewed in it. */
const starts = new WeakMap<RepoFile, number[]>();

export function fixDiff(repo: RepoModel, fix: Fix): string {
  const out: string[] = [];
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) {
    const list = byFile.get(e.file);
    if (list) list.push(e);
    else byFile.set(e.file, [e]);
  }
  for (const [file, edits] of byFile) {
    const entry = repo.file(file);
    if (entry === undefined) continue;
    let lines = starts.get(entry);
    if (!lines) starts.set(entry, (lines = lineStarts(entry.text)));
    out.push(editsDiff(file, entry.text, edits, lines));
  }
  for (const nf of fix.newFiles) out.push(unifiedDiff(nf.file, undefined, nf.content));
  return out.join('');
}
