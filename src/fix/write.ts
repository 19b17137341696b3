/** Writing fixed files: atomically (temp file + rename), keeping each file's mode, refusing dirty files. */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, realpath, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { trackTemp, untrackTemp } from '../loader/temp-files.js';

export class UnsafeWriteError extends Error {}

/** A write the file system refused (no space, read-only, no permission): the file is left as it was. */
export class WriteFailedError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
  ) {
    super(`cannot write ${file}: ${code}${REASONS[code] ? ` (${REASONS[code]})` : ''}; the file is unchanged`);
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted: the file or its directory is read-only or immutable',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
};

/** The file-system calls a write makes; tests pass one that fails the way a full disk does. */
export interface WriteIo {
  writeFile(file: string, data: string, opts: { flag: string }): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
}

const nodeIo: WriteIo = { writeFile, chmod, rename, unlink };

/**
 * Writes one file of the repository. Refuses to write through a symlink (it would replace the
 * link, or land outside the repository) and to create files under a directory that resolves
 * outside the repository.
 */
export async function writeAtomically(root: string, rel: string, content: string, io: WriteIo = nodeIo): Promise<void> {
  const realRoot = await realpath(root);
  const abs = path.join(realRoot, rel);
  const existing = await lstat(abs).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new UnsafeWriteError(`${rel} is a symlink; not written`);
  await mkdir(path.dirname(abs), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new WriteFailedError(rel, err.code ?? err.message);
  });
  const dir = await realpath(path.dirname(abs));
  if (dir !== realRoot && !dir.startsWith(realRoot + path.sep)) throw new UnsafeWriteError(`${rel} would be written outside the repository; not written`);
  const mode = existing ? existing.mode & 0o7777 : undefined;
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.pipewarden-${randomBytes(6).toString('hex')}`);
  trackTemp(tmp);
  try {
    await io.writeFile(tmp, content, { flag: 'wx' });
    if (mode !== undefined) await io.chmod(tmp, mode);
    await io.rename(tmp, abs);
  } catch (err) {
    // Whatever was written of the temporary file goes; the target was never touched.
    await io.unlink(tmp).catch(() => {});
    const code = (err as NodeJS.ErrnoException).code;
    throw code ? new WriteFailedError(rel, code) : err;
  } finally {
    untrackTemp(tmp);
  }
}

/**
 * Files with uncommitted changes, which --fix leaves alone unless --force. Git runs with
 * fsmonitor and hooks off so that nothing configured in the repository executes.
 */
export async function dirtyFiles(root: string): Promise<Set<string> | undefined> {
  const { execa } = await import('execa');
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
