/**
 * The one empty map that stands for every empty `with:`, `env:` and the like in the model and in
 * summaries (most steps have neither): a Map per step was a tenth of what the model keeps and a
 * sixth of a summary's heap, copied by each young-generation collection it survived. The model
 * is never changed once built; this map refuses to be, loudly.
 */
class NoEntries<K, V> extends Map<K, V> {
  override set(): this {
    throw new TypeError('the workflow model is read-only');
  }
  override delete(): boolean {
    throw new TypeError('the workflow model is read-only');
  }
  override clear(): void {
    throw new TypeError('the workflow model is read-only');
  }
}

const SHARED: Map<never, never> = new NoEntries();

/** The shared read-only empty map, typed for the caller (it holds nothing, so any K and V fit). */
export function noEntries<K, V>(): Map<K, V> {
  return SHARED as unknown as Map<K, V>;
}

/** Whether `m` is the shared empty map (so it is not copied or replaced again). */
export function isNoEntries(m: unknown): boolean {
  return m === SHARED;
}
