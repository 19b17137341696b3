/** Unified diffs that `git apply` accepts, built on jsdiff's structuredPatch. */
import { createRequire } from 'node:module';

/**
 * jsdiff is loaded on the first diff (its CommonJS build, synchronously), not at start-up: an
 * audit that shows no fix never needs it.
 */
type StructuredPatch = typeof import('diff').structuredPatch;
let loaded: StructuredPatch | undefined;
const structuredPatch: StructuredPatch = ((...args: Parameters<StructuredPatch>) =>
  (loaded ??= (createRequire(import.meta.url)('diff') as typeof import('diff')).structuredPatch)(...args)) as StructuredPatch;

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

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Offsets at which each line of `text` starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based line holding `offset`. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const CONTEXT = 3;
/** Lines kept on each side of the edits: the diff's own context plus room for jsdiff to slide a change. */
const MARGIN = 16;

/**
 * The unified diff of `edits` applied to `before`, computed over the lines around the edits only,
 * so that one small fix in a large file costs what the fix touches, not what the file holds. The
 * result equals unifiedDiff(file, before, after); when a change could reach the window's edge
 * (jsdiff may slide a change along repeated lines) it falls back to the whole file.
 */
export function editsDiff(file: string, before: string, edits: readonly TextEdit[], starts: readonly number[] = lineStarts(before)): string {
  if (edits.length === 0) return '';
  // Edits far apart (an env: entry at the top of a step, the expression it replaces far below)
  // are diffed as separate windows: the hunks between them would be separate anyway.
  const asc = [...edits].sort((a, b) => a.start - b.start);
  const clusters: TextEdit[][] = [];
  let lastLine = -Infinity;
  for (const e of asc) {
    const line = lineAt(starts, e.start);
    if (line - lastLine > 2 * MARGIN + 2 * CONTEXT) clusters.push([e]);
    else clusters[clusters.length - 1]!.push(e);
    lastLine = Math.max(lastLine, lineAt(starts, e.end));
  }
  const hunks: string[] = [];
  // Lines the clusters before have added (less those they removed): where a cluster's lines sit in the new text.
  let shift = 0;
  for (const cluster of clusters) {
    const part = windowHunks(before, cluster, starts, shift);
    if (part === undefined) return wholeDiff(file, before, edits);
    hunks.push(...part);
    for (const e of cluster) shift += e.text.split('\n').length - 1 - (lineAt(starts, e.end) - lineAt(starts, e.start));
  }
  if (hunks.length === 0) return '';
  return [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`, ...hunks].join('\n') + '\n';
}

/**
 * A lower bound on the length of editsDiff's result, from line lengths alone: whatever lines
 * the diff matches as context are equal on both sides, so for every length k it removes at
 * least (old lines of length k) - (new lines of length k) lines of that length, and adds at
 * least the reverse. Lines away from the edits are the same in both texts and cancel, so only
 * the lines the edits touch are counted: the cost is those lines' number plus the inserted
 * text, never their length (a fix on a line of megabytes is priced without reading the line).
 */
export function diffSizeAtLeast(before: string, edits: readonly TextEdit[], starts: readonly number[] = lineStarts(before)): number {
  if (edits.length === 0) return 0;
  const asc = [...edits].sort((a, b) => a.start - b.start);
  // Per line length, old lines minus new lines among the touched ones.
  const balance = new Map<number, number>();
  const tally = (length: number, n: number): void => void balance.set(length, (balance.get(length) ?? 0) + n);
  const lineEndAt = (line: number): number => (line + 1 < starts.length ? starts[line + 1]! - 1 : before.length);
  let i = 0;
  while (i < asc.length) {
    // A run of edits whose touched lines meet, so the new text between them is known line by line.
    const first = lineAt(starts, asc[i]!.start);
    let last = lineAt(starts, asc[i]!.end);
    let j = i + 1;
    while (j < asc.length && lineAt(starts, asc[j]!.start) <= last) last = Math.max(last, lineAt(starts, asc[j++]!.end));
    for (let l = first; l <= last; l++) tally(lineEndAt(l) - starts[l]!, 1);
    // The new lines: the old text between the edits (its line breaks are the old ones) and each edit's text.
    let open = asc[i]!.start - starts[first]!;
    let cursor = asc[i]!.start;
    for (let k = i; k < j; k++) {
      const e = asc[k]!;
      for (let l = lineAt(starts, cursor); cursor < e.start; ) {
        const stop = Math.min(e.start, lineEndAt(l));
        if (stop < e.start) {
          tally(open + (stop - cursor), -1);
          open = 0;
          cursor = stop + 1;
          l++;
        } else {
          open += stop - cursor;
          cursor = stop;
        }
      }
      for (let at = 0, nl = e.text.indexOf('\n'); ; nl = e.text.indexOf('\n', at)) {
        if (nl === -1) {
          open += e.text.length - at;
          break;
        }
        tally(open + (nl - at), -1);
        open = 0;
        at = nl + 1;
      }
      cursor = e.end;
    }
    tally(open + (lineEndAt(last) - cursor), -1);
    i = j;
  }
  let size = 0;
  // Each diff line is at least its prefix (+ or -), its text and a line break.
  for (const [length, n] of balance) size += Math.abs(n) * (length + 2);
  return size;
}

/**
 * The hunk of edits that change one line into one other line, written directly: jsdiff gives
 * the same hunk (the lines around are equal on both sides), but tokenises the whole window to
 * find it, which for thousands of fixes on long lines is most of a JSON report's time. Only the
 * plain case: no line breaks in the window or the edits, the line differs from its context, and
 * the context does not reach a last line without a newline; anything else goes to jsdiff.
 */
function oneLineHunk(before: string, edits: readonly TextEdit[], starts: readonly number[], first: number, last: number, shift: number): string[] | undefined {
  const line = lineAt(starts, first);
  // Lines up to starts.length - 2 end with a line break; the context must not reach beyond them.
  if (lineAt(starts, last) !== line || line + CONTEXT > starts.length - 2) return undefined;
  if (edits.some((e) => e.text.includes('\n') || e.text.includes('\r'))) return undefined;
  const from = Math.max(0, line - CONTEXT);
  const to = line + CONTEXT;
  const text = (i: number): string => before.slice(starts[i]!, starts[i + 1]! - 1);
  const lineStart = starts[line]!;
  const old = text(line);
  const changed = applyEdits(old, edits, lineStart);
  if (changed === old) return [];
  const context: string[] = [];
  for (let i = from; i <= to; i++) {
    const t = text(i);
    if (t.includes('\r') || (i !== line && (t === changed || t === old))) return undefined;
    context.push(t);
  }
  const count = to - from + 1;
  const range = (start: number): string => (count === 1 ? `${start}` : `${start},${count}`);
  return [`@@ -${range(from + 1)} +${range(from + 1 + shift)} @@`, ...context.map((t, k) => (from + k === line ? [`-${old}`, `+${changed}`] : [` ${t}`])).flat()];
}

function applyEdits(text: string, edits: readonly TextEdit[], base: number): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start - base) + e.text + out.slice(e.end - base);
  return out;
}

function wholeDiff(file: string, before: string, edits: readonly TextEdit[]): string {
  return unifiedDiff(file, before, applyEdits(before, edits, 0));
}

/**
 * The hunks (header and lines) of one window of edits, or undefined when a hunk reaches the
 * window's edge. `shift` is the lines the edits before the window add to the new text.
 */
function windowHunks(before: string, edits: readonly TextEdit[], starts: readonly number[], shift: number): string[] | undefined {
  const first = Math.min(...edits.map((e) => e.start));
  const last = Math.max(...edits.map((e) => e.end));
  const single = oneLineHunk(before, edits, starts, first, last, shift);
  if (single) return single;
  const fromLine = Math.max(0, lineAt(starts, first) - MARGIN);
  const toLine = lineAt(starts, last) + MARGIN + 1;
  const winStart = starts[fromLine]!;
  const winEnd = toLine < starts.length ? starts[toLine]! : before.length;
  const oldWin = before.slice(winStart, winEnd);
  const patch = structuredPatch('a', 'b', oldWin, applyEdits(oldWin, edits, winStart), '', '', { context: CONTEXT });
  if (patch.hunks.length === 0) return [];
  const winLines = toLine - fromLine;
  const firstHunk = patch.hunks[0]!;
  const lastHunk = patch.hunks[patch.hunks.length - 1]!;
  // A hunk must keep its full context inside the window, away from the cut edges.
  if ((fromLine > 0 && firstHunk.oldStart <= 1) || (winEnd < before.length && lastHunk.oldStart + lastHunk.oldLines - 1 >= winLines)) return undefined;
  const out: string[] = [];
  for (const h of patch.hunks) {
    const range = (start: number, lines: number): string => (lines === 1 ? `${start}` : `${start},${lines}`);
    const oldStart = h.oldStart + fromLine;
    const newStart = h.newStart + fromLine + shift;
    out.push(`@@ -${range(h.oldLines === 0 ? oldStart - 1 : oldStart, h.oldLines)} +${range(h.newLines === 0 ? newStart - 1 : newStart, h.newLines)} @@`);
    out.push(...h.lines);
  }
  return out;
}
