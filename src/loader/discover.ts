/**
 * Finds and reads the files pipewarden audits, without ever leaving the repository: symlinks
 * are resolved and refused when they point outside, .gitignore is honoured, and oversized,
 * binary or non-UTF-8 files become per-file errors instead of stopping the audit.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
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

/**
 * @param exclude repository-relative directories or files not to read (fixtures, examples).
 */
export async function discover(rootDir: string, exclude: string[] = []): Promise<DiscoveredRepo> {
  const root = await realpath(rootDir);
  const out: DiscoveredRepo = { root, files: [], vendorDirs: [], errors: [] };
  const excluded = exclude.map((e) => e.replace(/^\.\//, '').replace(/\/+$/, '')).filter(Boolean);
  const scopes: IgnoreScope[] = excluded.length ? [{ base: '', rules: ignore().add(excluded.map((e) => `/${e}`)) }] : [];
  const pending: Array<{ abs: string; rel: string; kind: FileKind }> = [];
  await walk(root, '', scopes, out, pending);
  // Reading is I/O-bound: keep a bounded number of reads in flight.
  for (let i = 0; i < pending.length; i += 64) {
    await Promise.all(pending.slice(i, i + 64).map((p) => readRepoFile(p.abs, p.rel, p.kind, out)));
  }
  out.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

type Pending = Array<{ abs: string; rel: string; kind: FileKind }>;

async function walk(root: string, relDir: string, scopes: IgnoreScope[], out: DiscoveredRepo, pending: Pending): Promise<void> {
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
    try {
      const text = await readFile(path.join(absDir, '.gitignore'), 'utf8');
      scopes = [...scopes, { base: relDir, rules: ignore().add(text) }];
    } catch {
      // An unreadable .gitignore only means we read more than necessary.
    }
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
      await walk(root, rel, scopes, out, pending);
      continue;
    }
    if (!entry.isFile()) continue;
    const kind = classify(rel);
    if (kind) pending.push({ abs: path.join(root, rel), rel, kind });
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
  const info = await stat(target);
  if (!info.isFile()) {
    out.errors.push({ file: rel, message: 'symlink does not point to a regular file; skipped' });
    return;
  }
  pending.push({ abs: target, rel, kind });
}

async function readRepoFile(abs: string, rel: string, kind: FileKind, out: DiscoveredRepo): Promise<void> {
  try {
    const info = await lstat(abs);
    if (info.size > MAX_FILE_BYTES) {
      out.errors.push({ file: rel, message: `file is ${info.size} bytes, over the 5 MiB limit; skipped` });
      return;
    }
    const bytes = await readFile(abs);
    const text = decodeText(bytes);
    if ('error' in text) {
      out.errors.push({ file: rel, line: text.line, message: text.error });
      return;
    }
    out.files.push({ path: rel, kind, text: text.text });
  } catch (err) {
    out.errors.push({ file: rel, message: `cannot read file: ${(err as Error).message}` });
  }
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
