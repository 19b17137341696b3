/** Runs checks over a repository model; a check that throws reports its own error and the rest go on. */
import { toFinding, type Check } from './check.js';
import type { RepoModel } from '../model/repo.js';
import type { AuditError, Finding } from '../types.js';

export interface RunResult {
  findings: Finding[];
  errors: AuditError[];
}

export function runChecks(repo: RepoModel, checks: readonly Check[]): RunResult {
  const findings: Finding[] = [];
  const errors: AuditError[] = [];
  for (const check of checks) {
    const own: Finding[] = [];
    try {
      check.run({ repo, report: (r) => own.push(toFinding(check.meta, r)) });
      findings.push(...own);
    } catch (err) {
      errors.push({ file: '.', check: check.meta.id, message: `check ${check.meta.id} failed: ${(err as Error).message}` });
    }
  }
  findings.sort(compareFindings);
  return { findings, errors };
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0);
}

/** Resolves --checks / --skip against the registry; unknown ids are a usage error. */
export function selectChecks(all: readonly Check[], only: string[] | undefined, skip: string[] | undefined): Check[] | { unknown: string[] } {
  const known = new Set(all.map((c) => c.meta.id));
  const unknown = [...(only ?? []), ...(skip ?? [])].filter((id) => !known.has(id));
  if (unknown.length) return { unknown };
  return all.filter((c) => (!only || only.includes(c.meta.id)) && !skip?.includes(c.meta.id));
}
