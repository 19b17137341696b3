/**
 * The stand-in serves git clones over smart HTTP (git http-backend), from its own objects: a
 * clone sees exactly what the API wrote, and git itself checks that every object SHA is real.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/github/client.js';
import { openRemediationPullRequest } from '../src/github/pull-request.js';
import { startGitHubStandin, type Standin } from '../scripts/github-standin.js';
import { tempDir } from './helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const before = 'on: push\njobs: {}\n';
const after = 'on: push\npermissions: {}\njobs: {}\n';

let gh: Standin;
let home: string;
beforeAll(async () => {
  gh = await startGitHubStandin({});
  home = await tempDir();
});
afterAll(async () => {
  await gh.close();
});

function git(args: string[], cwd?: string) {
  return execa('git', args, { ...(cwd ? { cwd } : {}), env: { HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' }, extendEnv: false, reject: false, timeout: 20_000 });
}

describe('git smart HTTP from the stand-in', () => {
  it('a clone of a stateful repository holds the default branch; the pull request branch can be fetched; fsck passes', async () => {
    const seeded = gh.seedRepository('acme/cloneme', { files: new Map([[WF, before], ['README.md', '# x\n']]) });
    const client = createClient({ token: 'ghp_gitHttpTestToken0000000000000000000', githubUrl: gh.url, limits: { writeIntervalMs: 0, notifyIntervalMs: 0 } });
    const pr = await openRemediationPullRequest({ client, owner: 'acme', repo: 'cloneme', changes: new Map([[WF, after]]), title: 'Drop permissions', body: 'b', branchPrefix: 'pipewarden/permissions' });

    const dir = path.join(await tempDir(), 'clone');
    const clone = await git(['clone', '-q', `${gh.url}/acme/cloneme.git`, dir]);
    expect(clone.stderr).toBe('');
    expect(clone.exitCode).toBe(0);
    expect((await git(['rev-parse', 'HEAD'], dir)).stdout).toBe(seeded);
    expect(await readFile(path.join(dir, WF), 'utf8')).toBe(before);
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toBe('# x\n');

    expect((await git(['fetch', '-q', 'origin', pr.branch], dir)).exitCode).toBe(0);
    expect((await git(['show', `FETCH_HEAD:${WF}`], dir)).stdout + '\n').toBe(after);
    expect((await git(['log', '-1', '--format=%B', 'FETCH_HEAD'], dir)).stdout).toBe('Drop permissions\n\nGenerated-by: pipewarden\n');
    expect((await git(['rev-parse', 'FETCH_HEAD'], dir)).stdout).toBe(gh.refs('acme/cloneme')[`refs/heads/${pr.branch}`]);
    const fsck = await git(['fsck', '--strict', '--no-dangling'], dir);
    expect(fsck.exitCode).toBe(0);
    expect(gh.violations).toEqual([]);
  });

  it('serves a registered local bare repository, and 404s for unknown ones', async () => {
    const bare = path.join(await tempDir(), 'mirror.git');
    gh.seedRepository('acme/source', { files: { 'a.txt': 'a\n' } });
    expect((await git(['clone', '-q', '--bare', `${gh.url}/acme/source.git`, bare])).exitCode).toBe(0);
    gh.serveGitRepository('other/mirror', bare);
    const dir = path.join(await tempDir(), 'clone');
    expect((await git(['clone', '-q', `${gh.url}/other/mirror.git`, dir])).exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('a\n');
    const missing = await git(['ls-remote', `${gh.url}/nobody/nothing.git`]);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toMatch(/not found|404/i);
  });
});
