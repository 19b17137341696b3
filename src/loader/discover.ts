/**
 * Finds and reads the files pipewarden audits, without ever leaving the repository: symlinks
 * are resolved and refused when they point outside, .gitignore is honoured, and oversized,
 * binary or non-UTF-8 files become per-file errors instead of stopping the audit.
 */
import { closeSync, constants as fsConstants, lstatSync, openSync, readFileSync, type BigIntStats } from 'node:fs';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { AuditError } from '../types.js';

export type FileKind =
  | 'workflow'
  | 'action'
  | 'dependabot'
  | 'renovate'
  | 'renovate-preset'
  | 'package-json'
  | 'security-policy'
  | 'security-insights'
  | 'codeowners'
  | 'dco'
  | 'maintainers-little-helper'
  | 'goreleaser'
  | 'go-mod'
  | 'go-sum'
  | 'vendor-modules'
  | 'pipewarden-config'
  | 'actions-lock';

export interface RepoFile {
  /** Repository-relative, forward slashes. */
  path: string;
  kind: FileKind;
  text: string;
}

export interface DiscoveredRepo {
  root: string;
  files: RepoFile[];
  /** Directories named vendor/ that sit beside a go.mod (repository-relative). */
  vendorDirs: string[];
  errors: AuditError[];
}

export const MAX_FILE_BYTES = 5 * 1024 * 1024;

const RENOVATE_NAMES = new Set([
  'renovate.json',
  'renovate.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
  'renovate.jsonc',
  '.github/renovate.jsonc',
  '.gitlab/renovate.jsonc',
  '.renovaterc.jsonc',
]);

const SECURITY_POLICY = /^(?:|\.github\/|docs\/)security\.(?:md|markdown|adoc|rst)$/i;
const SECURITY_INSIGHTS = /^(?:|\.github\/)security-insights\.ya?ml$/i;
const CODEOWNERS = /^(?:|\.github\/|docs\/)CODEOWNERS$/;

/** Classifies a repository-relative path, or returns undefined when pipewarden does not read it. */
export function classify(rel: string): FileKind | undefined {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return 'workflow';
  if (rel === '.github/workflows/actions.lock') return 'actions-lock';
  if (base === 'action.yml' || base === 'action.yaml') return 'action';
  if (rel === '.github/dependabot.yml' || rel === '.github/dependabot.yaml') return 'dependabot';
  if (RENOVATE_NAMES.has(rel)) return 'renovate';
  // Shareable Renovate presets kept in the repository (`local>owner/repo`, `github>owner/repo//presets/x`).
  if (/^(?:default\.json5?|renovate-presets?\/.+\.json5?|\.github\/renovate\/.+\.json5?|presets\/.+\.json5?|\.renovate\/.+\.json5?)$/.test(rel)) return 'renovate-preset';
  if (rel === 'package.json') return 'package-json';
  if (SECURITY_POLICY.test(rel)) return 'security-policy';
  if (SECURITY_INSIGHTS.test(rel)) return 'security-insights';
  if (CODEOWNERS.test(rel)) return 'codeowners';
  if (rel === '.github/dco.yml') return 'dco';
  if (/^(?:\.github\/pipewarden|\.pipewarden)\.ya?ml$/.test(rel)) return 'pipewarden-config';
  if (/^\.github\/maintainers-little-helper\.ya?ml$/.test(rel)) return 'maintainers-little-helper';
  if (/^\.goreleaser\.ya?ml$/.test(rel)) return 'goreleaser';
  if (!isUnderVendor(rel)) {
    if (base === 'go.mod') return 'go-mod';
    if (base === 'go.sum') return 'go-sum';
  }
  if (/(?:^|\/)vendor\/modules\.txt$/.test(rel)) return 'vendor-modules';
  return undefined;
}

function isUnderVendor(rel: string): boolean {
  return rel.startsWith('vendor/') || rel.includes('/vendor/');
}

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

/** The parts of a stat that change when a file's content (or what a path names) changes. */
interface Fingerprint {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

type Outcome = { text: string } | { error: string; line?: number };

interface CachedFile extends Fingerprint {
  /** The file actually read: the path itself, or a symlink's target inside the repository. */
  abs: string;
  outcome: Outcome;
}

interface CachedIgnore extends Fingerprint {
  rules: Ignore;
}

/**
 * Timestamps are only as fine as the file system's tick (1 s on ext3/HFS+, 2 s on FAT, coarse on
 * some network file systems): a file read in the same tick it was written can be rewritten with
 * the same size and the same mtime, and its stat would not show it. So a read is trusted for reuse
 * only when the file last changed comfortably before the discovery that read it began (git's
 * "racy git" rule); otherwise the next discovery reads it again.
 */
const RACY_NS = 2_000_000_000n;

/**
 * What one discover() read, handed to the next discover() of the same tree (the interactive
 * session re-audits after every fix): a file whose size, mtime, ctime, inode and device are those
 * of the read that filled its entry, and whose read was not racy (RACY_NS), is served from here
 * instead of being read and decoded again. Only stat is saved: directories are still listed,
 * .gitignore rules and symlinks still resolved on every discovery, so new, removed and
 * re-pointed files are always seen.
 */
export class ReadCache {
  /** @internal */ root?: string;
  /** @internal */ files = new Map<string, CachedFile>();
  /** @internal */ ignores = new Map<string, CachedIgnore>();
  /** Repository-relative paths whose bytes the latest discover() with this cache read (the rest were served from it), sorted. */
  lastRead: string[] = [];

  /** @param now the wall clock file times are compared with (tests move it to step outside the racy window). */
  constructor(readonly now: () => number = Date.now) {}
}

/** One discovery's view of the cache: the previous entries to reuse, and the entries this discovery leaves for the next. */
interface Pass {
  startNs: bigint;
  prevFiles: ReadonlyMap<string, CachedFile>;
  prevIgnores: ReadonlyMap<string, CachedIgnore>;
  files: Map<string, CachedFile>;
  ignores: Map<string, CachedIgnore>;
  read: string[];
}

const NO_ENTRIES = new Map<never, never>();

/**
 * @param exclude repository-relative directories or files not to read (fixtures, examples).
 * @param cache kept between discoveries of the same directory, so files that have not changed are stat'ed, not read.
 */
export async function discover(rootDir: string, exclude: string[] = [], cache?: ReadCache): Promise<DiscoveredRepo> {
  const startNs = BigInt(Math.floor((cache?.now ?? Date.now)())) * 1_000_000n;
  const root = await realpath(rootDir);
  const reuse = cache && cache.root === root;
  const pass: Pass = {
    startNs,
    prevFiles: reuse ? cache.files : NO_ENTRIES,
    prevIgnores: reuse ? cache.ignores : NO_ENTRIES,
    files: new Map(),
    ignores: new Map(),
    read: [],
  };
  const out: DiscoveredRepo = { root, files: [], vendorDirs: [], errors: [] };
  const excluded = exclude.map((e) => e.replace(/^\.\//, '').replace(/\/+$/, '')).filter(Boolean);
  const scopes: IgnoreScope[] = excluded.length ? [{ base: '', rules: ignore().add(excluded.map((e) => `/${e}`)) }] : [];
  const pending: Pending = [];
  await walk(root, '', scopes, out, pending, pass);
  const outcomes = await settleFiles(pending, pass);
  // Outcomes are taken in walk order, so the errors come out in the same order however the reads finish.
  pending.forEach((p, k) => {
    const o = outcomes[k]!;
    if ('text' in o) out.files.push({ path: p.rel, kind: p.kind, text: o.text });
    else out.errors.push(o.line === undefined ? { file: p.rel, message: o.error } : { file: p.rel, line: o.line, message: o.error });
  });
  out.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (cache) {
    // Only what this discovery saw is kept: removed files drop out, and the cache never outgrows the tree.
    cache.root = root;
    cache.files = pass.files;
    cache.ignores = pass.ignores;
    cache.lastRead = pass.read.sort();
  }
  return out;
}

type Pending = Array<{ abs: string; rel: string; kind: FileKind; info?: BigIntStats }>;

async function walk(root: string, relDir: string, scopes: IgnoreScope[], out: DiscoveredRepo, pending: Pending, pass: Pass): Promise<void> {
  const absDir = relDir ? path.join(root, relDir) : root;
  let entries;
  try {
    entries = await readdir(absDir, { withFileTypes: true });
  } catch (err) {
    out.errors.push({ file: relDir || '.', message: `cannot read directory: ${(err as Error).message}` });
    return;
  }
  const gitignore = entries.find((e) => e.name === '.gitignore' && e.isFile());
  if (gitignore) {
    const rules = await readIgnore(absDir, relDir ? `${relDir}/.gitignore` : '.gitignore', pass);
    if (rules) scopes = [...scopes, { base: relDir, rules }];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const hasGoMod = entries.some((e) => e.name === 'go.mod' && e.isFile());
  for (const entry of entries) {
    const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
    if (entry.name === '.git' && !relDir) continue;
    if (isIgnored(rel, entry.isDirectory(), scopes)) continue;
    if (entry.isSymbolicLink()) {
      await visitSymlink(root, rel, out, pending);
      continue;
    }
    if (entry.isDirectory()) {
      if (classify(rel) !== undefined) {
        out.errors.push({ file: rel, message: 'is a directory, not a file; skipped' });
        continue;
      }
      if (entry.name === 'vendor' && hasGoMod) out.vendorDirs.push(rel);
      await walk(root, rel, scopes, out, pending, pass);
      continue;
    }
    if (!entry.isFile()) continue;
    const kind = classify(rel);
    if (kind) pending.push({ abs: path.join(root, rel), rel, kind });
  }
}

/** A directory's .gitignore rules, from the cache when the file is unchanged; undefined when it cannot be read. */
async function readIgnore(absDir: string, rel: string, pass: Pass): Promise<Ignore | undefined> {
  const abs = path.join(absDir, '.gitignore');
  try {
    const info = await lstat(abs, { bigint: true });
    const prev = pass.prevIgnores.get(rel);
    if (prev && sameFile(prev, info)) {
      pass.ignores.set(rel, prev);
      return prev.rules;
    }
    if (!info.isFile()) return undefined;
    // The stat taken before the read is what is recorded: a change during the read shows at the next stat.
    const rules = ignore().add(await readFile(abs, { encoding: 'utf8', flag: READ_FLAGS }));
    pass.read.push(rel);
    if (settled(info, pass)) pass.ignores.set(rel, { ...fingerprint(info), rules });
    return rules;
  } catch {
    // An unreadable .gitignore only means we read more than necessary.
    return undefined;
  }
}

function isIgnored(rel: string, isDir: boolean, scopes: IgnoreScope[]): boolean {
  for (const scope of scopes) {
    const local = scope.base ? rel.slice(scope.base.length + 1) : rel;
    if (scope.rules.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}

/** Symlinks are followed only to files inside the repository; directories are never entered. */
async function visitSymlink(root: string, rel: string, out: DiscoveredRepo, pending: Pending): Promise<void> {
  const kind = classify(rel);
  if (!kind) return;
  let target: string;
  try {
    target = await realpath(path.join(root, rel));
  } catch {
    out.errors.push({ file: rel, message: 'dangling symlink; skipped' });
    return;
  }
  if (target !== root && !target.startsWith(root + path.sep)) {
    out.errors.push({ file: rel, message: 'symlink points outside the repository; not followed' });
    return;
  }
  let info: BigIntStats;
  try {
    // The target is a real path, so lstat is its stat (and is what the cache compares).
    info = await lstat(target, { bigint: true });
  } catch {
    out.errors.push({ file: rel, message: 'dangling symlink; skipped' });
    return;
  }
  if (!info.isFile()) {
    out.errors.push({ file: rel, message: 'symlink does not point to a regular file; skipped' });
    return;
  }
  pending.push({ abs: target, rel, kind, info });
}

/**
 * Each pending file's outcome: stat every file, serve the unchanged ones from the cache, read the rest.
 *
 * The stats are synchronous: on a re-audit nearly every file is a cache hit, and there a stat is
 * the whole cost; lstatSync costs ~2.5 us where a promise lstat costs ~16 us (1,000 files: 2.5 ms
 * against 16 ms, measured on this project's 2-core bench box). Yielding to the event loop every
 * STAT_CHUNK files keeps the interactive view responsive while a large tree is stat'ed.
 */
async function settleFiles(pending: Pending, pass: Pass): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(pending.length);
  const misses: Array<{ index: number; info: BigIntStats }> = [];
  for (let i = 0; i < pending.length; i++) {
    if (i % STAT_CHUNK === STAT_CHUNK - 1) await new Promise<void>((resolve) => setImmediate(resolve));
    const p = pending[i]!;
    let info: BigIntStats;
    try {
      info = p.info ?? lstatSync(p.abs, { bigint: true });
    } catch (err) {
      outcomes[i] = { error: `cannot read file: ${(err as Error).message}` };
      continue;
    }
    if (!info.isFile()) outcomes[i] = { error: 'cannot read file: it changed while being read (no longer a regular file); skipped' };
    else if (info.size > MAX_FILE_BYTES) outcomes[i] = oversize(info.size);
    else {
      const prev = pass.prevFiles.get(p.rel);
      if (prev && prev.abs === p.abs && sameFile(prev, info)) {
        pass.files.set(p.rel, prev);
        outcomes[i] = prev.outcome;
      } else misses.push({ index: i, info });
    }
  }
  // Read synchronously, like the stats: a promise readFile is an open, fstat, read and close, each a
  // trip through the thread pool, and cost 35-80 ms for 1,000 small workflows where readFileSync
  // took 6-10 ms (this project's 2-core bench box). Yielding every STAT_CHUNK files or READ_CHUNK_BYTES keeps
  // the interactive view responsive.
  let sinceYield = 0;
  for (let i = 0; i < misses.length; i++) {
    const m = misses[i]!;
    if (i % STAT_CHUNK === STAT_CHUNK - 1 || sinceYield > READ_CHUNK_BYTES) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sinceYield = 0;
    }
    outcomes[m.index] = readRepoFile(pending[m.index]!, m.info, pass);
    sinceYield += Number(m.info.size);
  }
  return outcomes;
}

const STAT_CHUNK = 256;
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/** @param info the file's stat taken before the read: what is recorded, so a change during the read shows at the next stat. */
function readRepoFile(p: Pending[number], info: BigIntStats, pass: Pass): Outcome {
  try {
    const bytes = readWhole(p.abs);
    pass.read.push(p.rel);
    // Grown since it was stat'ed: the limit holds for what was read.
    if (bytes.byteLength > MAX_FILE_BYTES) return oversize(BigInt(bytes.byteLength));
    const text = decodeText(bytes);
    const outcome: Outcome = 'error' in text ? { error: text.error, line: text.line } : text;
    if (settled(info, pass)) pass.files.set(p.rel, { ...fingerprint(info), abs: p.abs, outcome });
    return outcome;
  } catch (err) {
    // Not cached: a failed read (permissions, EIO, too many open files) may well succeed next time.
    return { error: `cannot read file: ${(err as Error).message}` };
  }
}

/** The file's bytes through one descriptor opened with READ_FLAGS (readFileSync takes only string flags). */
function readWhole(abs: string): Buffer {
  const fd = openSync(abs, READ_FLAGS);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function oversize(size: bigint): Outcome {
  return { error: `file is ${size} bytes, over the 5 MiB limit; skipped` };
}

/**
 * Opened without following a final symlink (a regular file swapped for a symlink after it was
 * stat'ed is refused, not followed) and without blocking (nor is a swapped-in FIFO waited on).
 */
const READ_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

function fingerprint(info: BigIntStats): Fingerprint {
  return { dev: info.dev, ino: info.ino, size: info.size, mtimeNs: info.mtimeNs, ctimeNs: info.ctimeNs };
}

function sameFile(a: Fingerprint, b: BigIntStats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** Whether a read can be reused: the file last changed (content or metadata) well before this discovery began. */
function settled(info: BigIntStats, pass: Pass): boolean {
  const changed = info.mtimeNs > info.ctimeNs ? info.mtimeNs : info.ctimeNs;
  return changed + RACY_NS < pass.startNs;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

export function decodeText(bytes: Uint8Array): { text: string } | { error: string; line: number } {
  const sniff = bytes.subarray(0, 8000);
  const nul = sniff.indexOf(0);
  if (nul !== -1) return { error: 'binary file (contains NUL bytes); skipped', line: lineAt(bytes, nul) };
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    const lenient = lenientUtf8.decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    const line = bad === -1 ? 1 : lenient.slice(0, bad).split('\n').length;
    return { error: 'file is not valid UTF-8; skipped', line };
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}
