/** Loading: each phase as it happens (files found, GitHub look-ups n of total, checks), and the time taken so far. */
import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { AppState } from '../state.js';
import { Line } from '../theme.js';

export function ProgressScreen({ state, now, width }: { state: AppState; now: number; width: number }): ReactElement {
  const elapsed = ((now - state.started) / 1000).toFixed(1);
  return (
    <Box flexDirection="column">
      <Line width={width} segments={[{ text: `Auditing… ${elapsed} s`, bold: true }]} />
      {state.progress.length === 0 ? <Line width={width} segments={['  starting']} /> : null}
      {state.progress.map((p, i) => (
        <Line key={i} width={width} segments={[i === state.progress.length - 1 && !state.loadError ? { text: '  › ', color: 'cyan' } : '  ✓ ', p.text]} />
      ))}
      {state.loadError ? <Line width={width} segments={[{ text: `  cannot audit: ${state.loadError}`, color: 'red' }]} /> : null}
      {state.loadError ? <Line width={width} segments={['  press q to quit']} /> : null}
    </Box>
  );
}
