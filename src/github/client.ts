/**
 * The GitHub REST client: @octokit/rest with GitHub's recommended throttling and retries.
 * The token is handed to Octokit and nowhere else: never printed, logged or stored.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import { execa } from 'execa';
import { connectionFailure, NetworkError } from './errors.js';

/**
 * Failures to reach the server at all (DNS, refused, timeout, TLS, dropped connection) become a
 * NetworkError that says which, and are not retried: retrying a DNS failure three times with
 * back-off only delays the message. Registered between throttling and retry, so the retry plugin
 * sees the NetworkError (it has no HTTP status) and passes it through.
 */
function networkErrors(octokit: Pick<Octokit, 'hook'>): void {
  octokit.hook.error('request', (error, options) => {
    const host = (() => {
      try {
        return new URL(String(options.url), String(options.baseUrl)).host;
      } catch {
        return undefined;
      }
    })();
    const failure = connectionFailure(error, host);
    if (!failure) throw error;
    // Keep `request` so the retry plugin's bookkeeping finds what it expects; no `status`, so no retry.
    throw Object.assign(new NetworkError(failure), { request: (error as { request?: unknown }).request, cause: error });
  });
}

const PipewardenOctokit = Octokit.plugin(throttling, networkErrors, retry);
export type GitHubClient = InstanceType<typeof PipewardenOctokit>;

/** API base for a GitHub web URL: api.github.com for github.com, `<url>/api/v3` for Enterprise Server or a stand-in. */
export function apiBase(githubUrl: string | undefined): string {
  if (!githubUrl) return 'https://api.github.com';
  const url = githubUrl.replace(/\/+$/, '');
  if (/^https?:\/\/(?:www\.)?github\.com$/i.test(url)) return 'https://api.github.com';
  return url.endsWith('/api/v3') ? url : `${url}/api/v3`;
}

/** The API host (with a port when there is one) a pin cache entry is keyed by: `api.github.com`, `ghe.example.com`, `127.0.0.1:PORT`. */
export function apiHost(githubUrl: string | undefined): string {
  return new URL(apiBase(githubUrl)).host.toLowerCase();
}

/** The API host a client talks to. */
export function clientHost(client: GitHubClient): string {
  return new URL(client.request.endpoint.DEFAULTS.baseUrl).host.toLowerCase();
}

/**
 * Timing knobs. The defaults are GitHub's recommendations (one write a second, three seconds
 * between requests that notify people, Retry-After honoured); tests against the loopback
 * stand-in shrink them so they do not wait for real seconds.
 */
export interface ClientLimits {
  /** Per-request timeout (default 20 s). */
  timeoutMs?: number;
  /** Minimum time between writes (default 1000 ms) and between notifying writes such as opening a pull request (default 3000 ms). */
  writeIntervalMs?: number;
  notifyIntervalMs?: number;
  /** What one second of Retry-After / back-off means (default 1000 ms). */
  retryAfterUnitMs?: number;
}

export function createClient(opts: { token?: string; githubUrl?: string; limits?: ClientLimits }): GitHubClient {
  const limits = opts.limits ?? {};
  const timeoutMs = limits.timeoutMs ?? 20_000;
  const groups =
    limits.writeIntervalMs !== undefined || limits.notifyIntervalMs !== undefined
      ? {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: limits.writeIntervalMs ?? 1000 }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: limits.notifyIntervalMs ?? 3000 }),
        }
      : {};
  return new PipewardenOctokit({
    ...(opts.token ? { auth: opts.token } : {}),
    baseUrl: apiBase(opts.githubUrl),
    userAgent: 'pipewarden',
    // A look-up that hangs (no network, a stalled proxy) fails after 20 s instead of stalling the run.
    request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }) },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: {
      ...groups,
      ...(limits.retryAfterUnitMs !== undefined ? { retryAfterBaseValue: limits.retryAfterUnitMs } : {}),
      // Wait out primary and secondary rate limits a couple of times, then give up.
      onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 2,
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1,
    },
    retry: { doNotRetry: [400, 401, 403, 404, 409, 422], ...(limits.retryAfterUnitMs !== undefined ? { retryAfterBaseValue: limits.retryAfterUnitMs } : {}) },
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
