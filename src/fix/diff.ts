/** Unified diffs that `git apply` accepts, built on jsdiff's structuredPatch. */
import { structuredPatch } from 'diff';

export function unifiedDiff(file: string, before: string | undefined, after: string | undefined): string {
  const patch = structuredPatch(before === undefined ? '/dev/null' : `a/${file}`, after === undefined ? '/dev/null' : `b/${file}`, before ?? '', after ?? '', '', '', { context: 3 });
  if (patch.hunks.length === 0) return '';
  const out = [`diff --git a/${file} b/${file}`];
  if (before === undefined) out.push('new file mode 100644');
  out.push(`--- ${before === undefined ? '/dev/null' : `a/${file}`}`, `+++ ${after === undefined ? '/dev/null' : `b/${file}`}`);
  for (const h of patch.hunks) {
    const range = (start: number, lines: number): string => (lines === 1 ? `${start}` : `${start},${lines}`);
    out.push(`@@ -${range(h.oldLines === 0 ? h.oldStart - 1 : h.oldStart, h.oldLines)} +${range(h.newLines === 0 ? h.newStart - 1 : h.newStart, h.newLines)} @@`);
    out.push(...h.lines);
  }
  return out.join('\n') + '\n';
}
