/**
 * The interactive view for a person at a terminal. Ink and React are loaded here and only here
 * (a dynamic import of views/main), so the CI path never imports them.
 */
import type { RepoSession } from '../../engine/session.js';
import type { Io } from '../io.js';
import type { CliConfig } from '../options.js';
import type { Finding } from '../../types.js';
import { exitCode } from '../exit-code.js';

export async function runInteractive(session: RepoSession, config: CliConfig, io: Io): Promise<number> {
  // React's development build checks much more on every render; a person at a terminal gets the production one.
  process.env.NODE_ENV ??= 'production';
  const { runViews } = await import('../../../views/main.js');
  const editor = io.env.VISUAL || io.env.EDITOR;
  const outcome = await runViews(session, { color: !io.env.NO_COLOR, ...(editor ? { editor } : {}), openPullRequest: (request) => openPullRequest(session, config, io, request.findings) });
  if (outcome.how === 'interrupted') return 130;
  const report = session.current?.report;
  return report ? exitCode(report, config) : 0;
}

/** The queue's "open pull request": the queued findings' fixes, through the same code as --fix --pr. */
async function openPullRequest(session: RepoSession, config: CliConfig, io: Io, findings: Finding[]): Promise<{ url: string } | { error: string }> {
  const { propose } = await import('../propose.js');
  const result = await propose(session, config, io.env, findings);
  if ('error' in result) return { error: result.error };
  const first = result.opened[0];
  return first ? { url: first.url } : { error: 'no fix in the queue could be applied' };
}
