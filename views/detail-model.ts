/**
 * The detail screen's rows, as a function of one finding and what the view knows about it
 * (its check's metadata, the file text, the fix preview, whether it is queued). It lives apart
 * from the screen so the reducer (views/state.ts) can measure the rows for scrolling without
 * importing a screen: screens import state, state imports this, this imports neither.
 */
import type { CheckMeta } from '../src/check.js';
import type { Finding } from '../src/types.js';
import { diffSegment, sev, wrap, type Seg } from './theme.js';

export type FixPreview = { diff: string; title: string; safety: 'safe' | 'unsafe' } | { refused: string } | undefined;

/** Everything the detail screen draws from. */
export interface DetailInput {
  /** Undefined when the finding is gone after the last audit. */
  finding: Finding | undefined;
  meta?: CheckMeta;
  source?: string;
  preview: FixPreview;
  queued: boolean;
}

const CONTEXT = 3;

/**
 * Message, why it matters, the source with the range marked, how to fix by hand, the automatic
 * fix, the checks this finding stands for (`also`) and the related locations.
 */
export function detailRows(input: DetailInput, width: number): Seg[][] {
  const f = input.finding;
  if (!f) return [['(this finding is gone after the last audit)']];
  const meta = input.meta;
  const rows: Seg[][] = [];
  rows.push([sev(f.severity, 9), { text: f.check, bold: true }, `  ${f.file}:${f.line}:${f.column}`, { text: `  confidence ${f.confidence}, area ${f.area}`, dim: true }, input.queued ? { text: '  [queued]', color: 'green' } : '']);
  if (f.suppression) rows.push([{ text: `suppressed (${f.suppression.source}): ${f.suppression.justification}${f.suppression.expires ? `, until ${f.suppression.expires}` : ''}`, color: 'yellow' }]);
  if (f.baseline) rows.push([{ text: 'in the baseline: reported, not counted', dim: true }]);
  for (const l of wrap(f.message, width)) rows.push([{ text: l, bold: true }]);
  if (f.also?.length) {
    // The runner folded other checks' findings on the same span into this one.
    for (const l of wrap(`also reported as ${f.also.join(', ')}: the same span, for the same cause; this finding stands for ${f.also.length === 1 ? 'it' : 'them'}`, width)) rows.push([{ text: l, dim: true }]);
  }
  rows.push([]);
  if (meta?.why) {
    rows.push([{ text: 'Why it matters', bold: true }]);
    for (const l of wrap(meta.why, width, '  ')) rows.push([l]);
    rows.push([]);
  }
  rows.push([{ text: 'Source', bold: true }]);
  rows.push(...sourceRows(input.source, f, width));
  rows.push([]);
  rows.push([{ text: 'How to fix by hand', bold: true }]);
  for (const l of wrap(f.remediation || meta?.howToFix || '', width, '  ')) rows.push([l]);
  rows.push([]);
  rows.push(...fixRows(input.preview));
  if (f.related?.length) {
    rows.push([]);
    rows.push([{ text: 'Related', bold: true }]);
    for (const r of f.related) rows.push([`  ${r.file}:${r.line}:${r.column}  `, { text: r.note, dim: true }]);
  }
  return rows;
}

function fixRows(preview: FixPreview): Seg[][] {
  if (!preview) return [[{ text: 'Automatic fix', bold: true }], ['  none: this check has no automatic fix for this finding']];
  if ('refused' in preview) return [[{ text: 'Automatic fix', bold: true }], [{ text: `  not fixed automatically: ${preview.refused}`, color: 'yellow' }]];
  return [
    [{ text: 'Automatic fix ', bold: true }, { text: preview.safety, color: preview.safety === 'safe' ? 'green' : 'yellow', bold: true }, `  ${preview.title}   (y accepts it)`],
    ...preview.diff.replace(/\n$/, '').split('\n').map((l): Seg[] => [diffSegment(l)]),
  ];
}

/** The lines around the finding, numbered; its range is highlighted and marked with carets below. */
function sourceRows(text: string | undefined, f: Finding, width: number): Seg[][] {
  if (text === undefined) return [[{ text: '  (file text not available)', dim: true }]];
  const lines = text.split('\n');
  const first = Math.max(1, f.line - CONTEXT);
  const endLine = Math.min(f.endLine, f.line + 8);
  const last = Math.min(lines.length, endLine + CONTEXT);
  const gutter = String(last).length;
  const rows: Seg[][] = [];
  for (let n = first; n <= last; n++) {
    const raw = (lines[n - 1] ?? '').replace(/\r$/, '');
    const inRange = n >= f.line && n <= f.endLine;
    const prefix = `${inRange ? '>' : ' '} ${String(n).padStart(gutter)} │ `;
    if (!inRange) {
      rows.push([{ text: prefix, dim: true }, untab(raw)]);
      continue;
    }
    const from = n === f.line ? f.column - 1 : 0;
    const to = n === f.endLine ? f.endColumn - 1 : raw.length;
    const before = untab(raw.slice(0, from));
    const span = untab(raw.slice(from, Math.max(from, to)));
    rows.push([{ text: prefix, color: 'yellow' }, before, { text: span, color: 'yellow', bold: true, inverse: true }, untab(raw.slice(Math.max(from, to)))]);
    if (n === f.line) rows.push([{ text: ' '.repeat(prefix.length + before.length) + '^'.repeat(Math.max(1, Math.min(span.length, width - prefix.length - before.length))), color: 'yellow' }]);
  }
  return rows;
}

function untab(s: string): string {
  return s.replace(/\t/g, '  ');
}
