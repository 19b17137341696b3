/**
 * Applies fixes the way ESLint does — sorted, overlaps skipped, re-audited, repeated until
 * nothing changes (at most 10 passes) — and verifies each fix before keeping it: every edited
 * file still parses, its parsed document is unchanged outside the paths the fix declared,
 * actionlint reports no error in a changed workflow that it did not report before, the finding
 * it fixes is gone and no new finding appeared. A fix that fails is rolled back.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { auditDiscovered, type Audit, type AuditOptions } from '../audit/audit.js';
import { parseJsonish } from '../model/jsonish.js';
import { classify, type DiscoveredRepo, type RepoFile } from '../loader/discover.js';
import type { Finding, Fix } from '../types.js';
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
  const failKey = (f: Finding): string => `${identity(f)}\0${lineText(current.get(f.file), f.line)}`;
  // Re-audits build fixes only for the findings that become candidates (most verification
  // audits need none at all).
  opts = { ...opts, fixes: 'lazy' };
  let audit = await auditDiscovered(withTexts(discovered, current), opts);
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
    let progressed = false;
    // Later edits first, so that the offsets of the rest of this pass stay valid. A fix occupies
    // the whole span from its first to its last edit in a file, so fixes never interleave.
    candidates.sort((a, b) => firstEdit(b.fix!) - firstEdit(a.fix!));
    const taken = new Map<string, Array<[number, number]>>();
    const batch: Finding[] = [];
    for (const finding of candidates) {
      const spans = fixSpans(finding.fix!);
      if ([...spans].some(([file, [start, end]]) => overlaps(taken.get(file) ?? [], start, end))) {
        deferred.push({ finding, fix: finding.fix! });
        continue;
      }
      for (const [file, span] of spans) taken.set(file, [...(taken.get(file) ?? []), span]);
      batch.push(finding);
    }
    // Most fixes verify cleanly: try the whole pass at once, and only when that fails find the
    // culprits one fix at a time.
    const together = await applyBatch(discovered, current, batch, audit.report.findings, opts);
    if (together) {
      current = together.texts;
      audit = together.audit;
      applied.push(...batch.map((finding): FixOutcome => ({ finding, fix: finding.fix!, status: 'applied' })));
      progressed = batch.length > 0;
    } else {
      for (const finding of batch) {
        const fix = finding.fix!;
        const trial = apply(current, fix);
        if ('error' in trial) {
          failed.set(failKey(finding), { finding, fix, status: 'rolled-back', reason: trial.error });
          continue;
        }
        const verdict = await verify(discovered, current, trial.texts, [fix], [finding], audit.report.findings, opts);
        if ('problem' in verdict) {
          failed.set(failKey(finding), { finding, fix, status: 'rolled-back', reason: verdict.problem });
          continue;
        }
        current = trial.texts;
        audit = verdict.audit;
        applied.push({ finding, fix, status: 'applied' });
        progressed = true;
      }
    }
    // Overlapping fixes are retried on the re-audited text in the next pass.
    if (!progressed) break;
  }
  const outcomes = [...applied, ...failed.values(), ...deferred.map(({ finding, fix }): FixOutcome => ({ finding, fix, status: 'overlap', reason: 'overlaps a fix already applied' }))];
  const files = new Map<string, { before: string | undefined; after: string }>();
  for (const [file, text] of current) {
    const before = original.get(file);
    if (before !== text) files.set(file, { before, after: text });
  }
  return { files, outcomes };
}

/**
 * The kind of a finding across re-audits: check, file and message id (offsets move, and another
 * fix may shift the text under a finding's range). Verification counts findings per kind: a
 * fix must lower its kind's count by the findings it fixes and raise no count.
 */
function identity(f: Finding): string {
  return `${f.check}\0${f.file}\0${f.messageId}`;
}

function lineText(text: string | undefined, line: number): string {
  return text?.split('\n')[line - 1] ?? '';
}

function overlaps(ranges: Array<[number, number]>, start: number, end: number): boolean {
  return ranges.some(([s, e]) => (start < e && s < end) || start === s || (start === end && start >= s && start <= e));
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
  current: Map<string, string>,
  batch: Finding[],
  findingsBefore: Finding[],
  opts: AuditOptions,
): Promise<{ texts: Map<string, string>; audit: Audit } | undefined> {
  if (batch.length < 2) return undefined;
  let texts = current;
  for (const finding of batch) {
    const trial = apply(texts, finding.fix!);
    if ('error' in trial) return undefined;
    texts = trial.texts;
  }
  const verdict = await verify(discovered, current, texts, batch.map((f) => f.fix!), batch, findingsBefore, opts);
  return 'problem' in verdict ? undefined : { texts, audit: verdict.audit };
}

function firstEdit(fix: Fix): number {
  return Math.max(-1, ...fix.edits.map((e) => e.start));
}

function touchesProtected(fix: Fix, files: Set<string> | undefined): boolean {
  if (!files?.size) return false;
  return fix.edits.some((e) => files.has(e.file)) || fix.newFiles.some((f) => files.has(f.file));
}

function apply(texts: Map<string, string>, fix: Fix): { texts: Map<string, string> } | { error: string } {
  const next = new Map(texts);
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    let text = next.get(file);
    if (text === undefined) return { error: `${file} is not in the repository` };
    const sorted = [...edits].sort((a, b) => b.start - a.start);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]!.end > sorted[i - 1]!.start) return { error: 'the fix\'s own edits overlap' };
    for (const e of sorted) {
      if (e.start < 0 || e.end > text.length || e.start > e.end) return { error: `edit outside ${file}` };
      text = text.slice(0, e.start) + e.text + text.slice(e.end);
    }
    next.set(file, text);
  }
  for (const nf of fix.newFiles) {
    if (next.has(nf.file)) return { error: `${nf.file} already exists` };
    next.set(nf.file, nf.content);
  }
  return { texts: next };
}

async function verify(
  discovered: DiscoveredRepo,
  before: Map<string, string>,
  after: Map<string, string>,
  fixes: Fix[],
  findings: Finding[],
  findingsBefore: Finding[],
  opts: AuditOptions,
): Promise<{ problem: string } | { audit: Audit }> {
  const changed = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
  const declared = fixes.flatMap((fix) => fix.changes);
  for (const file of changed) {
    const problem = compareDocuments(file, before.get(file), after.get(file)!, declared.filter((c) => c.file === file).map((c) => c.path));
    if (problem) return { problem };
  }
  // actionlint knows the workflow syntax and expression types: a fix must not add an error of its own.
  for (const file of changed.filter((f) => classify(f) === 'workflow')) {
    const added = await newActionlintErrors(file, before.get(file), after.get(file)!);
    if (added.length) return { problem: `actionlint: ${file}:${added[0]!.line}:${added[0]!.column}: ${added[0]!.message} [${added[0]!.kind}]` };
  }
  const audit = await auditDiscovered(withTexts(discovered, after), opts);
  const newErrors = audit.report.errors.filter((e) => changed.includes(e.file));
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

/** Parses both versions and requires them equal outside the declared paths. */
function compareDocuments(file: string, before: string | undefined, after: string, paths: Array<Array<string | number>>): string | undefined {
  const kind = classify(file);
  const isJson = kind === 'renovate' || kind === 'package-json' || /\.json5?c?$/.test(file);
  const isYaml = /\.ya?ml$/i.test(file);
  if (!isJson && !isYaml) return undefined;
  const parse = (text: string): { value?: unknown; error?: string } => {
    if (isJson) {
      const doc = parseJsonish(file, text);
      return 'message' in doc ? { error: doc.message } : { value: jsonValue(doc.root) };
    }
    const doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length) return { error: doc.errors[0]!.message.split('\n')[0] };
    return { value: doc.toJS({ maxAliasCount: 1000 }) };
  };
  const next = parse(after);
  if (next.error !== undefined) return `${file} no longer parses: ${next.error}`;
  if (before === undefined) return undefined;
  const prev = parse(before);
  if (prev.error !== undefined) return undefined;
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
export function withTexts(discovered: DiscoveredRepo, texts: Map<string, string>): DiscoveredRepo {
  const files: RepoFile[] = [];
  for (const [path, text] of texts) {
    const existing = discovered.files.find((f) => f.path === path);
    const kind = existing?.kind ?? classify(path);
    if (kind) files.push({ path, kind, text });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...discovered, files };
}
