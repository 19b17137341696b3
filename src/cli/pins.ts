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
  onProgress?: (p: { inFlight: number; done: number; total: number }) => void;
}

export interface Pins {
  resolver: Resolver;
  close(): Promise<void>;
}

export async function openPins(opts: PinOptions, env: NodeJS.ProcessEnv): Promise<Pins> {
  const { Resolver, defaultCachePath, loadCache, saveCache } = await import('../github/resolve.js');
  const { apiHost, createClient, findToken } = await import('../github/client.js');
  const cacheFile = defaultCachePath(env);
  const cache = await loadCache(cacheFile);
  if (opts.importPins) Object.assign(cache.entries, (await loadCache(opts.importPins)).entries);
  const client = opts.offline ? undefined : createClient({ token: await findToken(opts.token, env), ...(opts.githubUrl ? { githubUrl: opts.githubUrl } : {}) });
  // Pins are keyed by the API host, so one resolved against Enterprise Server or a stand-in is never used for github.com.
  const resolver = new Resolver(client, cache, { offline: opts.offline, host: apiHost(opts.githubUrl), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  return {
    resolver,
    async close(): Promise<void> {
      if (resolver.lookups > 0) await saveCache(cacheFile, cache).catch(() => {});
      if (opts.exportPins) await saveCache(opts.exportPins, cache);
    },
  };
}
