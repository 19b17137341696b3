/**
 * A content-addressed cache of parsed files, for re-audits of a tree that changed in a few
 * files (a session audited again after an edit, the fix engine's verifying re-audits). Keyed
 * by path, kind and the SHA-1 of the text, it keeps only what parsing produced and never
 * changes afterwards: the YAML document with its line index and the file's own parse errors,
 * or the JSON document. Everything an audit derives or mutates (the YamlFile wrapper with its
 * alias budget and the model's error list, the Workflow, the Memo) is built fresh per audit
 * around the cached parse, so nothing of one audit leaks into the next.
 *
 * Bounded by use: after each model build the entries neither that build nor the one before it
 * used are dropped, so the cache holds at most two trees' worth of parses.
 */
import { createHash } from 'node:crypto';
import type { FileKind } from '../loader/discover.js';
import type { AuditError } from '../types.js';
import type { JsonDoc } from './jsonish.js';
import type { ParsedYaml } from './yaml.js';

type Entry = { generation: number; value: ParsedYaml | JsonDoc | AuditError };

export class ParseCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  /** @param keep which paths to remember (default: all); others are parsed and not kept (a worker keeps only the files every batch shares). */
  constructor(private readonly keep: (path: string) => boolean = () => true) {}

  /** Parses served from the cache and parses made, over the cache's life (for tests and the bench). */
  hits = 0;
  misses = 0;

  /** The cached parse of this exact text at this path and kind, or `parse()`'s result, remembered. */
  get<T extends ParsedYaml | JsonDoc | AuditError>(path: string, kind: FileKind, text: string, parse: () => T): T {
    if (!this.keep(path)) return parse();
    const key = `${kind}\0${path}\0${createHash('sha1').update(text).digest('hex')}`;
    const hit = this.entries.get(key);
    if (hit) {
      hit.generation = this.generation;
      this.hits++;
      return hit.value as T;
    }
    const value = parse();
    this.entries.set(key, { generation: this.generation, value });
    this.misses++;
    return value;
  }

  /** Ends one model build: drops what neither it nor the build before it used. */
  endBuild(): void {
    for (const [key, entry] of this.entries) if (entry.generation < this.generation - 1) this.entries.delete(key);
    this.generation++;
  }

  get size(): number {
    return this.entries.size;
  }
}
