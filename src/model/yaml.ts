/**
 * A thin, range-keeping layer over the `yaml` package. Nodes are never converted to plain JS
 * (that would lose positions and expand aliases without limit); instead the model builders
 * walk the parsed Document through these helpers, which resolve aliases under a budget.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, YAMLParseError } from 'yaml';
import type { Alias } from 'yaml';
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { AuditError, SourceRange } from '../types.js';

/** What parsing one YAML text produces, independent of any audit (kept by the ParseCache). */
export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The text's own parse errors, as the repository model lists them. */
  readonly errors: readonly AuditError[];
  /** The string scalars in document order, found while parsing, or false when the document has aliases (YamlFile.strings). */
  readonly strings?: ReadonlyArray<Scalar<string>> | false;
}

/** Parses a YAML file once; a YamlFile wraps the result (a fresh wrapper per audit may share it). */
export function parseYamlFile(path: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  let strings: ParsedYaml['strings'];
  try {
    ({ doc, strings } = parseAndWalk(text, lineCounter));
  } catch (err) {
    // The parser recurses; a document nested deeper than the stack allows is bad input, not a crash.
    doc = parseDocument('', { lineCounter: new LineCounter() });
    doc.errors.push(new YAMLParseError([0, 0], 'IMPOSSIBLE', `cannot be parsed: ${(err as Error).message}`));
  }
  const errors = doc.errors.map((e) => ({ file: path, line: lineCounter.linePos(e.pos[0]).line, message: `YAML: ${firstLine(e.message)}` }));
  return strings === undefined ? { doc, lineCounter, errors } : { doc, lineCounter, errors, strings };
}

export class YamlFile {
  readonly lineCounter: LineCounter;
  readonly doc: Document.Parsed;
  /**
   * What this file's alias resolutions have been charged so far, over all the walks of an audit:
   * each is charged the number of values its target stands for with every alias in it expanded,
   * against expansionLimit, past which the file is treated as an alias bomb. A count of
   * resolutions (10,000, as before) reported a workflow of a thousand jobs that each merge one
   * small anchored base as a bomb and stopped reading it, while a few thousand uses of one huge
   * anchor stayed under it.
   */
  private aliasCharge = 0;
  /** Each anchored node's expanded size, found on its first resolution. */
  private expanded = new Map<Node, number>();
  private aliasBombReported = false;
  /** What each alias names, found in one walk (the package's Alias.resolve walks the whole document per call). */
  private aliasTargets?: Map<Alias, Node | undefined>;
  /** See allStrings: the document's strings, or false when it has aliases. */
  private stringsOfTree?: ReadonlyArray<Scalar<string>> | false;

  /**
   * @param errors where problems go; the repository model passes its own list so that errors
   *   found while checks walk the file (an alias bomb) are reported too.
   * @param parsed this text parsed already (from the ParseCache); parsed here when not given.
   */
  constructor(
    readonly path: string,
    readonly text: string,
    readonly errors: AuditError[] = [],
    parsed: ParsedYaml = parseYamlFile(path, text),
  ) {
    this.doc = parsed.doc;
    this.lineCounter = parsed.lineCounter;
    // The parse's walk found the strings already (shared with other audits of the same parse: only read).
    if (parsed.strings !== undefined) this.stringsOfTree = parsed.strings;
    for (const e of parsed.errors) this.errors.push({ ...e });
  }

  get ok(): boolean {
    return this.doc.errors.length === 0;
  }

  get root(): Node | null {
    return this.deref(this.doc.contents as Node | null);
  }

  /** Follows an alias to the node it names; other nodes pass through. */
  deref(node: unknown): Node | null {
    if (node === null || node === undefined) return null;
    if (!isAlias(node)) return node as Node;
    const target = this.targets().get(node);
    const budget = expansionLimit(this.text.length);
    if (this.aliasBombReported || (this.aliasCharge += target ? expandedSize(target, this.targets(), this.expanded) : 1) > budget) {
      if (!this.aliasBombReported) {
        this.aliasBombReported = true;
        this.error(node as Node, `its aliases stand for more than ${budget.toLocaleString('en-US')} values (alias bomb?); the rest of the file is not read`);
      }
      return null;
    }
    return target && !isAlias(target) ? target : null;
  }

  private targets(): Map<Alias, Node | undefined> {
    return (this.aliasTargets ??= aliasTargets(this.doc));
  }

  range(node: { range?: [number, number, number] | null | undefined }): SourceRange {
    const r = node.range ?? [0, 0, 0];
    return this.rangeOf(r[0], r[1]);
  }

  rangeOf(start: number, end: number): SourceRange {
    const s = this.lineCounter.linePos(start);
    const e = this.lineCounter.linePos(end);
    return { start, end, line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  }

  error(node: { range?: [number, number, number] | null | undefined } | null, message: string): void {
    const line = node?.range ? this.lineCounter.linePos(node.range[0]).line : 1;
    this.errors.push({ file: this.path, line, message });
  }

  /** Pairs of a mapping with their resolved key strings; non-string keys are skipped. */
  entries(map: YAMLMap): Array<{ key: string; keyNode: Scalar; value: Node | null; pair: Pair }> {
    const out = [];
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const keyNode = this.deref(pair.key);
      if (!isScalar(keyNode)) continue;
      out.push({ key: String(keyNode.value), keyNode, value: this.deref(pair.value), pair: pair as Pair });
    }
    return out;
  }

  get(map: YAMLMap, key: string): Node | null {
    return this.entry(map, key)?.value ?? null;
  }

  /** One key's pair, found without building the whole entry list (the model asks this a lot). */
  entry(map: YAMLMap, key: string): { keyNode: Scalar; value: Node | null; pair: Pair } | undefined {
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const k = pair.key;
      // Plain keys are the rule; only aliased keys need resolving.
      const keyNode = isScalar(k) ? k : this.deref(k);
      if (!isScalar(keyNode) || String(keyNode.value) !== key) continue;
      return { keyNode, value: this.deref(pair.value), pair: pair as Pair };
    }
    return undefined;
  }

  items(seq: YAMLSeq): Array<Node | null> {
    return seq.items.map((n) => this.deref(n));
  }

  /** Every string scalar below a node (aliases resolved under the budget), in document order. */
  strings(node: Node | null): ReadonlyArray<Scalar<string>> {
    const all = this.allStrings();
    if (all && node) {
      // Without aliases the document is a tree laid out in order: a node's strings are the document's that start inside its span.
      if (node === this.doc.contents) return all;
      const [start, end] = node.range ?? [0, 0];
      return isScalar(node) ? (typeof node.value === 'string' ? [node as Scalar<string>] : []) : all.slice(firstAtOrAfter(all, start), firstAtOrAfter(all, end));
    }
    const out: Array<Scalar<string>> = [];
    this.collectStrings(node, out);
    return out;
  }

  /** Whether the document has aliases (found by the parse's walk, else by one walk here; no alias is resolved). */
  get hasAliases(): boolean {
    return this.allStrings() === undefined;
  }

  /**
   * The document's string scalars, kept when the document has no aliases: the secret checks ask
   * for the whole document's and for every job's. Found by the parse's own walk (parseYamlFile),
   * else walked once here. Undefined when it has aliases (those walks resolve them under the
   * budget, so each asks on its own).
   */
  private allStrings(): ReadonlyArray<Scalar<string>> | undefined {
    if (this.stringsOfTree !== undefined) return this.stringsOfTree || undefined;
    const out: Array<Scalar<string>> = [];
    const stack: unknown[] = [this.doc.contents];
    // Depth-first, keys before values, items in order: the order collectStrings visits them.
    while (stack.length) {
      const node = stack.pop();
      if (isScalar(node)) {
        if (typeof node.value === 'string') out.push(node as Scalar<string>);
      } else if (isMap(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          const pair = node.items[i];
          if (isPair(pair)) stack.push(pair.value, pair.key);
        }
      } else if (isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
      } else if (isAlias(node)) {
        this.stringsOfTree = false;
        return undefined;
      }
    }
    this.stringsOfTree = out;
    return out;
  }

  private collectStrings(node: Node | null, out: Array<Scalar<string>>, open = new Set<Node>()): void {
    if (!node) return;
    if (isScalar(node)) {
      if (typeof node.value === 'string') out.push(node as Scalar<string>);
      return;
    }
    // An alias back into one of its own ancestors (`a: &x { b: *x }`) would recurse for ever.
    if (open.has(node)) return;
    open.add(node);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        this.collectStrings(isScalar(pair.key) ? pair.key : this.deref(pair.key), out, open);
        this.collectStrings(isScalar(pair.value) ? pair.value : this.deref(pair.value), out, open);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) this.collectStrings(isScalar(item) ? item : this.deref(item), out, open);
    }
    open.delete(node);
  }

  /** The document path of the innermost node at an offset (`['jobs', 'build', 'steps', 2, 'uses']`). */
  pathAt(offset: number): Array<string | number> {
    const out: Array<string | number> = [];
    let node = this.root;
    const inside = (n: { range?: [number, number, number] | null } | null | undefined): boolean => !!n?.range && n.range[0] <= offset && offset < Math.max(n.range[1], n.range[0] + 1);
    for (let depth = 0; node && depth < 200; depth++) {
      let next: Node | null = null;
      if (isMap(node)) {
        for (const { key, keyNode, value } of this.entries(node)) {
          if (inside(keyNode) || inside(value)) {
            out.push(key);
            next = inside(value) ? value : null;
            break;
          }
        }
      } else if (isSeq(node)) {
        const items = node.items;
        for (let i = 0; i < items.length; i++) {
          const item = this.deref(items[i]);
          if (inside(item)) {
            out.push(i);
            next = item;
            break;
          }
        }
      }
      node = next;
    }
    return out;
  }

  /** The offset of a 1-based line and column. */
  offsetOf(line: number, column: number): number {
    const starts = this.lineCounter.lineStarts;
    return (starts[line - 1] ?? this.text.length) + column - 1;
  }

  /** The comment that follows a node on its own line (`uses: x@sha # v1.2.3` gives "v1.2.3"). */
  trailingComment(node: Node): string | undefined {
    const end = node.range?.[1] ?? 0;
    const lineEnd = this.text.indexOf('\n', end);
    const rest = this.text.slice(end, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, '');
    const m = /^[ \t]+#[ \t]?(.*?)[ \t]*$/.exec(rest);
    return m ? m[1] : undefined;
  }
}

/** Maps of up to this many keys are checked for repeats pairwise (at most 28 comparisons a map). */
const SMALL_MAP = 8;

/**
 * `parseDocument` with unique keys enforced in linear time. The `yaml` package's own check
 * compares each key with every earlier key of its map (quadratic in a map of thousands of jobs);
 * this one parses without it and then finds repeated keys with one hash set per map, reporting
 * the same DUPLICATE_KEY error at the repeated key, in source order among the other errors.
 */
/**
 * How many nodes of expanded data one byte of text may stand for before the data is too large to
 * compare. An alias bomb stands for billions; a workflow reusing small anchors in each of its
 * thousand jobs stands for a few.
 */
const EXPANSION_PER_BYTE = 16;
/** Small files may expand further (a short file of anchors is no threat at this size). */
const EXPANSION_FLOOR = 100_000;

/** How many values a text's aliases may stand for in all (alias budgets, comparableData). */
function expansionLimit(textLength: number): number {
  return Math.max(EXPANSION_FLOOR, EXPANSION_PER_BYTE * textLength);
}

/** What each alias names, found in one walk: Alias.resolve's rule, the last node before it (in document order) with its anchor. */
function aliasTargets(doc: Document.Parsed): Map<Alias, Node | undefined> {
  const targets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

/**
 * The number of values a node stands for with every alias in it expanded, each node's found once
 * (`memo`; linear over the document). Sizes of an alias bomb grow past any integer, harmlessly:
 * they only need to exceed the limit. An alias inside its own anchor's node (a cycle) stands for
 * infinitely many; so does a tree deeper than the stack allows.
 */
function expandedSize(node: Node, targets: ReadonlyMap<Alias, Node | undefined>, memo: Map<Node, number>): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  memo.set(node, Infinity);
  const sizeOf = (child: unknown): number => (isNode(child) ? expandedSize(child, targets, memo) : 1);
  let n = 1;
  try {
    if (isAlias(node)) n = sizeOf(targets.get(node));
    else if (isMap(node)) for (const pair of node.items) n += sizeOf(pair.key) + sizeOf(pair.value);
    else if (isSeq(node)) for (const item of node.items) n += sizeOf(item);
  } catch {
    n = Infinity;
  }
  memo.set(node, n);
  return n;
}

/**
 * The document's data as plain values, for comparing two versions of a file (the fix engine's
 * verification, suppression comments), or why it cannot be had. With its aliases expanded the
 * data can be far larger than the text, and comparing it costs that much, so the expanded size is
 * counted first, each anchored node's once (linear in the nodes), and data over
 * EXPANSION_PER_BYTE nodes per byte of text is refused. A fixed count of alias uses (the
 * package's maxAliasCount) refused every fix to a workflow that used one small anchor in over a
 * thousand jobs, while letting a large anchor used a thousand times through.
 */
export function comparableData(doc: Document.Parsed, textLength: number): { value: unknown } | { unverifiable: string } {
  const limit = expansionLimit(textLength);
  try {
    if (isNode(doc.contents) && expandedSize(doc.contents, aliasTargets(doc), new Map()) > limit) return { unverifiable: `its data with aliases expanded is over ${limit.toLocaleString('en-US')} values (${EXPANSION_PER_BYTE} per byte of text), too large to compare` };
    return { value: plainValue(doc.contents) };
  } catch (err) {
    // A document too deep to walk or expand parses but cannot be compared.
    return { unverifiable: (err as Error).message };
  }
}

/**
 * A node as plain values (maps as objects with string keys, sequences as arrays, scalars as
 * their values), each anchored node converted once and shared by its aliases. The package's
 * toJS looks each alias's anchor up among all the document's anchors (2,000 jobs with an
 * anchor each: a quarter of a fix pass); here one map in document order answers. Two versions
 * of a file go through the same conversion, which is all a comparison needs; the keys are what
 * a fix's declared paths name.
 */
function plainValue(root: unknown): unknown {
  const anchored = new Map<string, unknown>();
  const convert = (node: unknown): unknown => {
    let value: unknown;
    if (isAlias(node)) return anchored.get(node.source);
    if (isScalar(node)) value = node.value;
    else if (isMap(node)) {
      // No prototype: a key named __proto__ is data like any other.
      const out = Object.create(null) as Record<string, unknown>;
      for (const pair of node.items) {
        const key = convert(pair.key);
        // As the package names keys: null as '', scalars as strings; a collection key (rare) by its JSON, where the package writes YAML.
        out[key === null ? '' : typeof key === 'object' ? JSON.stringify(key) : String(key)] = convert(pair.value);
      }
      value = out;
    } else if (isSeq(node)) value = node.items.map(convert);
    else value = node ?? null;
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchored.set(anchor, value);
    return value;
  };
  return convert(root);
}

export function parseYaml(text: string, lineCounter?: LineCounter): Document.Parsed {
  return parseAndWalk(text, lineCounter).doc;
}

/**
 * parseYaml, and what its walk of every node also finds: the string scalars in document order
 * (YamlFile.strings), or false when the document has aliases.
 */
function parseAndWalk(text: string, lineCounter?: LineCounter): { doc: Document.Parsed; strings: Array<Scalar<string>> | false } {
  const doc = parseDocument(text, { ...(lineCounter ? { lineCounter } : {}), prettyErrors: false, uniqueKeys: false });
  const dupes: YAMLParseError[] = [];
  let strings: Array<Scalar<string>> | false = [];
  const stack: unknown[] = [doc.contents];
  // Most maps have a handful of keys: those are compared pairwise in a reused array (bounded work
  // per key) instead of a Set per map; larger maps keep the hash set, so the check stays linear.
  const few: unknown[] = [];
  // Depth-first, keys before values, items in order (children pushed last first): document order,
  // the order YamlFile.strings gives.
  while (stack.length) {
    const node = stack.pop();
    if (isScalar(node)) {
      if (strings && typeof node.value === 'string') strings.push(node as Scalar<string>);
    } else if (isMap(node)) {
      const small = node.items.length <= SMALL_MAP;
      const seen = small ? undefined : new Set<unknown>();
      few.length = 0;
      for (const pair of node.items) {
        const key = pair.key;
        // The package's rule: the same node, or scalars with === values (NaN never repeats).
        const id = isScalar(key) ? key.value : key;
        const repeated = seen ? seen.has(id) && !(typeof id === 'number' && Number.isNaN(id)) : few.includes(id) && !(typeof id === 'number' && Number.isNaN(id));
        if (repeated) {
          const at = (key as { range?: [number, number, number] } | null)?.range?.[0] ?? node.range?.[0] ?? 0;
          dupes.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        } else if (seen) seen.add(id);
        else few.push(id);
      }
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        if (isPair(pair)) stack.push(pair.value, pair.key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isAlias(node)) strings = false;
  }
  if (dupes.length) {
    // Each repeated key goes just before the first of the package's errors that lies after it.
    dupes.sort((a, b) => a.pos[0] - b.pos[0]);
    const merged: YAMLParseError[] = [];
    let next = 0;
    for (const e of doc.errors) {
      while (next < dupes.length && dupes[next]!.pos[0] < e.pos[0]) merged.push(dupes[next++]!);
      merged.push(e);
    }
    merged.push(...dupes.slice(next));
    doc.errors.splice(0, doc.errors.length, ...merged);
  }
  return { doc, strings };
}

/** The index of the first scalar (of a list in document order) that starts at or after an offset. */
function firstAtOrAfter(list: ReadonlyArray<Scalar>, offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]!.range?.[0] ?? 0) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function asString(node: Node | null): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** A scalar's value as text whatever its YAML type (`true`, `1`, `"x"`). */
export function scalarText(node: Node | null): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? undefined : String(v);
}


export function isTrue(node: Node | null): boolean {
  const text = scalarText(node);
  return text !== undefined && text.trim().toLowerCase() === 'true';
}

export function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `a ${typeof node.value}`;
  return 'something else';
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

export { isMap, isScalar, isSeq };
export type { Node, Scalar, YAMLMap, YAMLSeq };
