/**
 * Per-file audit results kept between a session's audits (the interactive view after each fix,
 * the fix engine's verifying passes through a session), keyed by a hash of the file's text and
 * of everything else a lone workflow's result depends on (batch.ts): the context files, the
 * identity, the checks, whether look-ups are made, the settings and the day. A re-audit after
 * one file changed audits that file again and takes the rest from here; the linked workflows,
 * the actions and the whole-repository checks are audited afresh every time (parallel.ts).
 *
 * What is kept never changes: results as they crossed (or would cross) a thread, and the
 * workflow rebuilt from each summary (plain data). Its YAML is built only when a check reads
 * it, afresh in each audit (a new wrapper and alias budget around the session's cached parse),
 * and reports into the current audit's error list (`sink`), so nothing of one audit leaks into
 * the next. Bounded by use: an audit drops the entries it did not use.
 */
import { createHash } from 'node:crypto';
import type { RepoFile } from '../loader/discover.js';
import type { Workflow } from '../model/workflow.js';
import type { AuditError, Finding } from '../types.js';
import type { BatchContext, BatchResult } from './batch.js';

export interface CachedFile {
  result: BatchResult;
  /** The lone workflow rebuilt from its summary, once. */
  workflow?: Workflow;
  /**
   * The result's findings decoded once, each with its check's refusal: an audit takes a shallow
   * copy of each (the audit sets fingerprints' numbers, severities and baselines on its own
   * copies), where decoding anew was the largest share of a re-audit (measured: 14%).
   */
  decoded?: Array<{ finding: Finding; refusal: string | null }>;
}

export class ResultCache {
  private entries = new Map<string, CachedFile>();
  private used = new Map<string, CachedFile>();
  /** Where a rebuilt workflow's late parse reports: the current audit's model errors. */
  sink: AuditError[] = [];
  /** Counts audits: a kept workflow's YAML is rebuilt once per audit that reads it (summary.ts hydrate). */
  epoch = 0;
  /** Files audited again and files served from the cache, over the cache's life (for tests and the bench). */
  audited = 0;
  served = 0;

  /** The key of everything but the file that a lone workflow's result depends on. */
  static contextKey(ctx: BatchContext): string {
    const h = createHash('sha1');
    h.update(JSON.stringify([ctx.root, ctx.vendorDirs, ctx.identity ?? null, ctx.checkIds, ctx.lookups, ctx.settings, new Date(ctx.now).toISOString().slice(0, 10)]));
    for (const f of ctx.context) h.update(`\0${f.path}\0${f.kind}\0${f.text}`);
    return h.digest('hex');
  }

  static fileKey(contextKey: string, file: RepoFile): string {
    return createHash('sha1').update(`${contextKey}\0${file.path}\0${file.text}`).digest('hex');
  }

  /** Each path's latest key and what it was made of: an unchanged file's key is not hashed again. */
  private keys = new Map<string, { contextKey: string; text: string; key: string }>();

  /** fileKey, remembered per path while the file's text and the context stay the same. */
  keyOf(contextKey: string, file: RepoFile): string {
    const last = this.keys.get(file.path);
    // Equal text (the read cache hands back the same string, so this is mostly a pointer compare) is equal input.
    if (last && last.contextKey === contextKey && last.text === file.text) return last.key;
    const key = ResultCache.fileKey(contextKey, file);
    this.keys.set(file.path, { contextKey, text: file.text, key });
    return key;
  }

  get(key: string): CachedFile | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.used.set(key, hit);
      this.served++;
    }
    return hit;
  }

  set(key: string, result: BatchResult): CachedFile {
    const entry = { result };
    this.used.set(key, entry);
    this.audited++;
    return entry;
  }

  /** Ends an audit: what it did not use is dropped. */
  endAudit(paths?: ReadonlySet<string>): void {
    // Keys of files no longer in the tree go too, so the map stays the size of the tree.
    if (paths) for (const p of this.keys.keys()) if (!paths.has(p)) this.keys.delete(p);
    this.entries = this.used;
    this.used = new Map();
    this.epoch++;
  }

  get size(): number {
    return this.entries.size;
  }
}
