/**
 * A workflow model without its YAML: what a worker thread sends back about a file it parsed,
 * so the main thread can run the whole-repository checks over every workflow without parsing
 * them all again (the parallel audit, audit/parallel.ts).
 *
 * `dehydrate` copies the model's plain data (strings, numbers, ranges, arrays, maps) and
 * records where the YAML objects were (the YamlFile, each node): the "holes". `hydrate` puts
 * the plain copy back together with a getter at each hole; the first read of any hole parses
 * the file again (the text travels with the summary) and answers from that full model, at the
 * same path. A check that only reads plain fields never causes a parse; one that reads a node
 * gets exactly the node a model built in this thread would have.
 */
import type { Workflow } from './workflow.js';

/** A step of a path into the model: a property, an array index, or a Map key. */
export type PathStep = string | number | { key: string };

/** Where the summary leaves a value out (no string the model holds looks like it). */
export const HOLE = '\u0000pipewarden:hole';

export interface WorkflowSummary {
  file: string;
  /** The model with every YAML object and every source range left out (structured-clone safe). */
  plain: unknown;
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

export function dehydrate(wf: Workflow): WorkflowSummary {
  const copies = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const seen = copies.get(v);
    if (seen !== undefined) return seen;
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      copies.set(v, out);
      for (let i = 0; i < v.length; i++) out[i] = isPlainData(v[i]) ? copy(v[i]) : HOLE;
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      copies.set(v, out);
      for (const [k, item] of v) {
        // Map keys in the model are strings and its map values plain objects; a YAML object as
        // a map value could not take a getter (the model has none).
        if (typeof k !== 'string' || !isPlainData(item) || item === null || typeof item !== 'object') throw new Error(`cannot summarise the map entry ${String(k)}`);
        out.set(k, copy(item));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    copies.set(v, out);
    for (const k in v) {
      const item: unknown = (v as Record<string, unknown>)[k];
      out[k] = item !== undefined && (leftOut(v, k) || !isPlainData(item)) ? HOLE : copy(item);
    }
    return out;
  };
  return { file: wf.file, plain: copy(wf) };
}

function at(root: unknown, path: PathStep[]): unknown {
  let v = root;
  for (const step of path) {
    if (v === null || v === undefined) return undefined;
    if (typeof step === 'object') v = (v as Map<string, unknown>).get(step.key);
    else v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

/**
 * The summary as a Workflow again, with a getter at each hole. `full()` builds the complete
 * model of the same text; it is called on the first read of a hole, and again on the first read
 * after `epoch()` changes: a workflow kept across a session's audits (audit/result-cache.ts)
 * gets a fresh YAML wrapper, with its own alias budget, in each audit that reads it.
 */
export function hydrate(summary: WorkflowSummary, full: () => Workflow, epoch: () => number = () => 0): Workflow {
  let built: Workflow | undefined;
  let builtIn = -1;
  const complete = (): Workflow => {
    if (!built || builtIn !== epoch()) {
      built = full();
      builtIn = epoch();
    }
    return built;
  };
  const path: PathStep[] = [];
  const seen = new Set<object>();
  const hole = (parent: object, key: string | number): void => {
    const where = [...path, key];
    Object.defineProperty(parent, key, { get: () => at(complete(), where), enumerable: true, configurable: true });
  };
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Map) {
      for (const [k, item] of v) {
        path.push({ key: k as string });
        walk(item);
        path.pop();
      }
      return;
    }
    const record = v as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      const item = record[k];
      const key = Array.isArray(v) ? Number(k) : k;
      if (item === HOLE) hole(record, key);
      else if (item !== null && typeof item === 'object') {
        path.push(key);
        walk(item);
        path.pop();
      }
    }
  };
  walk(summary.plain);
  return summary.plain as Workflow;
}
