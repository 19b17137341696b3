import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiBase, createClient } from '../src/github/client.js';
import { loadCache, Resolver, saveCache } from '../src/github/resolve.js';
import { startGitHubStandin, type Standin } from '../scripts/github-standin.js';
import { makeRepo, tempDir, yaml } from './helpers/repo.js';

const BIN = fileURLToPath(new URL('../bin/pipewarden.js', import.meta.url));
const V422 = '11bd71901bbe5b1630ceea73d27597364c9af683';
const V421 = 'eef61447b9ff4aafe5dcd4e0bbf5d482be7e7871';
const MAIN = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TOKEN = 'ghp_secretsecretsecretsecret0123456789';

let gh: Standin;
beforeAll(async () => {
  gh = await startGitHubStandin({
    'actions/checkout': {
      tags: [
        { name: 'v4', commit: V422 },
        { name: 'v4.2.2', commit: V422, annotated: true },
        { name: 'v4.2.1', commit: V421 },
      ],
      branches: { main: MAIN },
      commits: [V422, V421, MAIN],
    },
    'acme/shared': { tags: [], branches: { main: MAIN }, commits: [MAIN] },
  });
});
afterAll(async () => {
  await gh.close();
});

describe('pin resolution against the OpenAPI-validated stand-in', () => {
  it('dereferences annotated tags, picks the most specific tag, resolves branches and short SHAs, each once', async () => {
    const resolver = new Resolver(createClient({ githubUrl: gh.url, token: TOKEN }), { version: 1, entries: {} }, { offline: false });
    const before = gh.requests.length;
    const [tag, again, annotated, branch, short, missing] = await Promise.all([
      resolver.resolve('actions', 'checkout', 'v4'),
      resolver.resolve('actions', 'checkout', 'v4'),
      resolver.resolve('actions', 'checkout', 'v4.2.2'),
      resolver.resolve('acme', 'shared', 'main'),
      resolver.resolve('actions', 'checkout', 'eef6144'),
      resolver.resolve('actions', 'checkout', 'nope'),
    ]);
    expect(tag).toMatchObject({ sha: V422, version: 'v4.2.2', kind: 'tag' });
    expect(again).toBe(tag);
    expect(annotated).toMatchObject({ sha: V422, version: 'v4.2.2' });
    expect(branch).toMatchObject({ sha: MAIN, version: 'main', kind: 'branch' });
    expect(short).toMatchObject({ sha: V421, version: 'v4.2.1', kind: 'commit' });
    expect(missing).toEqual({ error: 'actions/checkout has no tag or branch named nope' });
    expect(resolver.lookups).toBe(5);
    const refLookups = gh.requests.slice(before).filter((r) => decodeURIComponent(r.path).endsWith('/git/ref/tags/v4'));
    expect(refLookups).toHaveLength(1);
    expect(gh.requests.slice(before).every((r) => r.auth === `token ${TOKEN}`)).toBe(true);
    expect(gh.violations).toEqual([]);
  });

  it('--offline uses only the cache; a lock file round-trips', async () => {
    const offline = new Resolver(undefined, { version: 1, entries: {} }, { offline: true });
    expect(await offline.resolve('actions', 'checkout', 'v4')).toEqual({ error: 'actions/checkout@v4 is not in the pin cache and --offline is set' });
    const lock = path.join(await tempDir(), 'pins.json');
    await saveCache(lock, { version: 1, entries: { 'actions/checkout@v4': { sha: V422, version: 'v4.2.2', kind: 'tag', resolvedAt: '2020-01-01T00:00:00Z' } } });
    const fromLock = new Resolver(undefined, await loadCache(lock), { offline: true });
    expect(await fromLock.resolve('actions', 'checkout', 'v4')).toMatchObject({ sha: V422 });
  });

  it('the stand-in itself flags requests and responses the OpenAPI description does not allow', async () => {
    const bad = await startGitHubStandin({ 'a/b': { tags: [{ name: 'v1', commit: 42 as unknown as string }], branches: {}, commits: [] } });
    try {
      await fetch(`${bad.url}/api/v3/repos/a/b/tags?bogus=1`);
      await fetch(`${bad.url}/api/v3/repos/a/b/no-such-endpoint`);
      expect(bad.violations).toEqual([
        'GET /repos/{owner}/{repo}/tags: undeclared query parameter bogus',
        expect.stringMatching(/^GET \/repos\/\{owner\}\/\{repo\}\/tags 200: response does not match the schema: .*sha must be string/),
        "GET /repos/a/b/no-such-endpoint: no such operation in GitHub's OpenAPI description",
      ]);
    } finally {
      await bad.close();
    }
  });

  it('GitHub Enterprise Server and stand-ins are reached under /api/v3', () => {
    expect(apiBase(undefined)).toBe('https://api.github.com');
    expect(apiBase('https://github.com/')).toBe('https://api.github.com');
    expect(apiBase('https://ghe.example.com')).toBe('https://ghe.example.com/api/v3');
    expect(apiBase('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com/api/v3');
  });
});

describe('pinning fixes end to end', () => {
  const WF = '.github/workflows/ci.yml';
  const before = yaml(
    'on: push',
    'permissions: {}',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    "      - uses: 'actions/checkout@v4'",
    '        with: {persist-credentials: false}',
    '      - uses: actions/checkout@v4.2.1 # v4.2.1',
    '        with: {persist-credentials: false}',
    '      - uses: acme/shared/setup@main # the shared setup',
    '      - uses: other/unknown@v1',
  );

  it('--fix pins tags and internal branches with the version comment, quoting kept; the token is never printed', async () => {
    const dir = await makeRepo({ [WF]: before });
    const cache = await tempDir();
    const run = await execa('node', [BIN, dir, '--fix', '--github-url', gh.url, '--repo', 'acme/app', '--checks', 'unpinned-uses,mutable-internal-ref', '--fail-on', 'none'], {
      reject: false,
      env: { CI: 'true', GH_TOKEN: TOKEN, XDG_CACHE_HOME: cache },
    });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(await readFile(path.join(dir, WF), 'utf8')).toBe(
      yaml(
        'on: push',
        'permissions: {}',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        `      - uses: 'actions/checkout@${V422}' # v4.2.2`,
        '        with: {persist-credentials: false}',
        `      - uses: actions/checkout@${V421} # v4.2.1`,
        '        with: {persist-credentials: false}',
        `      - uses: acme/shared/setup@${MAIN} # main the shared setup`,
        '      - uses: other/unknown@v1',
      ),
    );
    expect(run.stdout).toMatch(/other\/unknown@v1/);
    const saved = await readFile(path.join(cache, 'pipewarden', 'resolutions.json'), 'utf8');
    expect(saved).toContain(V422);
    expect(saved).not.toContain(TOKEN);
    expect(gh.violations).toEqual([]);

    // Offline, from the cache alone, the same fix comes out for a fresh copy against the same server.
    const copy = await makeRepo({ [WF]: before });
    const requests = gh.requests.length;
    await execa('node', [BIN, copy, '--fix', '--offline', '--github-url', gh.url, '--repo', 'acme/app', '--checks', 'unpinned-uses,mutable-internal-ref', '--fail-on', 'none'], { reject: false, env: { CI: 'true', XDG_CACHE_HOME: cache } });
    expect(await readFile(path.join(copy, WF), 'utf8')).toBe(await readFile(path.join(dir, WF), 'utf8'));
    expect(gh.requests.length).toBe(requests);
    // Pins resolved against another server are not used for github.com.
    const other = await makeRepo({ [WF]: before });
    const offline = await execa('node', [BIN, other, '--fix', '--offline', '--repo', 'acme/app', '--checks', 'unpinned-uses,mutable-internal-ref', '--fail-on', 'none'], { reject: false, env: { CI: 'true', XDG_CACHE_HOME: cache } });
    expect(await readFile(path.join(other, WF), 'utf8')).toBe(before);
    expect(offline.stdout).toContain('actions/checkout@v4');
  });
});
