/**
 * The pin resolver for a run: the on-disk cache (plus an imported lock file), GitHub only when
 * not --offline. close() saves what was looked up and writes --export-pins.
 */
import type { Resolver } from '../github/resolve.js';

export interface PinOptions {
  offline: boolean;
  token?: string;
  githubUrl?: string;
  exportPins?: string;
  importPins?: string;
}

export interface Pins {
  resolver: Resolver;
  close(): Promise<void>;
}

export async function openPins(opts: PinOptions, env: NodeJS.ProcessEnv): Promise<Pins> {
  const { Resolver, defaultCachePath, loadCache, saveCache } = await import('../github/resolve.js');
  const { createClient, findToken } = await import('../github/client.js');
  const cacheFile = defaultCachePath(env);
  const cache = await loadCache(cacheFile);
  if (opts.importPins) Object.assign(cache.entries, (await loadCache(opts.importPins)).entries);
  const client = opts.offline ? undefined : createClient({ token: await findToken(opts.token, env), ...(opts.githubUrl ? { githubUrl: opts.githubUrl } : {}) });
  const resolver = new Resolver(client, cache, { offline: opts.offline });
  return {
    resolver,
    async close(): Promise<void> {
      if (resolver.lookups > 0) await saveCache(cacheFile, cache).catch(() => {});
      if (opts.exportPins) await saveCache(opts.exportPins, cache);
    },
  };
}
