/**
 * The GitHub REST client: @octokit/rest with GitHub's recommended throttling and retries.
 * The token is handed to Octokit and nowhere else: never printed, logged or stored.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import { connectionFailure, NetworkError } from './errors.js';
import { apiBase } from './host.js';

// Kept importable from here; they live in ./host.js so that a plain audit does not load Octokit.
export { apiBase, apiHost, clientHost, findToken } from './host.js';

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
