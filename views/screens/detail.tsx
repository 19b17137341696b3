/**
 * One finding: message, why it matters, the source around it with the exact range marked, how
 * to fix it by hand, the automatic fix as a diff with its safety (or why there is none), the
 * checks it stands for and related locations. Scrolls as one column of rows (views/detail-model.ts).
 */
import type { ReactElement } from 'react';
import { detailRowsOf, type AppState } from '../state.js';
import { Rows } from '../theme.js';

export function DetailScreen({ state, width, height }: { state: AppState; width: number; height: number }): ReactElement {
  const rows = detailRowsOf(state, width);
  const scroll = Math.min(state.detail?.scroll ?? 0, Math.max(0, rows.length - height));
  return <Rows rows={rows.slice(scroll, scroll + height)} width={width} />;
}
