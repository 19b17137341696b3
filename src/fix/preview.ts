/** A single fix shown as a unified diff against the files as they are. */
import type { RepoModel } from '../model/repo.js';
import type { Fix } from '../types.js';
import { unifiedDiff } from './diff.js';

export function fixDiff(repo: RepoModel, fix: Fix): string {
  const out: string[] = [];
  const files = [...new Set(fix.edits.map((e) => e.file))];
  for (const file of files) {
    const before = repo.files.find((f) => f.path === file)?.text;
    if (before === undefined) continue;
    const edits = fix.edits.filter((e) => e.file === file).sort((a, b) => b.start - a.start);
    let after = before;
    for (const e of edits) after = after.slice(0, e.start) + e.text + after.slice(e.end);
    out.push(unifiedDiff(file, before, after));
  }
  for (const nf of fix.newFiles) out.push(unifiedDiff(nf.file, undefined, nf.content));
  return out.join('');
}
