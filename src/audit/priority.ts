/**
 * What to fix first: findings ranked by severity, confidence and exposure, and the fixes that
 * close the most findings at once. Shared by the text report, the interactive overview and the
 * HTML report, so they agree.
 */
import { severityRank, type Finding } from '../types.js';

/** Areas where a gap is directly exploitable from outside (injection, fork triggers, credentials). */
const EXPOSED_AREAS = new Set(['injection', 'triggers', 'credentials']);

export function priority(f: Finding): number {
  const confidence = f.confidence === 'high' ? 2 : f.confidence === 'medium' ? 1 : 0;
  const exposure = EXPOSED_AREAS.has(f.area) ? 1 : 0;
  return severityRank(f.severity) * 10 + confidence * 2 + exposure;
}

export function byPriority(a: Finding, b: Finding): number {
  return priority(b) - priority(a) || cmp(a.check, b.check) || cmp(a.file, b.file) || a.line - b.line || a.column - b.column;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface FindingGroup {
  /** `check` + subject: the key findings collapse under. */
  key: string;
  check: string;
  /** What the findings share (`actions/checkout@v4`), or the message for one finding. */
  subject: string;
  findings: Finding[];
  fixable: number;
}

/** Findings that share a check and subject collapse into one group; singletons stay groups of one. */
export function groupFindings(findings: Finding[]): FindingGroup[] {
  const map = new Map<string, FindingGroup>();
  for (const f of findings) {
    const subject = f.group ?? f.message;
    const key = `${f.check}\0${subject}`;
    let g = map.get(key);
    if (!g) map.set(key, (g = { key, check: f.check, subject, findings: [], fixable: 0 }));
    g.findings.push(f);
    if (f.fixable) g.fixable++;
  }
  const groups = [...map.values()];
  for (const g of groups) g.findings.sort(byPriority);
  return groups.sort((a, b) => byPriority(a.findings[0]!, b.findings[0]!) || b.findings.length - a.findings.length);
}

export interface FixFirst {
  /** The few findings that matter most, one per group. */
  top: Finding[];
  /** The fixable group that closes the most findings with one kind of change, when it has several. */
  widestFix?: FindingGroup;
}

export function fixFirst(findings: Finding[], count = 5): FixFirst {
  const groups = groupFindings(findings.filter((f) => !f.baseline));
  const top = groups.slice(0, count).map((g) => g.findings[0]!);
  const widest = [...groups].filter((g) => g.fixable > 1).sort((a, b) => b.fixable - a.fixable)[0];
  return { top, ...(widest ? { widestFix: widest } : {}) };
}
