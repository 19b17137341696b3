/**
 * One copy of each repeated string. A thread's message arrives as copies of its strings, and
 * messages built per finding are new strings even when equal: without a table, every
 * `actions/checkout`, `v4` and "checkout persists the token" is its own.
 */
export function interned(table: Map<string, string>, s: string): string {
  const kept = table.get(s);
  if (kept !== undefined) return kept;
  table.set(s, s);
  return s;
}
