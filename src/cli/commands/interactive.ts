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
  const identity = session.identity;
  if (!identity) return { error: 'the repository on GitHub is not known: start pipewarden with --repo owner/name' };
  if (config.offline) return { error: '--offline: no pull requests' };
  const { createClient, findToken } = await import('../../github/client.js');
  const token = await findToken(config.token, io.env);
  if (!token) return { error: 'needs a GitHub token: --token, GH_TOKEN, GITHUB_TOKEN, or `gh auth login`' };
  const { openPullRequests } = await import('../../engine/pull-requests.js');
  const { PullRequestError } = await import('../../github/pull-request.js');
  try {
    const opened = await openPullRequests(session, {
      client: createClient({ token, ...(config.githubUrl ? { githubUrl: config.githubUrl } : {}) }),
      owner: identity.owner,
      repo: identity.name,
      selection: findings,
      draft: config.draft,
    });
    const first = opened[0];
    return first ? { url: first.url } : { error: 'no fix in the queue could be applied' };
  } catch (err) {
    if (err instanceof PullRequestError) return { error: err.message };
    throw err;
  }
}
