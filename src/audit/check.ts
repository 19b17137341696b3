/**
 * The check interface, in the spirit of ESLint rules: metadata plus a function from the
 * repository model to findings. Checks report source ranges; rendering happens later.
 */
import type { RepoModel } from '../model/repo.js';
import type { Area, Confidence, Finding, Fix, Severity, SourceRange } from '../types.js';

export interface CheckMeta {
  id: string;
  title: string;
  area: Area;
  /** The severity a finding gets unless the check says otherwise for that occurrence. */
  severity: Severity;
  /** One sentence: what the check looks for. */
  description: string;
  /** Why the gap matters to a maintainer: the attack it enables. */
  why: string;
  /** How to close the gap by hand. */
  howToFix: string;
  /** A short before/after snippet for `pipewarden explain`. */
  example: string;
  fixable: boolean;
}

export interface Report {
  file: string;
  range: SourceRange;
  message: string;
  severity?: Severity;
  confidence?: Confidence;
  remediation?: string;
  fix?: Fix;
  group?: string;
}

export interface CheckContext {
  repo: RepoModel;
  report(r: Report): void;
}

export interface Check {
  meta: CheckMeta;
  run(ctx: CheckContext): void;
}

export function toFinding(meta: CheckMeta, r: Report): Finding {
  return {
    check: meta.id,
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
    fixable: meta.fixable && r.fix !== undefined,
    ...(r.fix ? { fix: r.fix } : {}),
    ...(r.group ? { group: r.group } : {}),
  };
}

/**
 * What a report carries for a fix attempt: the fix, or the check's how-to-fix text followed by
 * why no fix was made (`suffix` adds what happens instead).
 */
export function fixOrReason(meta: CheckMeta, result: Fix | { refused: string } | undefined, suffix = ''): Pick<Report, 'fix' | 'remediation'> {
  if (!result) return {};
  if ('refused' in result) return { remediation: `${meta.howToFix} Not fixed automatically: ${result.refused}${suffix}.` };
  return { fix: result };
}
