/**
 * One finding: message, why it matters, the source around it with the exact range marked, how
 * to fix it by hand, the automatic fix as a diff with its safety (or why there is none), and
 * related locations. Scrolls as one column of rows.
 */
import type { ReactElement } from 'react';
import type { Finding } from '../../src/types.js';
import { findingByFingerprint, type AppState, type FixPreview } from '../state.js';
import { diffSegment, Rows, sev, wrap, type Seg } from '../theme.js';

const CONTEXT = 3;

export function detailRows(state: AppState, width: number): Seg[][] {
  const d = state.detail;
  const f = d && findingByFingerprint(state, d.fingerprint);
  if (!d || !f) return [['(this finding is gone after the last audit)']];
  const meta = state.report?.checks.find((c) => c.id === f.check);
  const rows: Seg[][] = [];
  const queued = state.queue.items.some((q) => q.fingerprint === f.fingerprint);
  rows.push([sev(f.severity, 9), { text: f.check, bold: true }, `  ${f.file}:${f.line}:${f.column}`, { text: `  confidence ${f.confidence}, area ${f.area}`, dim: true }, queued ? { text: '  [queued]', color: 'green' } : '']);
  if (f.suppression) rows.push([{ text: `suppressed (${f.suppression.source}): ${f.suppression.justification}${f.suppression.expires ? `, until ${f.suppression.expires}` : ''}`, color: 'yellow' }]);
  if (f.baseline) rows.push([{ text: 'in the baseline: reported, not counted', dim: true }]);
  for (const l of wrap(f.message, width)) rows.push([{ text: l, bold: true }]);
  rows.push([]);
  if (meta?.why) {
    rows.push([{ text: 'Why it matters', bold: true }]);
    for (const l of wrap(meta.why, width, '  ')) rows.push([l]);
    rows.push([]);
  }
  rows.push([{ text: 'Source', bold: true }]);
  rows.push(...sourceRows(d.source, f, width));
  rows.push([]);
  rows.push([{ text: 'How to fix by hand', bold: true }]);
  for (const l of wrap(f.remediation || meta?.howToFix || '', width, '  ')) rows.push([l]);
  rows.push([]);
  rows.push(...fixRows(d.preview));
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

export function DetailScreen({ state, width, height }: { state: AppState; width: number; height: number }): ReactElement {
  const rows = detailRows(state, width);
  const scroll = Math.min(state.detail?.scroll ?? 0, Math.max(0, rows.length - height));
  return <Rows rows={rows.slice(scroll, scroll + height)} width={width} />;
}
