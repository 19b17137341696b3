/**
 * Typed model of GitHub Actions workflows and actions. Every element keeps the YAML node it
 * came from and its source range, so checks can point at the narrowest span and fixes can
 * edit exact offsets. Malformed parts become per-file errors; the rest is still modelled.
 */
import type { Node, Scalar, YAMLMap } from 'yaml';
import type { SourceRange } from '../types.js';
import { findExpressions, referencedPaths, type ExpressionSpan } from './expressions.js';
import { parseUses, type ParsedUses } from './uses.js';
import { asString, describe, isMap, isScalar, isSeq, scalarText, YamlFile } from './yaml.js';
import { noEntries } from './no-entries.js';

export interface UsesRef extends ParsedUses {
  /** The value as written. */
  raw: string;
  /** The value's span, quotes included. */
  range: SourceRange;
  /** The span of the unquoted text, when it can be edited in place. */
  inner?: { start: number; end: number };
  quote: '' | '"' | "'";
  comment?: string;
  node: Scalar;
}

export interface Trigger {
  event: string;
  range: SourceRange;
  config: Node | null;
  /**
   * When the trigger is configured by a map: each key (branches, tags, paths, types ...) with
   * the texts of its list (or its one scalar), or null when the key has no value. Plain data,
   * so the whole-repository checks need no YAML to read it (model/summary.ts).
   */
  filters?: Map<string, Array<string | undefined> | null>;
}

export interface PermissionScope {
  scope: string;
  level: string;
  keyRange: SourceRange;
  valueRange: SourceRange;
}

export interface Permissions {
  /** `read-all`, `write-all`, or `map` for a scope-by-scope block (possibly `{}`). */
  kind: 'read-all' | 'write-all' | 'map' | 'other';
  scopes: PermissionScope[];
  keyRange: SourceRange;
  valueRange: SourceRange;
  node: Node;
}

export interface StringValue {
  value: string;
  range: SourceRange;
  node: Scalar;
}

export interface Step {
  index: number;
  id?: string;
  name?: string;
  uses?: UsesRef;
  /** `owner/repo[/path]` of the action or workflow used, lower-cased. */
  action?: string;
  with: Map<string, StringValue>;
  withNode?: YAMLMap;
  run?: StringValue;
  env: Map<string, StringValue>;
  envNode?: YAMLMap;
  range: SourceRange;
  node: YAMLMap;
}

export interface ImageRef {
  image: string;
  range: SourceRange;
  node: Scalar;
}

export interface Job {
  id: string;
  idRange: SourceRange;
  range: SourceRange;
  node: YAMLMap;
  name?: string;
  /** The job's `if:`, without a wrapping `${{ }}` (see conditionOf). */
  condition?: string;
  /** Set when the job's `strategy:` has a `matrix:` (the job runs once per leg). */
  matrix?: true;
  /** The keys of `services:`, which are also the host names the job reaches them by. */
  serviceNames: string[];
  permissions?: Permissions;
  runsOn: { labels: string[]; group?: string; range?: SourceRange; dynamic: boolean };
  environment?: { name: string; range: SourceRange };
  container?: ImageRef;
  services: ImageRef[];
  /** A reusable-workflow call. */
  uses?: UsesRef;
  with: Map<string, StringValue>;
  secretsInherit?: SourceRange;
  secretsNode?: Node;
  steps: Step[];
  env: Map<string, StringValue>;
}

export interface Workflow {
  file: string;
  yaml: YamlFile;
  name?: string;
  triggers: Trigger[];
  onRange?: SourceRange;
  permissions?: Permissions;
  env: Map<string, StringValue>;
  jobs: Job[];
  jobsKeyRange?: SourceRange;
}

export interface ActionModel {
  file: string;
  yaml: YamlFile;
  name?: string;
  /** composite, docker, node20, node24 … as declared in runs.using. */
  using?: string;
  steps: Step[];
  /** runs.image for docker actions. */
  image?: ImageRef;
  inputs: string[];
}

export function buildWorkflow(yaml: YamlFile): Workflow {
  const wf: Workflow = { file: yaml.path, yaml, triggers: [], env: NO_ENTRIES, jobs: [] };
  const root = yaml.root;
  if (root === null) {
    yaml.error(null, 'workflow is empty');
    return wf;
  }
  if (!isMap(root)) {
    yaml.error(root, `workflow must be a map, found ${describe(root)}`);
    return wf;
  }
  wf.name = asString(yaml.get(root, 'name'));
  const on = yaml.entry(root, 'on');
  if (!on) yaml.error(root, 'workflow has no `on:` (triggers)');
  else {
    wf.onRange = yaml.range(on.keyNode);
    wf.triggers = buildTriggers(yaml, on.value);
  }
  const perms = yaml.entry(root, 'permissions');
  if (perms) wf.permissions = buildPermissions(yaml, perms.keyNode, perms.value);
  wf.env = stringMap(yaml, yaml.get(root, 'env'));
  const jobs = yaml.entry(root, 'jobs');
  if (!jobs) yaml.error(root, 'workflow has no `jobs:`');
  else if (!isMap(jobs.value)) yaml.error(jobs.value ?? jobs.keyNode, `\`jobs:\` must be a map, found ${describe(jobs.value)}`);
  else {
    wf.jobsKeyRange = yaml.range(jobs.keyNode);
    for (const { key, keyNode, value } of yaml.entries(jobs.value)) {
      if (!isMap(value)) {
        yaml.error(value ?? keyNode, `job \`${key}\` must be a map, found ${describe(value)}`);
        continue;
      }
      wf.jobs.push(buildJob(yaml, key, keyNode, value));
    }
  }
  return wf;
}

function buildTriggers(yaml: YamlFile, node: Node | null): Trigger[] {
  if (isScalar(node) && typeof node.value === 'string') return [{ event: node.value, range: yaml.range(node), config: null }];
  if (isSeq(node)) {
    const out: Trigger[] = [];
    for (const item of yaml.items(node)) {
      const event = asString(item);
      if (event === undefined || !item) yaml.error(item ?? node, `\`on:\` list items must be event names, found ${describe(item)}`);
      else out.push({ event, range: yaml.range(item), config: null });
    }
    return out;
  }
  if (isMap(node)) {
    return yaml.entries(node).map(({ key, keyNode, value }) => {
      const trigger: Trigger = { event: key, range: yaml.range(keyNode), config: value };
      if (isMap(value)) trigger.filters = triggerFilters(yaml, value);
      return trigger;
    });
  }
  yaml.error(node, `\`on:\` must be an event name, a list or a map, found ${describe(node)}`);
  return [];
}

function triggerFilters(yaml: YamlFile, config: YAMLMap): Map<string, Array<string | undefined> | null> {
  const out = new Map<string, Array<string | undefined> | null>();
  for (const { key } of yaml.entries(config)) {
    const value = yaml.get(config, key);
    out.set(key, value === null ? null : isSeq(value) ? yaml.items(value).map(scalarText) : [scalarText(value)]);
  }
  return out;
}

/** The text of a job's or step's `if:`, trimmed, without a `${{ }}` around the whole of it. */
export function conditionOf(yaml: YamlFile, node: YAMLMap): string | undefined {
  const v = yaml.get(node, 'if');
  if (!isScalar(v)) return undefined;
  const text = scalarText(v);
  if (text === undefined) return undefined;
  const t = text.trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(t);
  return m ? m[1]!.trim() : t;
}

export function buildPermissions(yaml: YamlFile, keyNode: Scalar, value: Node | null): Permissions {
  const keyRange = yaml.range(keyNode);
  const valueRange = value ? yaml.range(value) : yaml.range(keyNode);
  const node = value ?? keyNode;
  // Literals with the keys in the order `{ ...base, kind, node }` gave them: spreading base was most of building a permissions block.
  const text = scalarText(value);
  if (text === 'read-all' || text === 'write-all') return { keyRange, valueRange, scopes: [], kind: text, node };
  if (isMap(value)) {
    const scopes = yaml.entries(value).map(({ key, keyNode: k, value: v }) => ({
      scope: key,
      level: scalarText(v) ?? '',
      keyRange: yaml.range(k),
      valueRange: v ? yaml.range(v) : yaml.range(k),
    }));
    return { keyRange, valueRange, scopes, kind: 'map', node };
  }
  if (value === null || (isScalar(value) && value.value === null)) return { keyRange, valueRange, scopes: [], kind: 'map', node };
  yaml.error(node, `\`permissions:\` must be read-all, write-all or a map of scopes, found ${describe(value)}`);
  return { keyRange, valueRange, scopes: [], kind: 'other', node };
}

function buildJob(yaml: YamlFile, id: string, keyNode: Scalar, node: YAMLMap): Job {
  const job: Job = {
    id,
    idRange: yaml.range(keyNode),
    range: yaml.range(node),
    node,
    runsOn: { labels: [], dynamic: false },
    services: [],
    serviceNames: [],
    with: stringMap(yaml, yaml.get(node, 'with')),
    steps: [],
    env: stringMap(yaml, yaml.get(node, 'env')),
  };
  job.name = asString(yaml.get(node, 'name'));
  const condition = conditionOf(yaml, node);
  if (condition !== undefined) job.condition = condition;
  const strategy = yaml.get(node, 'strategy');
  if (isMap(strategy) && yaml.get(strategy, 'matrix')) job.matrix = true;
  const perms = yaml.entry(node, 'permissions');
  if (perms) job.permissions = buildPermissions(yaml, perms.keyNode, perms.value);
  job.runsOn = buildRunsOn(yaml, yaml.get(node, 'runs-on'));
  const env = yaml.get(node, 'environment');
  if (env) {
    const name = isMap(env) ? scalarText(yaml.get(env, 'name')) : scalarText(env);
    if (name) job.environment = { name, range: yaml.range(env) };
  }
  const container = yaml.get(node, 'container');
  job.container = imageRef(yaml, isMap(container) ? yaml.get(container, 'image') : container);
  const services = yaml.get(node, 'services');
  if (isMap(services)) {
    for (const { key, value } of yaml.entries(services)) {
      job.serviceNames.push(key);
      const ref = imageRef(yaml, isMap(value) ? yaml.get(value, 'image') : value);
      if (ref) job.services.push(ref);
    }
  }
  const uses = yaml.get(node, 'uses');
  if (uses) job.uses = usesRef(yaml, uses, 'job');
  const secrets = yaml.get(node, 'secrets');
  if (secrets) {
    job.secretsNode = secrets;
    if (scalarText(secrets) === 'inherit') job.secretsInherit = yaml.range(secrets);
  }
  const steps = yaml.get(node, 'steps');
  if (steps) job.steps = buildSteps(yaml, steps, `job \`${id}\``);
  return job;
}

export function buildSteps(yaml: YamlFile, node: Node, owner: string): Step[] {
  if (!isSeq(node)) {
    yaml.error(node, `${owner}: \`steps:\` must be a list, found ${describe(node)}`);
    return [];
  }
  const steps: Step[] = [];
  yaml.items(node).forEach((item, index) => {
    if (!isMap(item)) {
      yaml.error(item ?? node, `${owner}: step ${index + 1} must be a map, found ${describe(item)}`);
      return;
    }
    const step: Step = { index, with: NO_ENTRIES, env: NO_ENTRIES, range: yaml.range(item), node: item };
    step.id = scalarText(yaml.get(item, 'id'));
    step.name = scalarText(yaml.get(item, 'name'));
    const uses = yaml.get(item, 'uses');
    if (uses) step.uses = usesRef(yaml, uses, 'step');
    const u = step.uses;
    if (u && (u.kind === 'action' || u.kind === 'reusable-workflow')) step.action = actionNameOf(u);
    const withNode = yaml.get(item, 'with');
    if (isMap(withNode)) step.withNode = withNode;
    step.with = stringMap(yaml, withNode);
    const envNode = yaml.get(item, 'env');
    if (isMap(envNode)) step.envNode = envNode;
    step.env = stringMap(yaml, envNode);
    const run = yaml.get(item, 'run');
    if (run) {
      const text = scalarText(run);
      if (text === undefined || !isScalar(run)) yaml.error(run, `${owner}: step ${index + 1}: \`run:\` must be a string, found ${describe(run)}`);
      else step.run = { value: text, range: yaml.range(run), node: run };
    }
    steps.push(step);
  });
  return steps;
}

function buildRunsOn(yaml: YamlFile, node: Node | null): Job['runsOn'] {
  if (!node) return { labels: [], dynamic: false };
  const range = yaml.range(node);
  const fromList = (n: Node | null): string[] =>
    isSeq(n) ? yaml.items(n).map(scalarText).filter((s): s is string => s !== undefined) : scalarText(n) !== undefined ? [scalarText(n) as string] : [];
  if (isMap(node)) {
    const labels = fromList(yaml.get(node, 'labels'));
    const group = scalarText(yaml.get(node, 'group'));
    // Keys in the order a conditional spread of `group` gave them.
    const runsOn: Job['runsOn'] = group ? { labels, group, range, dynamic: false } : { labels, range, dynamic: false };
    runsOn.dynamic = labels.some((l) => l.includes('${{')) || (group ?? '').includes('${{');
    return runsOn;
  }
  const labels = fromList(node);
  return { labels, range, dynamic: labels.some((l) => l.includes('${{')) };
}

function imageRef(yaml: YamlFile, node: Node | null): ImageRef | undefined {
  const image = asString(node);
  if (image === undefined || !isScalar(node) || image.trim() === '') return undefined;
  return { image, range: yaml.range(node), node };
}

export function usesRef(yaml: YamlFile, node: Node, where: 'step' | 'job'): UsesRef | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    yaml.error(node, `\`uses:\` must be a string, found ${describe(node)}`);
    return undefined;
  }
  const parsed = parsedUses(node.value, where);
  if ('error' in parsed) {
    yaml.error(node, parsed.error);
    return undefined;
  }
  const range = yaml.range(node);
  const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
  const innerStart = range.start + quote.length;
  const innerEnd = range.end - quote.length;
  const inner = yaml.text.slice(innerStart, innerEnd) === node.value ? { start: innerStart, end: innerEnd } : undefined;
  const comment = yaml.trailingComment(node);
  // A copy of the shared parse, extended key by key in the order a spread gave them (Object.assign
  // copies a small object several times faster than a spread does; spreading was a tenth of building the model).
  const ref = Object.assign({}, parsed) as UsesRef;
  ref.raw = node.value;
  ref.range = range;
  ref.quote = quote;
  ref.node = node;
  if (inner) ref.inner = inner;
  if (comment !== undefined) ref.comment = comment;
  return ref;
}

/**
 * parseUses' answer per value: the same few `uses:` values recur across a repository's steps.
 * Shared, so never handed out to be changed (usesRef copies it). Emptied when full, so bounded.
 */
const usesCache = { step: new Map<string, ReturnType<typeof parseUses>>(), job: new Map<string, ReturnType<typeof parseUses>>() };

function parsedUses(value: string, where: 'step' | 'job'): ReturnType<typeof parseUses> {
  const cache = usesCache[where];
  let parsed = cache.get(value);
  if (parsed) return parsed;
  parsed = parseUses(value, where);
  if (cache.size >= 4_096) cache.clear();
  cache.set(value, parsed);
  return parsed;
}

/**
 * `owner/repo[/path]` of a step's action, lower-cased, by the `uses:` value it comes from (a
 * function of it): building and lower-casing the string was a tenth of building a step.
 * Emptied when full, so bounded.
 */
const actionNames = new Map<string, string>();

function actionNameOf(u: UsesRef): string {
  let name = actionNames.get(u.raw);
  if (name !== undefined) return name;
  name = `${u.owner}/${u.repo}${u.path ? `/${u.path}` : ''}`.toLowerCase();
  if (actionNames.size >= 4_096) actionNames.clear();
  actionNames.set(u.raw, name);
  return name;
}

const NO_ENTRIES: Map<string, StringValue> = noEntries();

function stringMap(yaml: YamlFile, node: Node | null): Map<string, StringValue> {
  if (!isMap(node)) return NO_ENTRIES;
  let out: Map<string, StringValue> | undefined;
  for (const { key, value } of yaml.entries(node)) {
    const text = scalarText(value);
    if (text !== undefined && isScalar(value)) (out ??= new Map()).set(key, { value: text, range: yaml.range(value), node: value });
  }
  return out ?? NO_ENTRIES;
}

export function buildAction(yaml: YamlFile): ActionModel {
  const action: ActionModel = { file: yaml.path, yaml, steps: [], inputs: [] };
  const root = yaml.root;
  if (!isMap(root)) {
    yaml.error(root, `action metadata must be a map, found ${describe(root)}`);
    return action;
  }
  action.name = scalarText(yaml.get(root, 'name'));
  const inputs = yaml.get(root, 'inputs');
  if (isMap(inputs)) action.inputs = yaml.entries(inputs).map((e) => e.key);
  const runs = yaml.get(root, 'runs');
  if (!isMap(runs)) {
    yaml.error(runs ?? root, '`runs:` must be a map');
    return action;
  }
  action.using = scalarText(yaml.get(runs, 'using'));
  const steps = yaml.get(runs, 'steps');
  if (steps) action.steps = buildSteps(yaml, steps, 'composite action');
  const image = yaml.get(runs, 'image');
  if (image) action.image = imageRef(yaml, image);
  return action;
}

/** An expression located in a file: the `${{ … }}` span and what it parsed to. */
export interface LocatedExpression extends ExpressionSpan {
  range: SourceRange;
  paths: readonly string[];
}

/**
 * The expressions in a string scalar, each with its own source range when the scalar's
 * source text contains it verbatim (plain, single-quoted and block scalars do), otherwise
 * the scalar's range.
 */
const expressionCache = new WeakMap<Scalar, LocatedExpression[]>();

export function expressionsIn(yaml: YamlFile, node: Scalar): LocatedExpression[] {
  const value = typeof node.value === 'string' ? node.value : '';
  if (!value.includes('${{')) return [];
  // Several checks ask about the same scalars; parse and locate each one once per audit.
  const cached = expressionCache.get(node);
  if (cached) return cached;
  const located = locateExpressions(yaml, node, value);
  expressionCache.set(node, located);
  return located;
}

function locateExpressions(yaml: YamlFile, node: Scalar, value: string): LocatedExpression[] {
  const [start, end] = node.range ?? [0, 0];
  const source = yaml.text.slice(start, end);
  let cursor = 0;
  return findExpressions(value).map((span) => {
    const found = locate(source, value.slice(span.start, span.end), cursor);
    let range: SourceRange;
    if (!found) range = yaml.rangeOf(start, end);
    else {
      cursor = found.end;
      range = yaml.rangeOf(start + found.start, start + found.end);
    }
    // findExpressions' spans are fresh: extended in place, keys in the order a spread gave them.
    const located = span as LocatedExpression;
    located.range = range;
    located.paths = span.expr ? referencedPaths(span.expr) : [];
    return located;
  });
}

/**
 * Where `text` (taken from a scalar's value) stands in the scalar's source. Block scalars
 * re-indent continuation lines, so runs of white space may differ between the two.
 */
function locate(source: string, text: string, from: number): { start: number; end: number } | undefined {
  const at = source.indexOf(text, from);
  if (at !== -1) return { start: at, end: at + text.length };
  const pattern = text
    .trim()
    .split(/\s+/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const re = new RegExp(pattern, 'g');
  re.lastIndex = from;
  const m = re.exec(source);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}
