/** The result of one audit, as every reporter receives it. */
import type { CheckMeta } from '../check.js';
import type { RepoIdentity } from '../types.js';
import type { CredentialMapEntry } from '../analysis/secrets.js';
import { SEVERITIES, type AuditError, type Finding, type Severity } from '../types.js';

export interface AuditReport {
  target: string;
  identity?: RepoIdentity;
  /** Where the identity came from: the target, the origin remote, or --repo. */
  identitySource?: string;
  /** Repository-relative paths of the files read (SARIF anchors findings about absent files to one of them). */
  paths: string[];
  /** Findings that count (baseline ones included, marked). */
  findings: Finding[];
  /** Findings a config entry or inline comment accepted, each with its `suppression`. */
  suppressed: Finding[];
  /** Config ignore entries that matched nothing this run. */
  unusedSuppressions: Array<{ check: string; source: string; reason: string }>;
  errors: AuditError[];
  /** The checks that ran, for rule metadata. */
  checks: CheckMeta[];
  filesScanned: number;
  /** Every secret workflows read, where, and what can reach it. */
  secrets: CredentialMapEntry[];
  workflows: number;
  actions: number;
}

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function countByCheck(findings: Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.check] = (out[f.check] ?? 0) + 1;
  return out;
}

/** Findings that share a subject (e.g. one internal action used @main from many places), largest first. */
export function groups(findings: Finding[]): Array<{ check: string; group: string; count: number }> {
  const map = new Map<string, { check: string; group: string; count: number }>();
  for (const f of findings) {
    if (!f.group) continue;
    const key = `${f.check}\0${f.group}`;
    const g = map.get(key) ?? { check: f.check, group: f.group, count: 0 };
    g.count++;
    map.set(key, g);
  }
  return [...map.values()].sort((a, b) => b.count - a.count || (a.group < b.group ? -1 : 1));
}
