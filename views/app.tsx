/** The interactive triage view: one reducer, one keymap, screens drawn from the state. */
import { Box, useStdout } from 'ink';
import { useEffect, useReducer, useState, type ReactElement } from 'react';
import type { RepoSession } from '../src/engine/session.js';
import { useController, type ViewOptions } from './controller.js';
import { useKeys, overlayOf } from './input.js';
import { bindingsFor } from './keymap.js';
import { CredentialsScreen } from './screens/credentials.js';
import { DetailScreen } from './screens/detail.js';
import { FindingsScreen } from './screens/findings.js';
import { HelpScreen } from './screens/help.js';
import { OverviewScreen } from './screens/overview.js';
import { ProgressScreen } from './screens/progress.js';
import { QueueScreen } from './screens/queue.js';
import { bodyHeight, initialState, PANES, reducer, type AppState } from './state.js';
import { ColorContext, diffSegment, Line, Rows, type Seg } from './theme.js';

export interface AppProps {
  session: RepoSession;
  options: ViewOptions;
  /** Terminal size when there is no stdout to ask (tests). */
  size?: { columns: number; rows: number };
}

export function App({ session, options, size }: AppProps): ReactElement {
  const { stdout } = useStdout();
  const now = options.now ?? Date.now;
  const [state, dispatch] = useReducer(reducer, undefined, () =>
    initialState({
      columns: size?.columns ?? stdout.columns ?? 80,
      rows: size?.rows ?? stdout.rows ?? 24,
      color: options.color,
      now: now(),
      pullRequests: options.openPullRequest ? { available: true, reason: '' } : { available: false, reason: 'pull requests: not available in this build' },
    }),
  );
  const run = useController(session, options, state, dispatch);
  useKeys(state, run, dispatch);

  // Resizing re-lays out.
  useEffect(() => {
    if (size) return;
    const onResize = (): void => dispatch({ type: 'resize', columns: stdout.columns ?? 80, rows: stdout.rows ?? 24 });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout, size]);

  // The progress screen's clock ticks while loading.
  const [tick, setTick] = useState(now());
  useEffect(() => {
    if (state.report) return;
    const timer = setInterval(() => setTick(now()), 100);
    return () => clearInterval(timer);
  }, [!!state.report]);

  const ready = !!state.report;
  useEffect(() => {
    if (ready) options.onReady?.();
  }, [ready]);

  return (
    <ColorContext.Provider value={state.color}>
      <Layout state={state} now={tick} />
    </ColorContext.Provider>
  );
}

const TITLES: Record<string, string> = { overview: 'Overview', findings: 'Findings', queue: 'Queue', credentials: 'Credentials' };

export function Layout({ state, now }: { state: AppState; now: number }): ReactElement {
  const width = Math.max(20, state.columns - 1);
  const height = bodyHeight(state);
  let body: ReactElement;
  if (!state.report) body = <ProgressScreen state={state} now={now} width={width} />;
  else if (state.help) body = <HelpScreen state={state} width={width} height={height} />;
  else if (state.change) body = <ChangeView change={state.change} width={width} height={height} />;
  else {
    switch (state.screen) {
      case 'findings':
        body = <FindingsScreen state={state} width={width} height={height} />;
        break;
      case 'detail':
        body = <DetailScreen state={state} width={width} height={height} />;
        break;
      case 'queue':
        body = <QueueScreen state={state} width={width} height={height} />;
        break;
      case 'credentials':
        body = <CredentialsScreen state={state} width={width} height={height} />;
        break;
      default:
        body = <OverviewScreen state={state} width={width} height={height} />;
    }
  }
  return (
    <Box flexDirection="column" width={state.columns}>
      <Tabs state={state} width={width} />
      <Line width={width} segments={[{ text: '─'.repeat(width), dim: true }]} />
      <Box flexDirection="column" height={height}>
        {body}
      </Box>
      <StatusLine state={state} width={width} />
      <Hints state={state} width={width} />
    </Box>
  );
}

function Tabs({ state, width }: { state: AppState; width: number }): ReactElement {
  const r = state.report;
  const counts: Record<string, string> = r ? { overview: '', findings: ` ${r.findings.length}`, queue: ` ${state.queue.items.length}`, credentials: ` ${r.secrets.length}` } : {};
  const current = state.screen === 'detail' ? 'findings' : state.screen;
  const segs: Seg[] = [{ text: 'pipewarden ', bold: true }];
  if (r) {
    PANES.forEach((p, i) => {
      const on = p === current;
      segs.push(on ? { text: `[${i + 1} ${TITLES[p]}${counts[p]}]`, color: 'cyan', bold: true } : { text: ` ${i + 1} ${TITLES[p]}${counts[p]} `, dim: true }, ' ');
    });
    if (state.screen === 'detail') segs.push({ text: '› detail', color: 'cyan' });
  } else segs.push({ text: 'loading', dim: true });
  return <Line width={width} segments={segs} />;
}

function StatusLine({ state, width }: { state: AppState; width: number }): ReactElement {
  const p = state.prompt;
  if (p) {
    switch (p.kind) {
      case 'search':
        return <Line width={width} segments={[{ text: 'search: ', bold: true }, p.value, { text: '█', dim: true }, { text: '   enter keeps, esc clears', dim: true }]} />;
      case 'reason':
        return <Line width={width} segments={[{ text: 'Suppress: reason (required): ', bold: true }, p.value, { text: '█', dim: true }, p.error ? { text: `  ${p.error}`, color: 'red' } : '']} />;
      case 'expires':
        return <Line width={width} segments={[{ text: 'Expires (YYYY-MM-DD, enter for never): ', bold: true }, p.value, { text: '█', dim: true }, p.error ? { text: `  ${p.error}`, color: 'red' } : '']} />;
      case 'where':
        return <Line width={width} segments={[{ text: 'Write it to: ', bold: true }, 'c .pipewarden.yml   l inline comment above the line   esc cancel']} />;
      case 'patch-path':
        return <Line width={width} segments={[{ text: 'Save patch to: ', bold: true }, p.value, { text: '█', dim: true }, p.error ? { text: `  ${p.error}`, color: 'red' } : '']} />;
      case 'confirm-quit':
        return <Line width={width} segments={[{ text: `${state.queue.items.length} accepted fix${state.queue.items.length === 1 ? ' is' : 'es are'} not written. Quit anyway? (y/n)`, color: 'yellow', bold: true }]} />;
    }
  }
  if (state.busy) return <Line width={width} segments={[{ text: `${state.busy}…`, color: 'cyan' }]} />;
  if (state.message) return <Line width={width} segments={[{ text: state.message.text, color: state.message.tone === 'error' ? 'red' : state.message.tone === 'ok' ? 'green' : 'white' }]} />;
  return <Line width={width} segments={[' ']} />;
}

const HINTS: Record<string, string[]> = {
  overview: ['open', 'next-pane', 'help', 'quit'],
  findings: ['open', 'accept', 'accept-group', 'suppress', 'search', 'filter-severity', 'group', 'help', 'quit'],
  detail: ['accept', 'skip', 'suppress', 'edit', 'back', 'help'],
  queue: ['remove', 'write', 'save-patch', 'pull-request', 'help'],
  credentials: ['open', 'edit', 'help', 'quit'],
  progress: ['quit'],
};

function Hints({ state, width }: { state: AppState; width: number }): ReactElement {
  const overlay = overlayOf(state);
  if (overlay || !state.report) return <Line width={width} segments={[{ text: state.report ? '' : 'ctrl-c quits', dim: true }]} />;
  const all = bindingsFor({ screen: state.screen });
  const wanted = HINTS[state.screen] ?? [];
  const segs: Seg[] = [];
  for (const id of wanted) {
    const b = all.find((x) => x.command === id);
    if (b) segs.push({ text: b.keys[0]!, bold: true }, { text: ` ${id}  `, dim: true });
  }
  return <Line width={width} segments={segs} />;
}

function ChangeView({ change, width, height }: { change: { title: string; diff: string }; width: number; height: number }): ReactElement {
  const lines = change.diff.replace(/\n$/, '').split('\n');
  return <Rows width={width} rows={[[{ text: change.title, bold: true, color: 'green' }, { text: '   (esc or any command continues)', dim: true }], ...lines.slice(0, height - 1).map((l) => [diffSegment(l)])]} />;
}
