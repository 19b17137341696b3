/**
 * The engine interface every front end uses (the CLI's CI path, the terminal views, the
 * pull-request flow): one object per opened repository. It reads the repository's config,
 * audits, previews and applies fixes, and writes suppressions, reporting progress as events.
 * It never imports Ink or React.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Audit } from '../audit/audit.js';
import { auditDiscovered } from '../audit/audit.js';
import type { Check } from '../check.js';
import { parseBaseline } from '../audit/suppressions.js';
import { configFromDiscovered, loadConfig, type PipewardenConfig } from '../config/config.js';
import { unifiedDiff } from '../fix/diff.js';
import { planFixes, type FixPlan } from '../fix/engine.js';
import { fixDiff } from '../fix/preview.js';
import { suppressionEdit, type SuppressRequest } from '../fix/suppress.js';
import { dirtyFiles, UnsafeWriteError, WriteFailedError, writeAtomically } from '../fix/write.js';
import type { Resolver } from '../github/resolve.js';
import type { RemoteFacts, RemoteGatherer } from '../github/settings.js';
import { discover, ReadCache, type DiscoveredRepo } from '../loader/discover.js';
import { ParseCache } from '../model/cache.js';
import { ResultCache } from '../audit/result-cache.js';
import type { AuditError, Finding, RepoIdentity } from '../types.js';

export type Progress =
  | { phase: 'discover'; files: number }
  | { phase: 'lookups'; done: number; total: number }
  | { phase: 'checks'; done: number; total: number }
  | { phase: 'ready'; findings: number; ms: number };

export interface SessionOptions {
  checks: readonly Check[];
  label?: string;
  identity?: RepoIdentity;
  /** Where the identity came from (target, origin remote, --repo), for the report header. */
  identitySource?: string;
  /** Repository-relative paths not to audit (on top of the config's `exclude:`). */
  exclude?: string[];
  /** Worker threads for the audit of a large repository (audit/parallel.ts); 0 or absent: this thread alone. */
  threads?: number;
  /**
   * The session will audit once and not again (a report in CI): per-file results are not kept,
   * so the audit runs in one pass (or the usual batches) instead of one file at a time
   * (measured: a SARIF report of 1,000 workflows takes 4.9 s of CPU instead of 6.1 s).
   */
  once?: boolean;
  owner?: string;
  go?: boolean;
  now?: Date;
  resolver?: Resolver;
  /** --config FILE instead of the repository's own .pipewarden.yml. */
  configFile?: string;
  /** --baseline FILE. */
  baselineFile?: string;
  /** Repository settings for the remote checks (gathered once per run, on first audit). */
  remote?: RemoteFacts | RemoteGatherer;
  onProgress?: (p: Progress) => void;
}

export type FixSelection = 'safe' | 'all' | Finding[];

export interface FixResult {
  plan: FixPlan;
  /** The whole change as one patch `git apply` accepts. */
  patch: string;
  /** Files left alone because they have uncommitted changes (writes without --force). */
  skippedDirty: string[];
  /** Writes refused because they would go through a symlink or out of the repository. */
  refusedWrites: string[];
  written: boolean;
}

export class SessionError extends Error {}

/** --fix stopped at a write the file system refused; files already written are fully fixed, the rest untouched. */
export class WriteFailure extends SessionError {}

export class RepoSession {
  private last?: { audit: Audit; discovered: DiscoveredRepo };
  config: PipewardenConfig = { ignore: [], disabled: new Set(), severity: new Map(), exclude: [], errors: [] };
  private baseline?: ReadonlySet<string>;
  private readonly listeners = new Set<(p: Progress) => void>();
  /** Parses kept between this session's audits: auditing again after an edit re-parses only the edited files. */
  private readonly parseCache = new ParseCache();
  /** What the last discovery read: auditing again re-reads only the files whose stat changed. */
  private readonly readCache = new ReadCache();
  /** Per-file results: a re-audit after one file changed audits that file again (audit/result-cache.ts). */
  private readonly resultCache = new ResultCache();

  private constructor(
    readonly dir: string,
    private readonly opts: SessionOptions,
  ) {}

  /** Opens a local directory (a remote target is cloned by the loader first). Config and baseline problems are a SessionError. */
  static async open(dir: string, opts: SessionOptions): Promise<RepoSession> {
    const session = new RepoSession(dir, opts);
    if (opts.baselineFile) {
      let text: string;
      try {
        text = await readFile(opts.baselineFile, 'utf8');
      } catch (err) {
        throw new SessionError(`cannot read baseline ${opts.baselineFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const parsed = parseBaseline(opts.baselineFile, text);
      if (!(parsed instanceof Set)) throw new SessionError(`${parsed.file}: ${parsed.message}`);
      session.baseline = parsed;
    }
    return session;
  }

  /** Subscribes to progress events (besides `onProgress` given at open); returns the unsubscribe. */
  listen(listener: (p: Progress) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private progress(p: Progress): void {
    this.opts.onProgress?.(p);
    for (const l of this.listeners) l(p);
  }

  get knownChecks(): ReadonlySet<string> {
    return new Set(this.opts.checks.map((c) => c.meta.id));
  }

  /** Reads the files again (they may have changed since the last audit) and audits them. */
  async audit(): Promise<Audit> {
    const started = performance.now();
    const { discovered, config } = await this.discover();
    if (config.errors.length) throw new SessionError(config.errors.map(formatError).join('\n'));
    this.config = config;
    const audit = await auditDiscovered(discovered, { ...this.auditOptions(), parseCache: this.parseCache, ...(this.opts.once ? {} : { resultCache: this.resultCache }) });
    this.last = { audit, discovered };
    this.progress({ phase: 'ready', findings: audit.report.findings.length, ms: performance.now() - started });
    return audit;
  }

  /** The repository on GitHub, when known. */
  get identity(): RepoIdentity | undefined {
    return this.opts.identity;
  }

  get current(): Audit | undefined {
    return this.last?.audit;
  }

  /** One finding's fix as a unified diff against the files as audited, or why there is none. */
  fixPreview(finding: Finding): { diff: string; title: string; safety: 'safe' | 'unsafe' } | { refused: string } | undefined {
    const last = this.requireAudit();
    const fix = last.audit.fixFor(finding);
    if (!fix || 'refused' in fix) return fix;
    return { diff: fixDiff(last.audit.model, fix), title: fix.title, safety: fix.safety };
  }

  /** Plans the fixes (verified, nothing written) and returns them with their combined patch. */
  async previewFixes(selection: FixSelection): Promise<FixResult> {
    return this.runFixes(selection, { write: false, force: false });
  }

  /**
   * Applies the selected fixes. Files with uncommitted changes are left alone unless `force`;
   * afterwards the repository is audited again so `current` reflects the files on disk.
   */
  async applyFixes(selection: FixSelection, opts: { force?: boolean } = {}): Promise<FixResult> {
    const result = await this.runFixes(selection, { write: true, force: !!opts.force });
    if (result.plan.files.size) await this.audit();
    return result;
  }

  /** Writes a suppression for one finding and audits again; returns the change made. */
  async suppress(finding: Finding, req: SuppressRequest): Promise<{ file: string; diff: string } | { refused: string }> {
    const last = this.requireAudit();
    const edit = suppressionEdit(last.audit.model, finding, req);
    if ('refused' in edit) return edit;
    try {
      await writeAtomically(this.dir, edit.file, edit.after);
    } catch (err) {
      if (err instanceof UnsafeWriteError) return { refused: err.message };
      throw err;
    }
    await this.audit();
    return { file: edit.file, diff: unifiedDiff(edit.file, edit.before, edit.after) };
  }

  private async runFixes(selection: FixSelection, how: { write: boolean; force: boolean }): Promise<FixResult> {
    const { discovered } = await this.discover();
    const dirty = how.write && !how.force ? await dirtyFiles(discovered.root) : undefined;
    const wanted = Array.isArray(selection) ? new Set(selection.map((f) => `${f.check}\0${f.file}\0${f.messageId}\0${f.message}`)) : undefined;
    const plan = await planFixes(discovered, {
      ...this.auditOptions(),
      include: selection === 'safe' ? 'safe' : 'all',
      ...(dirty ? { protectedFiles: dirty } : {}),
      ...(wanted ? { select: (f: Finding) => wanted.has(`${f.check}\0${f.file}\0${f.messageId}\0${f.message}`) } : {}),
    });
    const patch = [...plan.files.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([file, { before, after }]) => unifiedDiff(file, before, after))
      .join('');
    const refusedWrites: string[] = [];
    if (how.write) {
      const written: string[] = [];
      for (const [file, { after }] of plan.files) {
        try {
          await writeAtomically(discovered.root, file, after);
          written.push(file);
        } catch (err) {
          if (err instanceof WriteFailedError) {
            const done = written.length ? `fixed and written: ${written.join(', ')}` : 'no file was changed';
            throw new WriteFailure(`${err.message}; ${done}; not written: ${[...plan.files.keys()].filter((f) => !written.includes(f)).join(', ')}`);
          }
          if (!(err instanceof UnsafeWriteError)) throw err;
          refusedWrites.push(err.message);
        }
      }
    }
    const skippedDirty = dirty ? discovered.files.map((f) => f.path).filter((f) => dirty.has(f)) : [];
    return { plan, patch, skippedDirty, refusedWrites, written: how.write };
  }

  private auditOptions() {
    const o = this.opts;
    return {
      checks: o.checks,
      config: this.config,
      ...(this.baseline ? { baseline: this.baseline } : {}),
      ...(o.identity ? { identity: o.identity } : {}),
      ...(o.label ? { label: o.label } : {}),
      ...(o.identitySource ? { identitySource: o.identitySource } : {}),
      ...(o.owner ? { owner: o.owner } : {}),
      ...(o.go ? { go: true } : {}),
      ...(o.now ? { now: o.now } : {}),
      ...(o.resolver ? { resolver: o.resolver } : {}),
      ...(o.remote ? { remote: o.remote } : {}),
      ...(o.threads !== undefined ? { parallel: o.threads === 0 ? (false as const) : { workers: o.threads } } : {}),
      onProgress: (p: Progress) => this.progress(p),
    };
  }

  private async discover(): Promise<{ discovered: DiscoveredRepo; config: PipewardenConfig }> {
    const discovered = await discover(this.dir, this.opts.exclude, this.readCache);
    this.progress({ phase: 'discover', files: discovered.files.length });
    if (this.opts.configFile) {
      const config = await loadConfig(this.dir, this.opts.configFile, this.knownChecks);
      return configFromDiscovered({ ...discovered, files: discovered.files.filter((f) => f.kind !== 'pipewarden-config') }, this.knownChecks, config);
    }
    return configFromDiscovered(discovered, this.knownChecks);
  }

  private requireAudit(): { audit: Audit; discovered: DiscoveredRepo } {
    if (!this.last) throw new SessionError('audit() first');
    return this.last;
  }
}

function formatError(e: AuditError): string {
  return `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`;
}

export function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
