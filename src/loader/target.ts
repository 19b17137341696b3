/**
 * Turns the command-line target into a local directory: a path as is, `owner/repo` or a git
 * URL cloned shallowly with hooks, submodules and LFS smudging off. A token, when given,
 * reaches git only through the environment (never argv, never .git/config).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { trackTemp, untrackTemp } from './temp-files.js';
import type { RepoIdentity } from '../types.js';

export interface ResolvedTarget {
  dir: string;
  /** What the user asked for, for reports. */
  label: string;
  identity?: RepoIdentity;
  /** Cloned for this run (there is no working tree of the user's to write fixes to). */
  remote: boolean;
  /** Where the identity came from, for the report header. */
  identitySource?: 'target' | 'origin remote' | '--repo';
  /** How an ambiguous target was read (`repos/loki` is not a directory here, so it was taken as owner/repo). */
  interpretation?: string;
  cleanup(): Promise<void>;
}

export class TargetError extends Error {}

export interface TargetOptions {
  ref?: string;
  keepClone?: string;
  repo?: string;
  /** Web base for `owner/repo` targets (GitHub Enterprise Server or a test stand-in). */
  gitBase?: string;
  token?: string;
  /** Told, before anything is cloned, how the target was read. */
  onNote?: (note: string) => void;
  /** Seconds a clone may take (--clone-timeout); 300 by default. */
  cloneTimeout?: number;
}

const OWNER_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export async function resolveTarget(target: string, opts: TargetOptions): Promise<ResolvedTarget> {
  const explicit = opts.repo ? parseIdentity(opts.repo) : undefined;
  if (opts.repo && !explicit) throw new TargetError(`--repo must be owner/name, got "${opts.repo}"`);
  const local = await isDirectory(target);
  if (local) {
    const origin = explicit ? undefined : await originIdentity(target);
    const identity = explicit ?? origin;
    const source = explicit ? '--repo' : origin ? 'origin remote' : undefined;
    return { dir: path.resolve(target), label: target, ...(identity ? { identity } : {}), ...(source ? { identitySource: source } : {}), remote: false, cleanup: async () => {} };
  }
  let interpretation: string | undefined;
  let url: string;
  if (/^(?:https?|file):\/\//.test(target) || /^[\w.-]+@[\w.-]+:/.test(target)) url = target;
  else if (OWNER_REPO.test(target)) {
    url = `${(opts.gitBase ?? 'https://github.com').replace(/\/+$/, '')}/${target}.git`;
    interpretation = `${target} is not a directory here, so it is read as the GitHub repository ${target} (cloning ${url})`;
  }
  else throw new TargetError(`target "${target}" is neither a directory, owner/repo, nor a git URL`);
  // A file:// path says nothing about where the repository lives on GitHub: no identity is invented from it.
  const fromUrl = /^file:\/\//.test(url) ? undefined : identityFromUrl(url);
  const identity = explicit ?? fromUrl;
  const identitySource = explicit ? ('--repo' as const) : fromUrl ? ('target' as const) : undefined;
  const dir = opts.keepClone ? path.resolve(opts.keepClone) : await mkdtemp(path.join(os.tmpdir(), 'pipewarden-clone-'));
  if (!opts.keepClone) trackTemp(dir);
  const cleanup = async (): Promise<void> => {
    if (opts.keepClone) return;
    await rm(dir, { recursive: true, force: true });
    untrackTemp(dir);
  };
  if (interpretation) opts.onNote?.(interpretation);
  try {
    await clone(url, dir, opts);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { dir, label: target, ...(identity ? { identity } : {}), ...(identitySource ? { identitySource } : {}), ...(interpretation ? { interpretation } : {}), remote: true, cleanup };
}

async function clone(url: string, dir: string, opts: TargetOptions): Promise<void> {
  const args = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', 'clone', '--depth', '1', '--no-recurse-submodules', '--single-branch'];
  if (opts.ref) args.push('--branch', opts.ref);
  args.push('--', url, dir);
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '1', GIT_CONFIG_NOSYSTEM: '1' };
  if (opts.token && /^https:\/\//.test(url)) {
    const basic = Buffer.from(`x-access-token:${opts.token}`).toString('base64');
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  const seconds = opts.cloneTimeout ?? 300;
  // git runs in its own process group so that a timeout ends its helpers (git-remote-http) too.
  const { execa } = await import('execa');
  const child = execa('git', args, { env, reject: false, stdin: 'ignore', detached: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, seconds * 1000);
  const stopGroup = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', stopGroup);
  const result = await child.finally(() => {
    clearTimeout(timer);
    process.off('exit', stopGroup);
  });
  if (timedOut) throw new TargetError(`could not clone ${redact(url)}: timed out after ${seconds} s (--clone-timeout)`);
  if (result.exitCode !== 0 || result.failed) {
    const why = lastLine(result.stderr) || result.shortMessage || 'git failed';
    throw new TargetError(`could not clone ${redact(url)}: ${redact(why)}`);
  }
}

function lastLine(s: string | undefined): string {
  const lines = (s ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

/** Credentials someone put into a URL never reach the terminal. */
function redact(s: string): string {
  return s.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export function parseIdentity(s: string): RepoIdentity | undefined {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(s.trim());
  return m ? { owner: m[1]!, name: m[2]! } : undefined;
}

export function identityFromUrl(url: string): RepoIdentity | undefined {
  const m = /[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? { owner: m[1]!, name: m[2]! } : undefined;
}

/** Reads origin's URL from .git/config as a file: no git command runs inside the audited repository. */
async function originIdentity(dir: string): Promise<RepoIdentity | undefined> {
  const config = path.join(dir, '.git', 'config');
  if (!(await stat(config).then((s) => s.isFile(), () => false))) return undefined;
  const { execa } = await import('execa');
  const result = await execa('git', ['config', '--file', config, '--get', 'remote.origin.url'], { reject: false, stdin: 'ignore', env: { GIT_CONFIG_NOSYSTEM: '1' } });
  return result.exitCode === 0 ? identityFromUrl(result.stdout) : undefined;
}
