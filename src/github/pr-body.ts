/**
 * The remediation pull request's description: what was fixed and why it matters, what needs a
 * reviewer's eye (unsafe fixes), the pins with their versions, and what was left and why.
 * Markdown, deterministic (same input, same text), with pipewarden's marker.
 *
 * Takes fix outcomes as plain data (structurally the engine's FixOutcome) so it does not depend on
 * the engine.
 */
import type { Finding, Fix } from '../types.js';
import { MARKER_TRAILER } from './pull-request.js';

/** Structurally identical to the fix engine's FixOutcome. */
export interface FixOutcomeLike {
  finding: Finding;
  fix: Fix;
  status: 'applied' | 'overlap' | 'rolled-back';
  reason?: string;
}

export interface PinSummary {
  /** `owner/repo` or `owner/repo/path` */
  action: string;
  /** The ref it was pinned from (`v4`, `main`); empty when not known. */
  from: string;
  sha: string;
  version: string;
  file: string;
  line: number;
}

export interface PullRequestBodyInput {
  /** Applied fixes; outcomes with another status are ignored here (pass them in `left`). */
  fixed: FixOutcomeLike[];
  left: Array<{ finding: Finding; reason: string }>;
  /** Defaults to the pins derived from the applied pinning fixes (see pinsFromFixes). */
  pins?: PinSummary[];
  /** Why a check matters, one sentence; the finding's remediation is used when it returns nothing. */
  why?: (checkId: string) => string | undefined;
  /** Opening sentence (default: a count of what was found and fixed). */
  intro?: string;
}

/** First line of every body pipewarden writes; lets anyone (and pipewarden) recognise its pull requests. */
export const BODY_MARKER = '<!-- pipewarden:remediation -->';
/** GitHub rejects bodies over 65 536 characters. */
const MAX_BODY = 60_000;

const PIN_CHECKS = new Set(['unpinned-uses', 'mutable-internal-ref']);

/**
 * Plain text made safe for Markdown: no HTML, no @-mentions or #-references that would notify
 * people or link issues, no stray emphasis. Balanced `code spans` (pipewarden's messages use them)
 * are kept as they are: GitHub shows their content literally.
 */
export function mdText(s: string): string {
  const text = s.replace(/\r?\n/g, ' ').trim();
  const out: string[] = [];
  let rest = text;
  for (let guard = 0; rest && guard < 10_000; guard++) {
    const m = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/.exec(rest);
    if (!m) {
      out.push(escapeText(rest));
      break;
    }
    out.push(escapeText(rest.slice(0, m.index)), m[0]);
    rest = rest.slice(m.index + m[0].length);
  }
  return out.join('');
}

function escapeText(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, '$1@\u200b')
    .replace(/(^|[^A-Za-z0-9&])#(?=\d)/g, '$1#\u200b');
}

/** Inline code that survives backticks inside. */
export function mdCode(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const byPlace = (a: Finding, b: Finding): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0));

/**
 * The pins an applied pinning fix made: the edit that writes the 40-hex SHA (alone, as the engine
 * writes it, or as `@<sha> # <version>`) and the comment edit that writes the version.
 */
export function pinsFromFixes(outcomes: FixOutcomeLike[]): PinSummary[] {
  const pins: PinSummary[] = [];
  for (const o of outcomes) {
    if (o.status !== 'applied' || !PIN_CHECKS.has(o.finding.check)) continue;
    const texts = o.fix.edits.map((e) => e.text);
    const joined = texts.join('');
    const inline = /@([0-9a-f]{40})\s*#\s*(\S+)/.exec(joined);
    let sha = inline?.[1];
    let version = inline?.[2];
    if (!sha) {
      const shaEdit = texts.findIndex((t) => /^[0-9a-f]{40}$/.test(t));
      if (shaEdit < 0) continue;
      sha = texts[shaEdit]!;
      const comment = texts.slice(shaEdit + 1).find((t) => t.trim() !== '');
      version = comment ? /^\s*#?\s*(\S+)/.exec(comment)?.[1] : undefined;
    }
    // The title says what was pinned: "Pin owner/repo[/path]@ref to <sha12> (<version>)".
    const title = /^Pin (\S+)@(\S+) to /.exec(o.fix.title);
    pins.push({ action: title?.[1] ?? '', from: title?.[2] ?? '', sha, version: version ?? '', file: o.finding.file, line: o.finding.line });
  }
  return pins.sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line);
}

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  const fixed = input.fixed.filter((o) => o.status === 'applied').sort((a, b) => byPlace(a.finding, b.finding));
  const left = [...input.left].sort((a, b) => byPlace(a.finding, b.finding));
  const pins = input.pins ?? pinsFromFixes(fixed);
  const why = (f: Finding): string => {
    const text = input.why?.(f.check)?.trim();
    return mdText(text || f.remediation);
  };
  const where = (f: Finding): string => mdCode(`${f.file}:${f.line}`);
  const out: string[] = [BODY_MARKER];
  const total = fixed.length + left.length;
  out.push(
    input.intro ? mdText(input.intro) : `pipewarden found ${total} CI supply-chain ${total === 1 ? 'problem' : 'problems'} and fixes ${fixed.length} of them in this pull request.`,
    '',
  );

  const sections: string[][] = [];
  if (fixed.length) {
    const s = [`### Fixed (${fixed.length})`, ''];
    for (const o of fixed) {
      s.push(`- **${mdCode(o.finding.check)}** at ${where(o.finding)}: ${mdText(o.fix.title)}${o.fix.safety === 'unsafe' ? ' **(needs review)**' : ''}`);
      s.push(`  - Problem: ${mdText(o.finding.message)}`);
      s.push(`  - Why it matters: ${why(o.finding)}`);
    }
    sections.push(s);
  }
  const unsafe = fixed.filter((o) => o.fix.safety === 'unsafe');
  if (unsafe.length) {
    const s = [`### Needs review (${unsafe.length})`, '', 'These fixes can change how the workflows behave; check them before merging:', ''];
    for (const o of unsafe) s.push(`- ${where(o.finding)}: ${mdText(o.fix.title)}`);
    sections.push(s);
  }
  if (pins.length) {
    const s = [`### Pins (${pins.length})`, '', '| Action | Was | Now | Version | Where |', '| --- | --- | --- | --- | --- |'];
    for (const p of pins) s.push(`| ${mdCode(p.action || '?')} | ${p.from ? mdCode(p.from) : ''} | ${mdCode(p.sha)} | ${p.version ? mdCode(p.version) : ''} | ${mdCode(`${p.file}:${p.line}`)} |`);
    s.push('', 'Each `uses:` now names a full commit SHA, which cannot be moved; the comment keeps the version readable and lets Dependabot or Renovate update it.');
    sections.push(s);
  }
  if (left.length) {
    const s = [`### Not fixed (${left.length})`, ''];
    for (const l of left) {
      s.push(`- **${mdCode(l.finding.check)}** at ${where(l.finding)}: ${mdText(l.finding.message)}`);
      s.push(`  - Why not: ${mdText(l.reason)}`);
    }
    sections.push(s);
  }

  const footer = ['---', `Opened by pipewarden. Run it again to update this pull request; it changes only branches it created.`, '', MARKER_TRAILER];
  let used = out.join('\n').length + footer.join('\n').length + 200;
  for (const s of sections) {
    const lines: string[] = [];
    let dropped = 0;
    for (const line of s) {
      if (used + line.length + 1 > MAX_BODY) {
        if (!line.startsWith('  ')) dropped++;
        continue;
      }
      lines.push(line);
      used += line.length + 1;
    }
    if (dropped) lines.push(`- … and ${dropped} more (the description is limited in length; run pipewarden locally for the full list)`);
    out.push(...lines, '');
  }
  out.push(...footer);
  return out.join('\n') + '\n';
}

export interface FixGroup {
  /** The area or check id. */
  key: string;
  /** `pipewarden/<key>`, the branchPrefix for openRemediationPullRequest. */
  branchPrefix: string;
  outcomes: FixOutcomeLike[];
}

/** Splits fix outcomes into one group per area or per check (for --pr-split), in a stable order. */
export function groupFixes(outcomes: FixOutcomeLike[], by: 'area' | 'check'): FixGroup[] {
  const groups = new Map<string, FixOutcomeLike[]>();
  for (const o of outcomes) {
    const key = by === 'area' ? o.finding.area : o.finding.check;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(o);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => ({ key, branchPrefix: `pipewarden/${key.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`, outcomes: list.sort((a, b) => byPlace(a.finding, b.finding)) }));
}
