/** Shared pieces of the list screens: the cursor mark and the window of rows around the cursor. */
import type { Segment } from '../theme.js';

export function cursorMark(on: boolean): Segment {
  return on ? { text: '› ', color: 'cyan', bold: true } : { text: '  ' };
}

/** The first visible row and the page size so that the cursor stays on screen. */
export function windowOf(cursor: number, length: number, page: number): [number, number] {
  const top = Math.max(0, Math.min(cursor - Math.floor(page / 2), length - page));
  return [top, page];
}
