/**
 * The interactive view for a person at a terminal. Ink and React are loaded here and only here
 * (a dynamic import of views/main), so the CI path never imports them.
 */
import type { RepoSession } from '../../engine/session.js';
import type { Io } from '../io.js';
import type { CliConfig } from '../options.js';

export async function runInteractive(session: RepoSession, config: CliConfig, io: Io): Promise<number> {
  // React's development build checks much more on every render; a person at a terminal gets the production one.
  process.env.NODE_ENV ??= 'production';
  const { runViews } = await import('../../../views/main.js');
  const editor = io.env.VISUAL || io.env.EDITOR;
  const outcome = await runViews(session, { color: !io.env.NO_COLOR, ...(editor ? { editor } : {}) });
  if (outcome.how === 'interrupted') return 130;
  const { exitCode } = await import('./audit.js');
  const report = session.current?.report;
  return report ? exitCode(report, config) : 0;
}
