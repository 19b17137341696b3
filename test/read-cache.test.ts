/**
 * discover() with a ReadCache: files whose stat is unchanged are served from the cache, everything
 * else is read as if there were no cache, and every rule of discovery still holds. "Served from
 * the cache" is observed through ReadCache.lastRead (the paths whose bytes a discovery read).
 */
import { rename, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepoSession } from '../src/engine/session.js';
import { discover, MAX_FILE_BYTES, ReadCache, type DiscoveredRepo } from '../src/loader/discover.js';
import { CHECKS } from '../src/registry.js';
import { makeRepo, tempDir, yaml } from './helpers/repo.js';

const A = '.github/workflows/a.yml';
const B = '.github/workflows/b.yml';
const wf = (name: string) => yaml('on: push', 'jobs:', `  ${name}:`, '    runs-on: ubuntu-latest', '    steps:', '      - run: echo hi');

/**
 * A clock an hour ahead: every file a test has just written is then comfortably older than the
 * discovery, outside the racy window. (The window cannot be left by backdating files instead:
 * utimes can set mtime but not ctime, and the rule looks at both.)
 */
const later = () => new ReadCache(() => Date.now() + 3_600_000);

const texts = (d: DiscoveredRepo) => Object.fromEntries(d.files.map((f) => [f.path, f.text]));

/** Rewrites A with other text of the same size and puts its mtime back: only ctime (and the text) tell. */
async function rewriteKeepingSizeAndMtime(dir: string, tick: number): Promise<void> {
  const before = await stat(path.join(dir, A), { bigint: true });
  await writeFile(path.join(dir, A), wf('z'));
  await utimes(path.join(dir, A), tick, tick);
  const after = await stat(path.join(dir, A), { bigint: true });
  expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
}

describe('discover() with a read cache', () => {
  it('serves unchanged files from the cache and gives exactly the discovery a cold read gives', async () => {
    const dir = await makeRepo({
      [A]: wf('a'),
      [B]: wf('b'),
      '.github/dependabot.yml': 'version: 2\n',
      '.gitignore': 'node_modules/\n',
      '.github/workflows/binary.yml': new Uint8Array([0x6f, 0x6e, 0x0a, 0x00, 0x01]),
      '.github/workflows/latin1.yml': new Uint8Array([0x6f, 0x6e, 0x3a, 0x20, 0xe9, 0x0a]),
      'inside.yml': wf('linked'),
    });
    await symlink(path.join(dir, 'inside.yml'), path.join(dir, '.github/workflows/linked.yml'));
    const cache = later();
    const first = await discover(dir, [], cache);
    expect(cache.lastRead).toEqual(['.github/dependabot.yml', '.github/workflows/a.yml', '.github/workflows/b.yml', '.github/workflows/binary.yml', '.github/workflows/latin1.yml', '.github/workflows/linked.yml', '.gitignore']);

    const second = await discover(dir, [], cache);
    expect(cache.lastRead).toEqual([]);
    expect(second).toEqual(first);
    expect(second).toEqual(await discover(dir));
    // The per-file errors come from the cache too, identical.
    expect(second.errors).toContainEqual({ file: '.github/workflows/binary.yml', line: 2, message: 'binary file (contains NUL bytes); skipped' });
    expect(second.errors).toContainEqual({ file: '.github/workflows/latin1.yml', line: 1, message: 'file is not valid UTF-8; skipped' });
  });

  it('re-reads a file rewritten with the same size and its mtime put back, inside the racy window', async () => {
    const dir = await makeRepo({ [A]: wf('a'), [B]: wf('b') });
    const tick = Math.floor(Date.now() / 1000);
    await utimes(path.join(dir, A), tick, tick);
    // Every discovery runs (by its clock) half a second after B was written, A having changed no
    // earlier than B: both are inside the window, however slowly this test happens to run.
    const written = (await stat(path.join(dir, B))).ctimeMs;
    const cache = new ReadCache(() => written + 500);
    await discover(dir, [], cache);
    await rewriteKeepingSizeAndMtime(dir, tick);

    const again = await discover(dir, [], cache);
    expect(texts(again)[A]).toBe(wf('z'));
    // Racy reads are not reused even when nothing at all changed: B is read again too.
    expect(cache.lastRead).toEqual([A, B]);
  });

  it('re-reads a file outside the racy window whose size and mtime are unchanged but which was rewritten', async () => {
    const dir = await makeRepo({ [A]: wf('a'), [B]: wf('b') });
    const cache = later();
    const tick = Math.floor(Date.now() / 1000) - 60;
    await utimes(path.join(dir, A), tick, tick);
    await discover(dir, [], cache);
    await rewriteKeepingSizeAndMtime(dir, tick);
    const again = await discover(dir, [], cache);
    expect(texts(again)[A]).toBe(wf('z'));
    expect(cache.lastRead).toEqual([A]);
  });

  it('finds new files, forgets deleted ones, and sees a file replaced by another under the same name', async () => {
    const dir = await makeRepo({ [A]: wf('a'), [B]: wf('b') });
    const cache = later();
    await discover(dir, [], cache);
    await unlink(path.join(dir, B));
    await writeFile(path.join(dir, '.github/workflows/c.yml'), wf('c'));
    // An atomic write (what --fix does): a new inode under the old name, same size.
    await writeFile(path.join(dir, 'tmp'), wf('y'));
    await rename(path.join(dir, 'tmp'), path.join(dir, A));
    const again = await discover(dir, [], cache);
    expect(texts(again)).toEqual({ [A]: wf('y'), '.github/workflows/c.yml': wf('c') });
    expect(cache.lastRead).toEqual([A, '.github/workflows/c.yml']);

    // B comes back with its old content: it is read, not remembered.
    await writeFile(path.join(dir, B), wf('b'));
    await discover(dir, [], cache);
    expect(cache.lastRead).toEqual([B]);
  });

  it('honours a changed .gitignore, even one of the same size', async () => {
    const dir = await makeRepo({ [A]: wf('a'), [B]: wf('b'), '.github/.gitignore': 'workflows/b.yml\n' });
    const cache = later();
    expect(Object.keys(texts(await discover(dir, [], cache)))).toEqual([A]);
    await writeFile(path.join(dir, '.github/.gitignore'), 'workflows/a.yml\n');
    const again = await discover(dir, [], cache);
    expect(Object.keys(texts(again))).toEqual([B]);
    expect(cache.lastRead).toEqual(['.github/.gitignore', B]);

    // A .gitignore removed: nothing is ignored any more, and A's earlier read is not needed.
    await rm(path.join(dir, '.github/.gitignore'));
    expect(Object.keys(texts(await discover(dir, [], cache)))).toEqual([A, B]);
    expect(cache.lastRead).toEqual([A]);
  });

  it('refuses a file replaced by a symlink out of the repository, as a cold discovery does', async () => {
    const dir = await makeRepo({ [A]: wf('a'), [B]: wf('b') });
    const outside = await tempDir();
    // Same content and size outside: only the path's nature changed.
    await writeFile(path.join(outside, 'a.yml'), wf('a'));
    const cache = later();
    await discover(dir, [], cache);
    await unlink(path.join(dir, A));
    await symlink(path.join(outside, 'a.yml'), path.join(dir, A));
    const again = await discover(dir, [], cache);
    expect(Object.keys(texts(again))).toEqual([B]);
    expect(again.errors).toEqual([{ file: A, message: 'symlink points outside the repository; not followed' }]);
    expect(again).toEqual(await discover(dir));
    expect(cache.lastRead).toEqual([]);
  });

  it('follows a symlink re-pointed to another file inside the repository', async () => {
    const dir = await makeRepo({ [B]: wf('b'), 'one.yml': wf('one'), 'two.yml': wf('two') });
    await symlink(path.join(dir, 'one.yml'), path.join(dir, A));
    const cache = later();
    expect(texts(await discover(dir, [], cache))[A]).toBe(wf('one'));
    await unlink(path.join(dir, A));
    await symlink(path.join(dir, 'two.yml'), path.join(dir, A));
    expect(texts(await discover(dir, [], cache))[A]).toBe(wf('two'));
    expect(cache.lastRead).toEqual([A]);
  });

  it('keeps the oversize rule without reading, and drops the error once the file is small again', async () => {
    const dir = await makeRepo({ [A]: 'x'.repeat(MAX_FILE_BYTES + 1), [B]: wf('b') });
    const cache = later();
    const first = await discover(dir, [], cache);
    const error = { file: A, message: `file is ${MAX_FILE_BYTES + 1} bytes, over the 5 MiB limit; skipped` };
    expect(first.errors).toEqual([error]);
    expect(cache.lastRead).toEqual([B]);
    expect((await discover(dir, [], cache)).errors).toEqual([error]);
    await writeFile(path.join(dir, A), wf('a'));
    const again = await discover(dir, [], cache);
    expect(again.errors).toEqual([]);
    expect(texts(again)[A]).toBe(wf('a'));
  });

  it('does not carry entries over to another repository', async () => {
    const one = await makeRepo({ [A]: wf('a') });
    const two = await makeRepo({ [A]: wf('other') });
    const cache = later();
    await discover(one, [], cache);
    expect(texts(await discover(two, [], cache))[A]).toBe(wf('other'));
    expect(cache.lastRead).toEqual([A]);
  });
});

describe('a session re-audit', () => {
  it('sees a same-size rewrite with the mtime put back, and a file replaced by a symlink out of the repository', async () => {
    const dir = await makeRepo({ [A]: wf('a'), [B]: wf('b') });
    const session = await RepoSession.open(dir, { checks: CHECKS, identity: { owner: 'acme', name: 'widgets' } });
    const first = await session.audit();
    expect(first.model.workflows.map((w) => w.file)).toEqual([A, B]);

    const tick = Math.floor(Date.now() / 1000) - 60;
    await utimes(path.join(dir, A), tick, tick);
    await session.audit();
    const edited = wf('a').replace('echo hi', 'echo yo');
    expect(edited.length).toBe(wf('a').length);
    await writeFile(path.join(dir, A), edited);
    await utimes(path.join(dir, A), tick, tick);
    const second = await session.audit();
    expect(second.model.workflows.find((w) => w.file === A)?.yaml.text).toBe(edited);

    const outside = await tempDir();
    await writeFile(path.join(outside, 'b.yml'), wf('b'));
    await unlink(path.join(dir, B));
    await symlink(path.join(outside, 'b.yml'), path.join(dir, B));
    const third = await session.audit();
    expect(third.model.workflows.map((w) => w.file)).toEqual([A]);
    expect(third.report.errors).toContainEqual({ file: B, message: 'symlink points outside the repository; not followed' });
  });
});
