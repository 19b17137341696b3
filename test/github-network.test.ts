import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHost, createClient } from '../src/github/client.js';
import { describeFailure } from '../src/github/errors.js';
import { cacheKey, loadCache, resolutionKey, Resolver, saveCache, type PinCache, type ResolveProgress } from '../src/github/resolve.js';
import { startGitHubStandin, type Standin } from '../scripts/github-standin.js';
import { tempDir } from './helpers/repo.js';

const V422 = '11bd71901bbe5b1630ceea73d27597364c9af683';
const GHES = 'eef61447b9ff4aafe5dcd4e0bbf5d482be7e7871';

let gh: Standin;
beforeAll(async () => {
  gh = await startGitHubStandin({
    'actions/checkout': { tags: [{ name: 'v4', commit: GHES }], branches: {}, commits: [GHES] },
    'actions/setup-node': { tags: [{ name: 'v4', commit: GHES }], branches: {}, commits: [GHES] },
  });
});
afterAll(async () => {
  await gh.close();
});

const fast = { retryAfterUnitMs: 1, writeIntervalMs: 0, notifyIntervalMs: 0 };

/** A port on 127.0.0.1 with nothing listening: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('pin cache keyed by API host', () => {
  it('a pin resolved against Enterprise Server (or a stand-in) is stored under its host and never used for github.com', async () => {
    const cache: PinCache = { version: 1, entries: {} };
    const online = new Resolver(createClient({ githubUrl: gh.url, limits: fast }), cache, { offline: false });
    const host = apiHost(gh.url);
    expect(online.host).toBe(host);
    expect(await online.resolve('actions', 'checkout', 'v4')).toMatchObject({ sha: GHES });
    expect(Object.keys(cache.entries)).toEqual([`${host}|actions/checkout@v4`]);

    const file = path.join(await tempDir(), 'resolutions.json');
    await saveCache(file, cache);
    const forGithubCom = new Resolver(undefined, await loadCache(file), { offline: true, host: apiHost(undefined) });
    expect(await forGithubCom.resolve('actions', 'checkout', 'v4')).toEqual({ error: 'actions/checkout@v4 is not in the pin cache and --offline is set' });
    const forGhes = new Resolver(undefined, await loadCache(file), { offline: true, host });
    expect(await forGhes.resolve('actions', 'checkout', 'v4')).toMatchObject({ sha: GHES });
  });

  it('old keys without a host were github.com pins: loaded as such, not used for another server', async () => {
    const file = path.join(await tempDir(), 'resolutions.json');
    await writeFile(file, JSON.stringify({ version: 1, entries: { 'actions/checkout@v4': { sha: V422, version: 'v4.2.2', kind: 'tag', resolvedAt: '2020-01-01T00:00:00Z' } } }));
    const cache = await loadCache(file);
    expect(Object.keys(cache.entries)).toEqual(['api.github.com|actions/checkout@v4']);
    expect(await new Resolver(undefined, cache, { offline: true, host: 'api.github.com' }).resolve('actions', 'checkout', 'v4')).toMatchObject({ sha: V422 });
    expect(await new Resolver(undefined, cache, { offline: true, host: 'ghe.example.com' }).resolve('actions', 'checkout', 'v4')).toEqual({ error: 'actions/checkout@v4 is not in the pin cache and --offline is set' });
    // Online against the stand-in, the github.com pin is not reused either: the stand-in is asked.
    const online = new Resolver(createClient({ githubUrl: gh.url, limits: fast }), cache, { offline: false });
    expect(await online.resolve('actions', 'checkout', 'v4')).toMatchObject({ sha: GHES });
    expect(online.lookups).toBe(1);
    await saveCache(file, cache);
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).entries).sort()).toEqual([`${apiHost(gh.url)}|actions/checkout@v4`, 'api.github.com|actions/checkout@v4']);
  });

  it('key helpers', () => {
    expect(resolutionKey('Actions', 'Checkout', 'V4')).toBe('actions/checkout@v4');
    expect(cacheKey('API.GitHub.com', 'actions/checkout@v4')).toBe('api.github.com|actions/checkout@v4');
    expect(apiHost('https://ghe.example.com:8443')).toBe('ghe.example.com:8443');
    expect(apiHost(undefined)).toBe('api.github.com');
  });
});

describe('network failures say what happened', () => {
  it('DNS failure: named as such (not "HTTP 500"), later look-ups skipped, networkFailure set once', async () => {
    const progress: ResolveProgress[] = [];
    const resolver = new Resolver(createClient({ githubUrl: 'http://nonexistent.invalid', limits: fast }), { version: 1, entries: {} }, { offline: false, onProgress: (p) => progress.push(p) });
    const first = await resolver.resolve('actions', 'checkout', 'v4');
    expect(first).toEqual({ error: expect.stringMatching(/^resolving actions\/checkout@v4: cannot resolve nonexistent\.invalid: DNS lookup failed \((ENOTFOUND|EAI_AGAIN)/) });
    expect((first as { error: string }).error).not.toMatch(/HTTP/);
    expect(resolver.networkFailure).toMatch(/^GitHub API unreachable: cannot resolve nonexistent\.invalid: DNS lookup failed/);
    const second = await resolver.resolve('actions', 'setup-node', 'v4');
    expect(second).toEqual({ error: `skipped: ${resolver.networkFailure}` });
    expect(resolver.lookups).toBe(1);
    expect(progress).toEqual([
      { inFlight: 1, done: 0, total: 1 },
      { inFlight: 0, done: 1, total: 1 },
      { inFlight: 0, done: 2, total: 2 },
    ]);
  });

  it('progress counts look-ups in flight', async () => {
    const progress: ResolveProgress[] = [];
    const resolver = new Resolver(createClient({ githubUrl: gh.url, limits: fast }), { version: 1, entries: {} }, { offline: false, onProgress: (p) => progress.push(p) });
    await Promise.all([resolver.resolve('actions', 'checkout', 'v4'), resolver.resolve('actions', 'setup-node', 'v4'), resolver.resolve('actions', 'checkout', 'v4')]);
    expect(progress.slice(0, 2)).toEqual([
      { inFlight: 1, done: 0, total: 1 },
      { inFlight: 2, done: 0, total: 2 },
    ]);
    expect(progress.at(-1)).toEqual({ inFlight: 0, done: 2, total: 2 });
  });

  it('connection refused', async () => {
    const port = await closedPort();
    const resolver = new Resolver(createClient({ githubUrl: `http://127.0.0.1:${port}`, limits: fast }), { version: 1, entries: {} }, { offline: false });
    expect(await resolver.resolve('actions', 'checkout', 'v4')).toEqual({ error: `resolving actions/checkout@v4: connection to 127.0.0.1:${port} refused (nothing listening, or a firewall)` });
    expect(resolver.networkFailure).toBe(`GitHub API unreachable: connection to 127.0.0.1:${port} refused (nothing listening, or a firewall)`);
  });

  it('timeout and dropped connection', async () => {
    const host = apiHost(gh.url);
    gh.inject({ method: 'GET', pathPattern: /^\/repos\/actions\/checkout\/git\/ref\/tags\/v4$/, action: 'hang' });
    const slow = new Resolver(createClient({ githubUrl: gh.url, limits: { ...fast, timeoutMs: 200 } }), { version: 1, entries: {} }, { offline: false });
    expect(await slow.resolve('actions', 'checkout', 'v4')).toEqual({ error: `resolving actions/checkout@v4: no answer from ${host} in time (timed out)` });
    expect(slow.networkFailure).toBe(`GitHub API unreachable: no answer from ${host} in time (timed out)`);

    gh.inject({ method: 'GET', pathPattern: /^\/repos\/actions\/checkout\/git\/ref\/tags\/v4$/, action: 'drop' });
    const dropped = new Resolver(createClient({ githubUrl: gh.url, limits: fast }), { version: 1, entries: {} }, { offline: false });
    expect(await dropped.resolve('actions', 'checkout', 'v4')).toEqual({ error: expect.stringMatching(new RegExp(`^resolving actions/checkout@v4: connection to ${host.replace(/\./g, '\\.')} dropped before an answer \\((ECONNRESET|UND_ERR_SOCKET|EPIPE|UND_ERR_CLOSED)\\)$`)) });
  });

  it('TLS failure: https to a server that does not speak TLS', async () => {
    const resolver = new Resolver(createClient({ githubUrl: gh.url.replace('http:', 'https:'), limits: fast }), { version: 1, entries: {} }, { offline: false });
    const result = await resolver.resolve('actions', 'checkout', 'v4');
    expect(result).toEqual({ error: expect.stringMatching(new RegExp(`^resolving actions/checkout@v4: TLS connection to ${apiHost(gh.url).replace(/\./g, '\\.')} failed \\(\\w+\\)$`)) });
  });

  it('an HTTP error is reported with its status and GitHub\'s message, and does not stop other look-ups', async () => {
    gh.inject({ method: 'GET', pathPattern: /^\/repos\/actions\/checkout\/git\/ref\/tags\/v4$/, status: 503, body: { message: 'Service Unavailable' }, times: 4 });
    const resolver = new Resolver(createClient({ githubUrl: gh.url, limits: fast }), { version: 1, entries: {} }, { offline: false });
    expect(await resolver.resolve('actions', 'checkout', 'v4')).toEqual({ error: 'GitHub API: resolving actions/checkout@v4: HTTP 503: Service Unavailable' });
    expect(resolver.networkFailure).toBeUndefined();
    expect(await resolver.resolve('actions', 'setup-node', 'v4')).toMatchObject({ sha: GHES });
  });

  it('an answer that is not a git reference says so', async () => {
    gh.inject({ method: 'GET', pathPattern: /^\/repos\/actions\/checkout\/git\/ref\/tags\/v4$/, status: 200, body: { hello: 'proxy' } });
    const resolver = new Resolver(createClient({ githubUrl: gh.url, limits: fast }), { version: 1, entries: {} }, { offline: false });
    expect(await resolver.resolve('actions', 'checkout', 'v4')).toEqual({ error: 'GitHub API: resolving actions/checkout@v4: the answer for tags/v4 is not a git reference (no object SHA); is this a GitHub API?' });
  });

  it('describeFailure on non-Octokit errors', () => {
    expect(describeFailure(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), 'ghe.example.com:443')).toMatchObject({ kind: 'dns', connection: true, message: 'cannot resolve ghe.example.com: DNS lookup failed (ENOTFOUND)' });
    expect(describeFailure(new Error('boom'))).toEqual({ kind: 'network', connection: false, message: 'boom' });
  });
});
