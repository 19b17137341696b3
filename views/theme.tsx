/**
 * Colours and single-row lines. Every line the views draw is one terminal row, cut to the width,
 * so a screen's height is known before Ink lays it out. With colour off (NO_COLOR) no style is
 * emitted at all; markers in the text (›, ^, +/-) carry the meaning instead.
 */
import { Text } from 'ink';
import { createContext, useContext, type ReactElement } from 'react';
import type { Severity } from '../src/types.js';

export const ColorContext = createContext(true);

export interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export type Seg = Segment | string;

/** One row of segments, cut to `width` columns. */
export function Line({ segments, width }: { segments: Seg[]; width: number }): ReactElement {
  return <Rows rows={[segments]} width={width} />;
}

/**
 * Many rows as one Ink text node: Ink's cost is per node, so a screen of rows drawn as one
 * text (rows cut to the width beforehand, joined by newlines) costs a fraction of a node per row.
 */
export function Rows({ rows, width }: { rows: Seg[][]; width: number }): ReactElement {
  const color = useContext(ColorContext);
  const children: Array<ReactElement | string> = [];
  let plain = '';
  const flush = (): void => {
    if (plain) children.push(plain);
    plain = '';
  };
  rows.forEach((segments, r) => {
    if (r) plain += '\n';
    const parts = cut(segments, width);
    if (!parts.length) plain += ' ';
    for (const p of parts) {
      if (color && (p.color || p.bold || p.dim || p.inverse)) {
        flush();
        children.push(
          <Text key={children.length} {...(p.color ? { color: p.color } : {})} bold={!!p.bold} dimColor={!!p.dim} inverse={!!p.inverse}>
            {p.text}
          </Text>,
        );
      } else plain += p.text;
    }
  });
  flush();
  return <Text>{children}</Text>;
}

function cut(segments: Seg[], width: number): Segment[] {
  const parts: Segment[] = [];
  let left = Math.max(0, width);
  for (const s of segments) {
    if (left <= 0) break;
    const seg = typeof s === 'string' ? { text: s } : s;
    const text = seg.text.replace(/[\t\r\n]/g, ' ');
    const short = text.length > left ? text.slice(0, Math.max(0, left - 1)) + '…' : text;
    left -= short.length;
    if (short) parts.push({ ...seg, text: short });
  }
  return parts;
}

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: 'magentaBright',
  high: 'red',
  medium: 'yellow',
  low: 'blue',
  info: 'gray',
};

export function sev(s: Severity, pad = 8): Segment {
  return { text: s.toUpperCase().padEnd(pad), color: SEVERITY_COLORS[s], bold: s === 'critical' || s === 'high' };
}

/** Word-wraps prose into rows of at most `width` columns. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  const w = Math.max(10, width - indent.length);
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > w) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out;
}

/** The colour of one unified-diff line. */
export function diffSegment(line: string): Segment {
  if (line.startsWith('+++') || line.startsWith('---')) return { text: line, bold: true };
  if (line.startsWith('+')) return { text: line, color: 'green' };
  if (line.startsWith('-')) return { text: line, color: 'red' };
  if (line.startsWith('@@')) return { text: line, color: 'cyan' };
  return { text: line };
}
