/** Shared vocabulary of the engine: source ranges, findings, fixes and per-file errors. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const AREAS = [
  'permissions',
  'pinning',
  'credentials',
  'triggers',
  'injection',
  'release-integrity',
  'dependencies',
  'go',
  'policy-files',
  'remote',
] as const;
export type Area = (typeof AREAS)[number];

export type Confidence = 'high' | 'medium' | 'low';

/** A span of one file: byte-exact offsets (for edits) plus 1-based positions (for people). */
export interface SourceRange {
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One text replacement at exact offsets of the original file text. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

export interface NewFile {
  file: string;
  content: string;
}

/**
 * A fix is data: edits against the original text and/or files to create. The fix engine sorts
 * them, drops overlaps, applies, re-parses and re-audits before anything is written.
 */
export interface Fix {
  title: string;
  safety: 'safe' | 'unsafe';
  edits: TextEdit[];
  newFiles: NewFile[];
  /**
   * The document paths (per file) the fix means to change. After applying, each edited file's
   * parsed document must equal the original everywhere else, or the fix is rolled back.
   */
  changes: Array<{ file: string; path: Array<string | number> }>;
  /** The fix as a unified diff; filled in for JSON output. */
  diff?: string;
}

/** Who the audited repository is (owner/name on GitHub), when known. */
export interface RepoIdentity {
  owner: string;
  name: string;
}

/** Another place that explains a finding (the caller that passes tainted input, the job a write reaches). */
export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  note: string;
}

export interface Finding {
  check: string;
  /**
   * Stable id of the kind of message within the check (`check/kind`), independent of its
   * wording: identity across re-audits, fingerprints and suppressions use it, never the prose.
   */
  messageId: string;
  /**
   * Identity that survives line shifts and unrelated edits: `<base>.<n>`, where base hashes the
   * check, file, message id and the whitespace-normalised source text of the range, and n
   * counts earlier findings with the same base in the file. Baselines and suppressions key on it.
   */
  fingerprint: string;
  severity: Severity;
  confidence: Confidence;
  area: Area;
  /** Repository-relative, forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  remediation: string;
  fixable: boolean;
  fix?: Fix;
  /** Groups findings that share a subject (e.g. the target of internal @main references). */
  group?: string;
  related?: RelatedLocation[];
  /** Set when a maintainer accepted the finding (config entry or inline comment). */
  suppression?: { kind: 'external' | 'inSource'; justification: string; source: string; expires?: string };
  /** Other checks that flagged the same span for the same cause; this, more specific, finding stands for them. */
  also?: string[];
  /** In the --baseline: reported, but not counted toward --fail-on. */
  baseline?: boolean;
}

/** A problem with the input (or with a check) that did not stop the audit. */
export interface AuditError {
  file: string;
  line?: number;
  message: string;
  check?: string;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}
