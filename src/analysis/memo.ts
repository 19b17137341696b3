/**
 * Facts derived from the model that several checks ask for (a job's secret reads, a workflow's
 * publications, the least-privilege rewrite). One Memo belongs to one audit: it is created with
 * the audit, handed to every check, and dropped with it, so nothing outlives the run.
 */
export class Memo {
  private readonly tables = new Map<string, WeakMap<object, unknown>>();

  /** The value of `compute()` for (table, key), computed once per audit. */
  get<K extends object, V>(table: string, key: K, compute: () => V): V {
    let entries = this.tables.get(table);
    if (!entries) this.tables.set(table, (entries = new WeakMap()));
    if (entries.has(key)) return entries.get(key) as V;
    const value = compute();
    entries.set(key, value);
    return value;
  }
}

/** For callers outside an audit (tests, one-off tools): computes every time. */
export const NO_MEMO = {
  get<K extends object, V>(_table: string, _key: K, compute: () => V): V {
    return compute();
  },
} as Memo;
