/**
 * Runs checks over a repository model. Whole-repository checks run as they are; visitor checks
 * get one shared walk (workflow -> job -> step, action -> step, file), so no check repeats the
 * loops. A check that throws reports its own error once and takes no further part; the rest go on.
 */
import * as crypto from 'node:crypto';
import type { AuditEnv } from '../analysis/env.js';
import { Memo } from '../analysis/memo.js';
import type { RepoModel } from '../model/repo.js';
import { severityRank, type AuditError, type Finding, type Fix } from '../types.js';
import type { Check, CheckContext, FixResult, Report, StepSite } from '../check.js';
import type { Step } from '../model/workflow.js';

export interface RunResult {
  findings: Finding[];
  errors: AuditError[];
  /** The fix of a finding from this run, built on first request; `refused` says why there is none. */
  fixFor(finding: Finding): Fix | { refused: string } | undefined;
}

export interface RunOptions {
  /**
   * `eager` builds every fix now (the finding's `fix` and remediation are final); `lazy` leaves
   * them to `fixFor`, for callers that need few of them (the fix engine's re-audits).
   */
  fixes?: 'eager' | 'lazy';
}

type FixSource = Report['fix'];

export function runChecks(repo: RepoModel, env: AuditEnv, checks: readonly Check[], opts: RunOptions = {}): RunResult {
  const run = collectFindings(repo, env, checks, opts);
  return { findings: finishFindings(run.findings), errors: run.errors, fixFor: run.fixFor };
}

/** What one walk of the checks found, before the findings of several walks are merged and numbered. */
export interface CollectedRun {
  /** Findings with line-independent fingerprints (no `.n` yet), in the order reported. */
  findings: Finding[];
  errors: AuditError[];
  /** Ids of checks that threw: they take no further part, their findings are dropped. */
  failed: string[];
  /** The facts the checks derived (one audit's): the credential map reads the same ones again. */
  memo: Memo;
  fixFor(finding: Finding): Fix | { refused: string } | undefined;
}

/**
 * Runs the checks over the model and collects what they report. `runChecks` is this plus
 * `finishFindings`; the parallel audit (audit/parallel.ts) collects over parts of the
 * repository and finishes the union once.
 */
export function collectFindings(repo: RepoModel, env: AuditEnv, checks: readonly Check[], opts: RunOptions = {}): CollectedRun {
  const memo = new Memo();
  const errors: AuditError[] = [];
  const lazy = new Map<Finding, { source: FixSource; suffix: string; remediation: string }>();
  const resolved = new Map<Finding, FixResult>();
  const perCheck = checks.map((check) => {
    const own: Finding[] = [];
    const ctx: CheckContext = {
      repo,
      env,
      memo,
      report: (r) => {
        const finding = toFinding(check, r, repo);
        if (opts.fixes === 'lazy' && typeof r.fix === 'function') {
          lazy.set(finding, { source: r.fix, suffix: r.refusedSuffix ?? '', remediation: finding.remediation });
          finding.fixable = check.meta.fixable;
        } else settleFix(check, finding, r.fix, r.refusedSuffix ?? '', resolved);
        own.push(finding);
      },
    };
    return { check, ctx, own, failed: false };
  });
  // A check that throws reports its error once and takes no further part. The hooks are called
  // directly by `call` below (a closure per call was an allocation per step and check).
  const fail = (entry: (typeof perCheck)[number], err: unknown): void => {
    entry.failed = true;
    entry.own.length = 0;
    errors.push({ file: '.', check: entry.check.meta.id, message: `check ${entry.check.meta.id} failed: ${(err as Error).message}` });
  };
  const having = (hook: keyof Check) => perCheck.filter((e) => typeof e.check[hook] === 'function');
  for (const e of having('run')) {
    try {
      e.check.run!(e.ctx);
    } catch (err) {
      fail(e, err);
    }
  }
  const wfHooks = having('workflow');
  const jobHooks = having('job');
  const stepHooks = having('step');
  const actionHooks = having('action');
  const fileHooks = having('file');
  // One loop for every hook kind: `subject` is what the hook is about, `site` the second
  // argument of the two-subject hooks (job: its workflow; step: its site), `undefined` otherwise.
  const call = (entries: typeof perCheck, hook: 'workflow' | 'job' | 'step' | 'action' | 'file', subject: unknown, site?: unknown): void => {
    for (const e of entries) {
      if (e.failed) continue;
      const fn = e.check[hook] as (a: unknown, b: unknown, c?: CheckContext) => void;
      try {
        if (site === undefined) fn.call(e.check, subject, e.ctx);
        else fn.call(e.check, subject, site, e.ctx);
      } catch (err) {
        fail(e, err);
      }
    }
  };
  const steps = (list: readonly Step[], site: StepSite): void => {
    for (const step of list) call(stepHooks, 'step', step, site);
  };
  if (wfHooks.length || jobHooks.length || stepHooks.length) {
    for (const wf of repo.workflows) {
      call(wfHooks, 'workflow', wf);
      for (const job of wf.jobs) {
        call(jobHooks, 'job', job, wf);
        if (!stepHooks.length) continue;
        steps(job.steps, { file: wf.file, yaml: wf.yaml, steps: job.steps, stepsPath: ['jobs', job.id, 'steps'], workflow: wf, job });
      }
    }
  }
  if (actionHooks.length || stepHooks.length) {
    for (const action of repo.actions) {
      call(actionHooks, 'action', action);
      steps(action.steps, { file: action.file, yaml: action.yaml, steps: action.steps, stepsPath: ['runs', 'steps'], action });
    }
  }
  for (const file of fileHooks.length ? repo.files : []) call(fileHooks, 'file', file);
  // One array grown in place (flatMap was a measurable share of the walk's own time).
  const findings: Finding[] = [];
  for (const e of perCheck) for (const f of e.own) findings.push(f);
  return {
    findings,
    errors,
    failed: perCheck.filter((e) => e.failed).map((e) => e.check.meta.id),
    memo,
    fixFor(finding) {
      if (resolved.has(finding)) return resolved.get(finding);
      const pending = lazy.get(finding);
      if (!pending) return finding.fix;
      const check = checks.find((c) => c.meta.id === finding.check)!;
      let result: FixResult;
      try {
        result = typeof pending.source === 'function' ? pending.source() : pending.source;
      } catch (err) {
        result = { refused: `building the fix failed: ${(err as Error).message}` };
      }
      finding.remediation = pending.remediation;
      settleFix(check, finding, result, pending.suffix, resolved);
      lazy.delete(finding);
      return resolved.get(finding);
    },
  };
}

/** One finding per spot (see SUBSUMES), in a total order, each fingerprint numbered among its equals. */
export function finishFindings(collected: Finding[]): Finding[] {
  const findings = oneFindingPerSpot(collected);
  findings.sort(compareFindings);
  const seen = new Map<string, number>();
  for (const f of findings) {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    f.fingerprint = `${f.fingerprint}.${n}`;
  }
  return findings;
}

/**
 * Checks whose finding, at the same span, says everything a more general check's does: the
 * general one is dropped and named on the specific one (a secret read in a fork-triggered
 * workflow is also a secret read outside an environment, but the first is the finding).
 */
const SUBSUMES: Record<string, string[]> = {
  'secrets-in-untrusted-trigger': ['secrets-outside-environment'],
  // A ref left out of the Actions lockfile is also a ref pinned to a tag; the lock is the thing to fix.
  'actions-lock-mismatch': ['unpinned-uses'],
};

/** The checks some other check subsumes: only their findings can be dropped. */
const GENERAL = new Set(Object.values(SUBSUMES).flat());

function oneFindingPerSpot(findings: Finding[]): Finding[] {
  const spot = (f: Finding): string => `${f.file}\0${f.line}\0${f.column}\0${f.endLine}\0${f.endColumn}`;
  const specific = new Map<string, Finding[]>();
  // Appended in place: copying the list per finding was quadratic in the findings at one spot.
  for (const f of findings) {
    if (!SUBSUMES[f.check]) continue;
    const key = spot(f);
    const list = specific.get(key);
    if (list) list.push(f);
    else specific.set(key, [f]);
  }
  if (!specific.size) return findings;
  return findings.filter((f) => {
    // A finding of a check nothing subsumes stands; only the others need their spot's key built and looked up.
    if (!GENERAL.has(f.check)) return true;
    // Only a specific finding at least as severe stands for the general one; a gated, lower one does not hide it.
    const over = specific.get(spot(f))?.find((s) => SUBSUMES[s.check]!.includes(f.check) && severityRank(s.severity) >= severityRank(f.severity));
    if (!over) return true;
    over.also = [...new Set([...(over.also ?? []), f.check])];
    return false;
  });
}

/** Builds the fix (when it is a function) and records it, or the reason there is none, on the finding. */
function settleFix(check: Check, finding: Finding, source: FixSource, suffix: string, resolved: Map<Finding, FixResult>): void {
  let result: FixResult;
  try {
    result = typeof source === 'function' ? source() : source;
  } catch (err) {
    result = { refused: `building the fix failed: ${(err as Error).message}` };
  }
  resolved.set(finding, result);
  if (result && 'refused' in result) {
    finding.remediation = `${check.meta.howToFix} Not fixed automatically: ${result.refused}${suffix}.`;
    finding.fixable = false;
  } else if (result) {
    finding.fix = result;
    finding.fixable = check.meta.fixable;
  } else finding.fixable = false;
}

function toFinding(check: Check, r: Report, repo: RepoModel): Finding {
  const meta = check.meta;
  const messageId = `${meta.id}/${r.messageId}`;
  // The optional keys are set after the literal, in the order conditional spreads gave them: every finding comes here.
  const finding: Finding = {
    check: meta.id,
    messageId,
    fingerprint: fingerprintBase(r.file, messageId, repo.file(r.file)?.text.slice(r.range.start, r.range.end) ?? ''),
    severity: r.severity ?? meta.severity,
    confidence: r.confidence ?? 'high',
    area: meta.area,
    file: r.file,
    line: r.range.line,
    column: r.range.column,
    endLine: r.range.endLine,
    endColumn: r.range.endColumn,
    message: r.message,
    remediation: r.remediation ?? meta.howToFix,
    fixable: false,
  };
  if (r.group) finding.group = r.group;
  if (r.related?.length) finding.related = r.related.map((l) => ({ file: l.file, line: l.range.line, column: l.range.column, endLine: l.range.endLine, endColumn: l.range.endColumn, note: l.note }));
  return finding;
}

/** The line-independent part of a fingerprint (see Finding.fingerprint). */
export function fingerprintBase(file: string, messageId: string, snippet: string): string {
  // Re-indenting, re-wrapping and re-quoting a value leave its fingerprint alone.
  const normalised = snippet.replace(/["']/g, '').replace(/\s+/g, ' ').trim();
  return sha256Hex(`${file}\0${messageId}\0${normalised}`).slice(0, 16);
}

/** crypto.hash (Node 20.12+) digests a short string in one call, about twice as fast as a Hash object; the same hex either way. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || order(a.check, b.check) || a.endLine - b.endLine || a.endColumn - b.endColumn || order(a.messageId, b.messageId) || order(a.message, b.message);
}

/**
 * A total order: findings of one check at one spot are ordered by their text too, so the order
 * (and with it each fingerprint's number) does not depend on the order checks reported them in.
 */
const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Resolves --checks / --skip against the registry; unknown ids are a usage error. */
export function selectChecks(all: readonly Check[], only: string[] | undefined, skip: string[] | undefined): Check[] | { unknown: string[] } {
  const known = new Set(all.map((c) => c.meta.id));
  const unknown = [...(only ?? []), ...(skip ?? [])].filter((id) => !known.has(id));
  if (unknown.length) return { unknown };
  return all.filter((c) => (!only || only.includes(c.meta.id)) && !skip?.includes(c.meta.id));
}
