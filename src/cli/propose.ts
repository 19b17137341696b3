/**
 * Opening remediation pull requests from the command line and from the views' queue: the same
 * token look-up, client and error handling for both.
 */
import type { FixSelection, RepoSession } from '../engine/session.js';
import type { OpenedPullRequest } from '../engine/pull-requests.js';
import type { CliConfig } from './options.js';

export type Proposal = { opened: OpenedPullRequest[] } | { error: string; usage: boolean };

export async function propose(
  session: RepoSession,
  config: CliConfig,
  env: NodeJS.ProcessEnv,
  selection: FixSelection,
  opts: { split?: 'area' | 'check'; log?: (line: string) => void } = {},
): Promise<Proposal> {
  const identity = session.identity;
  if (!identity) return { error: 'opening a pull request needs the repository on GitHub: pass --repo owner/name (or audit a checkout whose origin is on GitHub)', usage: true };
  if (config.offline) return { error: '--offline makes no network requests, so no pull request can be opened', usage: true };
  const { createClient, findToken } = await import('../github/client.js');
  const token = await findToken(config.token, env);
  if (!token) return { error: 'opening a pull request needs a GitHub token: --token, GH_TOKEN, GITHUB_TOKEN, or `gh auth login`', usage: true };
  const { openPullRequests } = await import('../engine/pull-requests.js');
  const { PullRequestError } = await import('../github/pull-request.js');
  try {
    const opened = await openPullRequests(session, {
      client: createClient({ token, ...(config.githubUrl ? { githubUrl: config.githubUrl } : {}) }),
      owner: identity.owner,
      repo: identity.name,
      selection,
      ...(opts.split ? { split: opts.split } : {}),
      draft: config.draft,
      ...(opts.log ? { log: opts.log } : {}),
    });
    return { opened };
  } catch (err) {
    if (err instanceof PullRequestError) return { error: `pull request not opened: ${err.message}`, usage: false };
    throw err;
  }
}
