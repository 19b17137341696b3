/** Writing fixed files: atomically (temp file + rename), keeping each file's mode, refusing dirty files. */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, realpath, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

export class UnsafeWriteError extends Error {}

/**
 * Writes one file of the repository. Refuses to write through a symlink (it would replace the
 * link, or land outside the repository) and to create files under a directory that resolves
 * outside the repository.
 */
export async function writeAtomically(root: string, rel: string, content: string): Promise<void> {
  const realRoot = await realpath(root);
  const abs = path.join(realRoot, rel);
  const existing = await lstat(abs).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new UnsafeWriteError(`${rel} is a symlink; not written`);
  await mkdir(path.dirname(abs), { recursive: true });
  const dir = await realpath(path.dirname(abs));
  if (dir !== realRoot && !dir.startsWith(realRoot + path.sep)) throw new UnsafeWriteError(`${rel} would be written outside the repository; not written`);
  const mode = existing ? existing.mode & 0o7777 : undefined;
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.pipewarden-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, abs);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

/**
 * Files with uncommitted changes, which --fix leaves alone unless --force. Git runs with
 * fsmonitor and hooks off so that nothing configured in the repository executes.
 */
export async function dirtyFiles(root: string): Promise<Set<string> | undefined> {
  const result = await execa('git', ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', 'status', '--porcelain=v1', '-z', '--untracked-files=all'], {
    cwd: root,
    reject: false,
    stdin: 'ignore',
    env: { GIT_OPTIONAL_LOCKS: '0' },
  });
  if (result.exitCode !== 0) return undefined;
  const out = new Set<string>();
  for (const entry of result.stdout.split('\0')) {
    if (entry.length > 3) out.add(entry.slice(3));
  }
  return out;
}
