/** The credential map: every secret workflows read, where, and what can reach it; enter shows that job's findings. */
import type { ReactElement } from 'react';
import type { AppState } from '../state.js';
import { Rows, type Seg } from '../theme.js';
import { cursorMark, windowOf } from './list.js';

export function CredentialsScreen({ state, width, height }: { state: AppState; width: number; height: number }): ReactElement {
  const secrets = state.report!.secrets;
  const page = Math.max(1, height - 2);
  const [top] = windowOf(state.credentials.cursor, secrets.length, page);
  const nameWidth = Math.min(28, Math.max(10, ...secrets.map((s) => s.secret.length)) + 1);
  const wheres = secrets.map((e) => `${e.file}:${e.line}${e.job ? ` ${e.job}` : ''}`);
  const whereWidth = Math.min(Math.floor(width * 0.5), Math.max(16, ...wheres.map((w) => w.length)));
  const out: Seg[][] = [
    [{ text: `${secrets.length} secret read${secrets.length === 1 ? '' : 's'}`, bold: true }, { text: '  (! = reachable from an untrusted trigger; enter shows the job\'s findings)', dim: true }],
    [{ text: `     ${'SECRET'.padEnd(nameWidth)}${'WHERE'.padEnd(whereWidth + 1)}${'ENVIRONMENT'.padEnd(14)}TRIGGERS`, dim: true }],
  ];
  if (secrets.length === 0) out.push([{ text: '  no workflow reads a secret', dim: true }]);
  secrets.slice(top, top + page).forEach((e, i) => {
    const at = top + i;
    const untrusted = new Set(e.untrustedTriggers);
    out.push([
      cursorMark(at === state.credentials.cursor),
      untrusted.size ? { text: '! ', color: 'red', bold: true } : '  ',
      { text: e.secret.padEnd(nameWidth), bold: true },
      wheres[at]!.slice(-whereWidth).padEnd(whereWidth + 1),
      (e.environment ?? '-').padEnd(14),
      ...e.triggers.flatMap((t, k): Seg[] => [k ? ', ' : '', untrusted.has(t) ? { text: `${t}!`, color: 'red' } : t]),
    ]);
  });
  return <Rows rows={out} width={width} />;
}
