/**
 * A workflow model without its YAML: what a worker thread sends back about a file it parsed,
 * so the main thread can run the whole-repository checks over every workflow without parsing
 * them all again (the parallel audit, audit/parallel.ts).
 *
 * `dehydrate` copies the model's plain data (strings, numbers, arrays, maps) and records which
 * objects lacked what (the YamlFile, each node, most source ranges): the "holes". `hydrate`
 * gives each such object a shared prototype whose getters answer those names; the first read
 * parses the file again (the text travels beside the summary) and answers from that full
 * model, at the same place. A check that only reads plain fields never causes a parse; one
 * that reads a node gets exactly the node a model built in this thread would have.
 */
import type { Workflow } from './workflow.js';
import { interned } from './intern.js';
import { isNoEntries, noEntries } from './no-entries.js';

export interface WorkflowSummary {
  file: string;
  /** The model with every YAML object and every source range left out (structured-clone safe). */
  plain: unknown;
  /**
   * Where the left-out values were, as pairs: the index of a plain object in walk order (see
   * `eachObject`), and the index in `keys` of the comma-separated names it lacks.
   */
  holes: number[];
  keys: string[];
}

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** True for values that cross a thread boundary as they are. */
function isPlainData(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && typeof v !== 'symbol';
  return Array.isArray(v) || v instanceof Map || isPlainObject(v);
}

/**
 * Source ranges are left out too: they are most of a model's bulk, and the whole-repository
 * checks read few of them (a finding's location); reading one parses the file again. The
 * ranges of `uses:` values stay: the checks that read GitHub look-ups report at them (and their
 * fixes edit there), on the main thread, for every workflow.
 */
const leftOut = (owner: object, k: string): boolean => (k === 'range' || k.endsWith('Range')) && !('refKind' in owner);

/**
 * Which parts of a model a summary carries: `true` keeps a value whole (YAML objects and most
 * ranges still left out), a tree keeps the keys it names and leaves the others out, `'*'`
 * naming the items of a list or the values of a map.
 */
export type SummaryFields = { readonly [key: string]: true | SummaryFields };

export function dehydrate(wf: Workflow, fields: true | SummaryFields = true): WorkflowSummary {
  const copies = new Map<object, unknown>();
  const holes: number[] = [];
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  let objects = 0;
  const EMPTY: SummaryFields = {};
  const items = (tree: true | SummaryFields): true | SummaryFields => (tree === true ? true : (tree['*'] ?? EMPTY));
  const copy = (v: unknown, tree: true | SummaryFields): unknown => {
    if (v === null || typeof v !== 'object') return v;
    // An object reached again is the copy made at its first place (the model shares few objects, and never under different fields).
    const seen = copies.get(v);
    if (seen !== undefined) return seen;
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      copies.set(v, out);
      const each = items(tree);
      for (let i = 0; i < v.length; i++) {
        // The model keeps YAML objects in properties, never as list items.
        if (!isPlainData(v[i])) throw new Error('cannot summarise a YAML object in a list');
        out[i] = copy(v[i], each);
      }
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      copies.set(v, out);
      const each = items(tree);
      for (const [k, item] of v) {
        // Map keys in the model are strings and its map values plain objects.
        if (typeof k !== 'string' || !isPlainData(item) || item === null || typeof item !== 'object') throw new Error(`cannot summarise the map entry ${String(k)}`);
        out.set(k, copy(item, each));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    copies.set(v, out);
    const index = objects++;
    let missing: string[] | undefined;
    for (const k in v) {
      const item: unknown = (v as Record<string, unknown>)[k];
      const sub = tree === true ? true : tree[k];
      // A key the fields do not name and the model left unset is nothing to carry or to answer for.
      if (item === undefined && sub === undefined) continue;
      if (item !== undefined && (sub === undefined || leftOut(v, k) || !isPlainData(item))) (missing ??= []).push(k);
      else out[k] = copy(item, sub ?? true);
    }
    if (missing) {
      const sig = missing.join(',');
      let at = keyIndex.get(sig);
      if (at === undefined) keyIndex.set(sig, (at = keys.push(sig) - 1));
      holes.push(index, at);
    }
    return out;
  };
  return { file: wf.file, plain: copy(wf, fields), holes, keys };
}

/** Visits every plain object once, in the order `dehydrate` numbered them (shared ones at their first place). */
function eachObject(root: unknown, visit: (o: Record<string, unknown>, index: number) => void): void {
  const seen = new Set<object>();
  let objects = 0;
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) for (const item of v) walk(item);
    else if (v instanceof Map) for (const item of v.values()) walk(item);
    else {
      visit(v as Record<string, unknown>, objects++);
      for (const k in v) walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(root);
}

/** Pairs each object of a summary with the same object of the full model, walking both alike. */
function pairUp(plain: unknown, full: unknown, out: WeakMap<object, Record<string, unknown>>, seen = new Set<object>()): void {
  if (plain === null || typeof plain !== 'object' || full === null || typeof full !== 'object' || seen.has(plain)) return;
  seen.add(plain);
  if (Array.isArray(plain)) plain.forEach((item, i) => pairUp(item, (full as unknown[])[i], out, seen));
  else if (plain instanceof Map) for (const [k, item] of plain) pairUp(item, (full as Map<unknown, unknown>).get(k), out, seen);
  else {
    out.set(plain, full as Record<string, unknown>);
    for (const k of Object.keys(plain)) pairUp((plain as Record<string, unknown>)[k], (full as Record<string, unknown>)[k], out, seen);
  }
}

/** What a summarised object reaches its full counterpart through; kept beside the objects, so they keep the shape they arrived with. */
const HYDRATION = new WeakMap<object, Hole>();

interface Hydration {
  /** The full object standing where this summarised one stands. */
  fullOf(o: object): Record<string, unknown>;
}

/** One per workflow and set of left-out names: what the objects of that workflow lacking those names share. */
interface Hole {
  hydration: Hydration;
  names: ReadonlySet<string>;
}

/**
 * One prototype for every summarised object, with a getter for each name any summary left out:
 * the getter answers from the full model. One prototype keeps property reads monomorphic (a
 * prototype per set of names made every whole-repository loop over steps megamorphic: measured
 * a re-audit 40% slower), and objects keep their shape (no accessor per hole), so a summary
 * costs about what its plain data costs. A getter reached for a name this object did not leave
 * out answers what the full object has there, nothing, without building it: a job without an
 * `environment:` reads `undefined` whether or not other jobs' environments were left out.
 */
const SUMMARISED: object = Object.create(Object.prototype) as object;
const answered = new Set<string>();
function answer(names: Iterable<string>): void {
  for (const key of names) {
    if (answered.has(key)) continue;
    answered.add(key);
    Object.defineProperty(SUMMARISED, key, {
      get(this: object) {
        const hole = HYDRATION.get(this);
        return hole?.names.has(key) ? hole.hydration.fullOf(this)[key] : undefined;
      },
      enumerable: false,
      configurable: false,
    });
  }
}

/** The set of names of one signature, shared by every summary that has it (a set per workflow was a tenth of a summary's heap). */
const NAMES = new Map<string, ReadonlySet<string>>();
function namesOf(sig: string): ReadonlySet<string> {
  let names = NAMES.get(sig);
  if (!names) {
    NAMES.set(sig, (names = new Set(sig.split(','))));
    answer(names);
  }
  return names;
}

/** How many summaries built their full model (test/parallel.test.ts watches it). */
export const summaryStats = { hydrated: 0 };

/**
 * The summary as a Workflow again: each object that lacks YAML or ranges answers for them from
 * the complete model of the same text, which `full()` builds on the first such read, and again
 * on the first read after `epoch()` changes: a workflow kept across a session's audits
 * (audit/result-cache.ts) gets a fresh YAML wrapper, with its own alias budget, in each audit
 * that reads it.
 *
 * @param intern one string for each repeated value across the summaries of one audit (a thread's
 * message arrives as copies: every `actions/checkout`, `v4` and `ubuntu-latest` its own).
 */
export function hydrate(summary: WorkflowSummary, full: () => Workflow, epoch: () => number = () => 0, intern?: Map<string, string>): Workflow {
  const hydration = hydrationOf(summary.plain, full, epoch);
  const kinds = summary.keys.map((sig): Hole => ({ hydration, names: namesOf(sig) }));
  const wanted = new Map<number, Hole>();
  for (let i = 0; i < summary.holes.length; i += 2) wanted.set(summary.holes[i]!, kinds[summary.holes[i + 1]!]!);
  eachObject(summary.plain, (o, index) => {
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') {
        if (intern !== undefined) o[k] = interned(intern, v);
      } else if (v instanceof Map && v.size === 0 && !isNoEntries(v)) o[k] = noEntries();
    }
    const hole = wanted.get(index);
    if (hole === undefined) return;
    Object.setPrototypeOf(o, SUMMARISED);
    HYDRATION.set(o, hole);
  });
  return summary.plain as Workflow;
}

/**
 * The full model's look-up, in a function of its own so that its closure keeps only the plain
 * tree: the summary's holes and keys and hydrate's index of them (a tenth of a summary's heap)
 * are garbage once hydrate returns.
 */
function hydrationOf(plain: unknown, full: () => Workflow, epoch: () => number): Hydration {
  let built: Workflow | undefined;
  let builtIn = -1;
  let pairs = new WeakMap<object, Record<string, unknown>>();
  return {
    fullOf(o) {
      if (!built || builtIn !== epoch()) {
        built = full();
        builtIn = epoch();
        summaryStats.hydrated++;
        pairs = new WeakMap();
        pairUp(plain, built, pairs);
      }
      return pairs.get(o) ?? {};
    },
  };
}
