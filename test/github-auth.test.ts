/**
 * Token hygiene: a planted token goes through every GitHub path pipewarden has (pin look-ups,
 * the cache, pull requests created / unchanged / updated / from a fork, and failures of each
 * kind), and appears in none of the messages, results, errors or files it leaves behind.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/github/client.js';
import { renderPullRequestBody } from '../src/github/pr-body.js';
import { openRemediationPullRequest, type OpenPullRequestOptions } from '../src/github/pull-request.js';
import { defaultCachePath, loadCache, Resolver, saveCache } from '../src/github/resolve.js';
import { startGitHubStandin, type Standin } from '../scripts/github-standin.js';
import { makeRepo, tempDir, yaml } from './helpers/repo.js';

const PLANTED = 'ghp_plantedTOKENplantedTOKEN0123456789';
const BIN = fileURLToPath(new URL('../bin/pipewarden.js', import.meta.url));
const WF = '.github/workflows/ci.yml';
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

let gh: Standin;
beforeAll(async () => {
  gh = await startGitHubStandin({ 'actions/checkout': { tags: [{ name: 'v4', commit: SHA }], branches: {}, commits: [SHA] } });
  gh.setToken(PLANTED, { login: 'pipewarden-bot', scopes: ['repo', 'workflow'] });
});
afterAll(async () => {
  await gh.close();
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** The token, and distinctive pieces of it (a truncated or partly masked token is a leak too). */
function leaks(text: string): string[] {
  const pieces = [PLANTED, PLANTED.slice(4, 20), PLANTED.slice(-16)];
  return pieces.filter((p) => text.includes(p));
}

describe('token hygiene', () => {
  it('a planted token appears in no message, result, error, cache or file', async () => {
    const said: string[] = [];
    const log = (line: string): void => void said.push(line);
    const record = (value: unknown): void => void said.push(typeof value === 'string' ? value : inspect(value, { depth: 12, showHidden: true }));
    const client = createClient({ token: PLANTED, githubUrl: gh.url, limits: { writeIntervalMs: 0, notifyIntervalMs: 0, retryAfterUnitMs: 1, timeoutMs: 10_000 } });
    const impatient = createClient({ token: PLANTED, githubUrl: gh.url, limits: { writeIntervalMs: 0, notifyIntervalMs: 0, retryAfterUnitMs: 1, timeoutMs: 1_500 } });

    // Pin look-ups and the cache, through the XDG cache directory the CLI uses.
    const cacheHome = await tempDir();
    const cacheFile = defaultCachePath({ XDG_CACHE_HOME: cacheHome });
    const cache = await loadCache(cacheFile);
    const resolver = new Resolver(client, cache, { offline: false, onProgress: record });
    record(await resolver.resolve('actions', 'checkout', 'v4'));
    record(await resolver.resolve('actions', 'missing', 'v1'));
    await saveCache(cacheFile, cache);

    // Pull requests: created, unchanged, updated, then from a fork.
    const before = yaml('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4');
    const after = before.replace('actions/checkout@v4', `actions/checkout@${SHA} # v4`);
    gh.seedRepository('acme/app', { files: new Map([[WF, before]]) });
    gh.seedRepository('other/lib', { files: new Map([[WF, before]]), push: false, forkDelay: 1 });
    const body = renderPullRequestBody({ fixed: [], left: [] });
    const base = (repo: string, changes: Map<string, string>): OpenPullRequestOptions => ({
      client,
      owner: repo.split('/')[0]!,
      repo: repo.split('/')[1]!,
      changes,
      title: 'Pin actions',
      body,
      branchPrefix: 'pipewarden/pinning',
      forkPoll: { attempts: 3, intervalMs: 1 },
      log,
    });
    const results = [
      await openRemediationPullRequest(base('acme/app', new Map([[WF, after]]))),
      await openRemediationPullRequest(base('acme/app', new Map([[WF, after]]))),
      await openRemediationPullRequest(base('acme/app', new Map([[WF, after.replace('on: push', 'on: [push]')]]))),
      await openRemediationPullRequest(base('other/lib', new Map([[WF, after]]))),
    ];
    expect(results.map((r) => r.action)).toEqual(['created', 'unchanged', 'updated', 'created']);
    results.forEach(record);

    // Failures of every kind, each error inspected in full (causes, details, stack).
    const failures: Array<Parameters<Standin['inject']>[0]> = [
      { method: 'GET', pathPattern: /^\/repos\/acme\/app$/, status: 401, body: { message: 'Bad credentials' } },
      { method: 'POST', pathPattern: /^\/repos\/acme\/app\/git\/blobs$/, status: 403, body: { message: 'Resource not accessible by personal access token' } },
      { method: 'POST', pathPattern: /^\/repos\/acme\/app\/git\/trees$/, action: 'drop' },
      { method: 'POST', pathPattern: /^\/repos\/acme\/app\/git\/commits$/, status: 500, body: { message: 'boom' }, times: 4 },
      { method: 'POST', pathPattern: /^\/repos\/acme\/app\/git\/commits$/, action: 'hang' },
    ];
    for (const [i, injection] of failures.entries()) {
      gh.inject(injection);
      const err = await openRemediationPullRequest({ ...base('acme/app', new Map([[WF, `${after}# ${i}\n`]])), ...(injection.action === 'hang' ? { client: impatient } : {}) }).then(
        () => new Error('expected a failure'),
        (e: unknown) => e,
      );
      record(err);
      record(String((err as Error).stack));
      expect((err as Error).name).toBe('PullRequestError');
    }

    // The CLI end to end, with the token in the environment.
    const dir = await makeRepo({ [WF]: before });
    const run = await execa('node', [BIN, dir, '--fix', '--github-url', gh.url, '--checks', 'unpinned-uses', '--fail-on', 'none', '--format', 'json'], {
      reject: false,
      env: { CI: 'true', GH_TOKEN: PLANTED, XDG_CACHE_HOME: cacheHome },
    });
    record(run.stdout);
    record(run.stderr);

    // The token was used (so the scan below means something) ...
    expect(gh.requests.filter((r) => r.auth === `token ${PLANTED}`).length).toBeGreaterThan(20);
    expect(said.join('\n')).toMatch(/opening the pull request|GitHub rejected the token/);
    // ... and is nowhere in what pipewarden said or wrote.
    expect(said.flatMap(leaks)).toEqual([]);
    const written = [...(await filesUnder(cacheHome)), ...(await filesUnder(dir))];
    expect(written).toContain(cacheFile);
    for (const file of written) expect({ file, leaks: leaks(await readFile(file, 'utf8')) }).toEqual({ file, leaks: [] });
    expect(gh.violations).toEqual([]);
  });
});
