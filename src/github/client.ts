/**
 * The GitHub REST client: @octokit/rest with GitHub's recommended throttling and retries.
 * The token is handed to Octokit and nowhere else: never printed, logged or stored.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { execa } from 'execa';

const PipewardenOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof PipewardenOctokit>;

/** API base for a GitHub web URL: api.github.com for github.com, `<url>/api/v3` for Enterprise Server or a stand-in. */
export function apiBase(githubUrl: string | undefined): string {
  if (!githubUrl) return 'https://api.github.com';
  const url = githubUrl.replace(/\/+$/, '');
  if (/^https?:\/\/(?:www\.)?github\.com$/i.test(url)) return 'https://api.github.com';
  return url.endsWith('/api/v3') ? url : `${url}/api/v3`;
}

export function createClient(opts: { token?: string; githubUrl?: string }): GitHubClient {
  return new PipewardenOctokit({
    ...(opts.token ? { auth: opts.token } : {}),
    baseUrl: apiBase(opts.githubUrl),
    userAgent: 'pipewarden',
    // A look-up that hangs (no network, a stalled proxy) fails after 20 s instead of stalling the run.
    request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(20_000) }) },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: {
      // Wait out primary and secondary rate limits a couple of times, then give up.
      onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 2,
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1,
    },
    retry: { doNotRetry: [400, 401, 403, 404, 409, 422] },
  });
}

/** --token, else GH_TOKEN, else GITHUB_TOKEN, else what `gh auth token` prints (if gh is installed). */
export async function findToken(explicit: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const direct = explicit ?? env.GH_TOKEN ?? env.GITHUB_TOKEN;
  if (direct) return direct;
  const gh = await execa('gh', ['auth', 'token'], { reject: false, stdin: 'ignore', timeout: 5_000 });
  const token = gh.exitCode === 0 ? gh.stdout.trim() : '';
  return token || undefined;
}
