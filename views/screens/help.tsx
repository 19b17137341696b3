/** The help overlay: every key of the current screen, from the keymap, in as many columns as it needs. */
import type { ReactElement } from 'react';
import { bindingsFor } from '../keymap.js';
import type { AppState } from '../state.js';
import { Rows, type Seg } from '../theme.js';

export function HelpScreen({ state, width, height }: { state: AppState; width: number; height: number }): ReactElement {
  const bindings = bindingsFor({ screen: state.screen });
  const perColumn = Math.max(1, height - 1);
  const columns = Math.ceil(bindings.length / perColumn);
  const colWidth = Math.floor(width / columns);
  const keyWidth = Math.min(16, Math.max(...bindings.map((b) => b.keys.join(' ').length)) + 2);
  const rows: Seg[][] = Array.from({ length: Math.min(perColumn, bindings.length) }, () => []);
  bindings.forEach((b, i) => {
    const row = rows[i % perColumn]!;
    const cell = `${b.keys.join(' ').padEnd(keyWidth)}${b.description}`;
    const text = cell.length > colWidth - 1 ? cell.slice(0, colWidth - 2) + '…' : cell;
    row.push({ text: b.keys.join(' ').padEnd(keyWidth).slice(0, text.length), bold: true }, text.slice(keyWidth).padEnd(colWidth - keyWidth));
  });
  return <Rows rows={[[{ text: `Keys on the ${state.screen} screen`, bold: true }, { text: '   (? or esc closes)', dim: true }], ...rows]} width={width} />;
}
