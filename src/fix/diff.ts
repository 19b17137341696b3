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
 * result equals unifiedDiff(file, before, after). Its hunks are written directly where that is
 * provably jsdiff's result (directHunks); otherwise jsdiff diffs windows around the edits, and
 * when a change could reach a window's edge (jsdiff may slide a change along repeated lines)
 * the whole file.
 */
export function editsDiff(file: string, before: string, edits: readonly TextEdit[], starts: readonly number[] = lineStarts(before)): string {
  if (edits.length === 0) return '';
  const direct = directHunks(before, edits, starts);
  if (direct !== undefined) return direct.length === 0 ? '' : [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`, ...direct].join('\n') + '\n';
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

/** Old lines [oldStart, oldStart + old.length) replaced by the lines `added` (either side may be empty). */
interface Run {
  oldStart: number;
  old: string[];
  added: string[];
}

/** Above this many changed lines (removed plus added) the checks below would cost more than jsdiff does. */
const DIRECT_MAX_CHANGED = 64;

/**
 * The hunks of `edits`, written directly when they are provably the ones jsdiff gives (for the
 * whole file), or undefined to leave the edits to jsdiff. jsdiff tokenises every line around
 * the edits to find what the edits already say: for the thousands of template-injection fixes
 * of a large workflow (an `env:` entry inserted, an expression on a `run:` line replaced) that
 * was most of a JSON report's time.
 *
 * The edits give a "natural" alignment: the file is common segments C0 R1 C1 ... Rn Cn and the
 * new text C0 A1 C1 ... An Cn, each run's old lines R replaced by its new lines A. jsdiff's
 * line diff is Myers' algorithm: it returns an edit script of least cost, and where a point
 * can be reached by an insertion or a deletion equally far it takes the insertion last. So
 * when the natural alignment is the only least-cost one, jsdiff returns it, each run's
 * removals before its additions (walking back from a run's end: its last added line is always
 * reachable, and any other last step would leave a line the alignment matches unmatched). It
 * is the only one when:
 *  (a) no added line equals an old line on a diagonal a script of that cost can reach: a path
 *      through old line I and new line J costs at least |I-J| + |I-J-k| (k = old lines minus
 *      new lines), so the lines within that reach of each added line are compared. Then no
 *      least-cost script matches an added line, so every one matches all the common lines,
 *      i.e. embeds C0 C1 ... Cn in the old text;
 *  (b) that embedding is unique: the earliest one is the natural one when the first line after
 *      each run is none of the run's old lines, the latest one when the last line before it is
 *      none of them (a removed line equal to its neighbour could slide).
 * Lines are compared as jsdiff's tokens are, with their line breaks; only lines that end with
 * one are compared or shown, so "\ No newline at end of file" never arises here, and a line
 * holding a CR tokenises the same (jsdiff splits on \n and \r\n, keeping both in the token).
 * The hunks are then cut from the alignment the way jsdiff's structuredPatch cuts them.
 * (Exported for the tests, which check that the fixes meant to take this way do.)
 */
export function directHunks(before: string, edits: readonly TextEdit[], starts: readonly number[]): string[] | undefined {
  const asc = [...edits].sort((a, b) => a.start - b.start);
  // Lines below `ended` end with a line break; line `ended` is what follows the last one.
  const ended = starts.length - 1;
  const tokens = before.length > starts[ended]! ? ended + 1 : ended;
  const line = (i: number): string => before.slice(starts[i]!, starts[i + 1]! - 1);
  const runs: Run[] = [];
  let i = 0;
  while (i < asc.length) {
    // Edits sharing a line are applied together to the lines they touch.
    const first = lineAt(starts, asc[i]!.start);
    let last = first;
    let j = i;
    let prevEnd = asc[i]!.start;
    for (; j < asc.length && lineAt(starts, asc[j]!.start) <= last; j++) {
      const e = asc[j]!;
      if (e.start < prevEnd || e.start < 0 || e.end < e.start || e.end > before.length) return undefined;
      prevEnd = e.end;
      last = Math.max(last, lineAt(starts, e.end > e.start ? e.end - 1 : e.end));
    }
    // Past the last line break only text inserted at the end of a file that ends with one (an
    // env: entry for a file's last step), which has no old line; anything else there is left to jsdiff.
    if (last >= ended && (first < ended || tokens > ended)) return undefined;
    const base = starts[first]!;
    const changed = applyEdits(before.slice(base, last < ended ? starts[last + 1]! : before.length), asc.slice(i, j), base);
    // An edit that removes the last line break joins the next line: left to jsdiff.
    if (changed !== '' && !changed.endsWith('\n')) return undefined;
    const old: string[] = [];
    for (let l = first; l <= last && l < ended; l++) old.push(line(l));
    const added = changed === '' ? [] : changed.slice(0, -1).split('\n');
    let head = 0;
    while (head < old.length && head < added.length && old[head] === added[head]) head++;
    let tail = 0;
    while (tail < old.length - head && tail < added.length - head && old[old.length - 1 - tail] === added[added.length - 1 - tail]) tail++;
    if (head + tail < Math.max(old.length, added.length)) {
      const run = { oldStart: first + head, old: old.slice(head, old.length - tail), added: added.slice(head, added.length - tail) };
      const prev = runs[runs.length - 1];
      // Runs with no common line between are one run.
      if (prev && prev.oldStart + prev.old.length === run.oldStart) {
        prev.old.push(...run.old);
        prev.added.push(...run.added);
      } else runs.push(run);
    }
    i = j;
  }
  if (runs.length === 0) return [];
  let removed = 0;
  let addedCount = 0;
  for (const r of runs) {
    removed += r.old.length;
    addedCount += r.added.length;
  }
  if (removed + addedCount > DIRECT_MAX_CHANGED) return undefined;
  const lastRun = runs[runs.length - 1]!;
  // The trailing context must end with a line break (and so be comparable and printable).
  if (Math.min(lastRun.oldStart + lastRun.old.length + CONTEXT, tokens) > ended) return undefined;
  // (a): diagonals (old index minus new index) a script costing removed + addedCount can touch.
  const k = removed - addedCount;
  const slack = Math.min(removed, addedCount);
  const lowest = Math.min(0, k) - slack;
  const highest = Math.max(0, k) + slack;
  let shift = 0;
  for (const r of runs) {
    const newStart = r.oldStart - shift;
    for (let a = 0; a < r.added.length; a++) {
      const text = r.added[a]!;
      const at = newStart + a;
      for (let o = Math.max(0, at + lowest), stop = Math.min(ended - 1, at + highest); o <= stop; o++) if (line(o) === text) return undefined;
    }
    // (b): the removed lines cannot slide past their neighbours.
    if (r.old.length > 0) {
      const next = r.oldStart + r.old.length;
      if (r.oldStart > 0 && r.old.includes(line(r.oldStart - 1))) return undefined;
      if (next < tokens && r.old.includes(line(next))) return undefined;
    }
    shift += r.old.length - r.added.length;
  }
  return cutHunks(runs, tokens, line);
}

/** jsdiff's structuredPatch over the alignment: hunks of CONTEXT lines around the runs, joined when at most 2 * CONTEXT common lines part them. */
function cutHunks(runs: readonly Run[], tokens: number, line: (i: number) => string): string[] {
  const out: string[] = [];
  const range = (start: number, lines: number): string => (lines === 1 ? `${start}` : `${start},${lines}`);
  // Hunk being built: its first old and new line (0-based) and its lines.
  let hunk: { oldFrom: number; newFrom: number; lines: string[] } | undefined;
  let shift = 0;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const commonFrom = r === 0 ? 0 : runs[r - 1]!.oldStart + runs[r - 1]!.old.length;
    if (!hunk) {
      const from = Math.max(commonFrom, run.oldStart - CONTEXT);
      hunk = { oldFrom: from, newFrom: from - shift, lines: [] };
      for (let l = from; l < run.oldStart; l++) hunk.lines.push(` ${line(l)}`);
    }
    for (const t of run.old) hunk.lines.push(`-${t}`);
    for (const t of run.added) hunk.lines.push(`+${t}`);
    shift += run.old.length - run.added.length;
    const end = run.oldStart + run.old.length;
    const nextStart = r + 1 < runs.length ? runs[r + 1]!.oldStart : tokens;
    // Common lines up to the next run: kept whole when they are few and a run follows.
    if (r + 1 < runs.length && nextStart - end <= 2 * CONTEXT) {
      for (let l = end; l < nextStart; l++) hunk.lines.push(` ${line(l)}`);
      continue;
    }
    const to = Math.min(nextStart, end + CONTEXT);
    for (let l = end; l < to; l++) hunk.lines.push(` ${line(l)}`);
    const oldLines = to - hunk.oldFrom;
    const newLines = to - shift - hunk.newFrom;
    // jsdiff's starts are 1-based, and name the line before when a side is empty.
    out.push(`@@ -${range(oldLines === 0 ? hunk.oldFrom : hunk.oldFrom + 1, oldLines)} +${range(newLines === 0 ? hunk.newFrom : hunk.newFrom + 1, newLines)} @@`, ...hunk.lines);
    hunk = undefined;
  }
  return out;
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
