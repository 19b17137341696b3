/**
 * The text report: a header with counts and the "fix first" list, then findings in priority
 * order with repeats collapsed (`67 × actions/checkout@v4 ...`), each saying whether --fix can
 * fix it. Lines wrap at word boundaries to the terminal width.
 */
import { styleText } from 'node:util';
import { fixFirst, groupFindings } from '../audit/priority.js';
import { countBySeverity, type AuditReport } from '../audit/report.js';
import { SEVERITIES, type Severity } from '../types.js';

const SEVERITY_STYLE: Record<Severity, Parameters<typeof styleText>[0]> = {
  critical: ['bold', 'red'],
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
};

export interface TextOptions {
  verbose?: boolean;
  /** Wrap width; no wrapping when undefined. */
  columns?: number;
}

export function renderText(report: AuditReport, color: boolean, opts: TextOptions = {}): string {
  const paint = (style: Parameters<typeof styleText>[0], s: string): string => (color ? styleText(style, s) : s);
  const width = opts.columns && opts.columns >= 40 ? opts.columns : undefined;
  const lines: string[] = [];
  const push = (text: string, indent = 0, hanging = indent): void => {
    lines.push(...wrap(text, width, indent, hanging));
  };
  const live = report.findings.filter((f) => !f.baseline);
  const counts = countBySeverity(live);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => paint(SEVERITY_STYLE[s], `${counts[s]} ${s}`));
  const fixable = live.filter((f) => f.fixable).length;
  const where = report.identity ? `${report.identity.owner}/${report.identity.name}${report.identitySource ? ` (from the ${report.identitySource === '--repo' ? '--repo option' : report.identitySource})` : ''}` : report.target;
  push(
    `${paint('bold', `pipewarden: ${where}`)}  ` +
      `${live.length === 0 ? 'no findings' : `${live.length} finding${live.length === 1 ? '' : 's'}: ${parts.join(', ')}`}` +
      (fixable ? `; ${fixable} fixable with --fix` : '') +
      ` (${report.workflows} workflow${report.workflows === 1 ? '' : 's'}, ${report.actions} action${report.actions === 1 ? '' : 's'}, ${report.filesScanned} files read)`,
  );
  const baselined = report.findings.length - live.length;
  if (baselined || report.suppressed.length) {
    push(paint('dim', [baselined ? `${baselined} in the baseline (not shown)` : '', report.suppressed.length ? `${report.suppressed.length} suppressed` : ''].filter(Boolean).join('; ')), 2);
  }
  const first = fixFirst(live);
  if (first.top.length > 1) {
    lines.push('', paint('bold', 'Fix first:'));
    first.top.forEach((f, i) => push(`${i + 1}. ${f.severity} ${f.file}:${f.line} ${f.message} (${f.check})`, 2, 5));
    if (first.widestFix) {
      const g = first.widestFix;
      push(`One change closes ${g.fixable}: ${g.check} ${g.subject} (${g.fixable} × fixable with --fix)`, 2);
    }
  }
  const groups = groupFindings(live);
  for (const severity of SEVERITIES) {
    const mine = groups.filter((g) => g.findings[0]!.severity === severity);
    if (!mine.length) continue;
    lines.push('', paint(SEVERITY_STYLE[severity], `${severity.toUpperCase()} (${mine.reduce((n, g) => n + g.findings.length, 0)})`));
    for (const g of mine) {
      const f = g.findings[0]!;
      const fix = g.fixable ? paint('green', g.fixable === g.findings.length ? ' (fixable)' : ` (${g.fixable} fixable)`) : '';
      if (g.findings.length > 1) {
        const places = g.findings.slice(0, 3).map((x) => `${x.file}:${x.line}`).join(', ') + (g.findings.length > 3 ? `, +${g.findings.length - 3} more` : '');
        push(`${g.findings.length} × ${f.group ?? f.message}${fix}  ${paint('dim', g.check)}`, 2, 6);
        push(paint('dim', places), 6);
      } else {
        push(`${f.file}:${f.line}:${f.column}  ${f.message}${fix}  ${paint('dim', f.check)}`, 2, 6);
      }
      if (f.also?.length) push(paint('dim', `also reported as ${f.also.join(', ')}`), 6);
      for (const r of f.related ?? []) push(paint('dim', `↳ ${r.file}:${r.line}: ${r.note}`), 6);
      if (opts.verbose) push(paint('dim', f.remediation), 6);
    }
  }
  if (report.unusedSuppressions.length) {
    lines.push('', paint('bold', 'Suppressions that matched nothing (delete them?):'));
    for (const u of report.unusedSuppressions) push(`${u.source}: ${u.check} ("${u.reason}")`, 2);
  }
  if (report.errors.length) {
    lines.push('', paint('bold', `Errors (${report.errors.length}):`));
    for (const e of report.errors) push(`${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`, 2, 4);
  }
  return lines.join('\n') + '\n';
}

/** Word-wraps one logical line; words longer than the width are kept whole (no mid-word breaks). */
export function wrap(text: string, width: number | undefined, indent = 0, hanging = indent): string[] {
  const first = ' '.repeat(indent);
  if (!width) return [first + text];
  const out: string[] = [];
  let line = first;
  let lineLength = indent;
  let empty = true;
  for (const word of text.split(' ')) {
    const visible = visibleLength(word);
    if (!empty && lineLength + 1 + visible > width) {
      out.push(line);
      line = ' '.repeat(hanging) + word;
      lineLength = hanging + visible;
      continue;
    }
    line += (empty ? '' : ' ') + word;
    lineLength += (empty ? 0 : 1) + visible;
    empty = false;
  }
  out.push(line);
  return out;
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

