/**
 * The audit spread over worker threads, for repositories with many workflows. Three phases:
 *
 *  1. Workers audit the workflow files in batches (batch.ts): each lone workflow is parsed,
 *     modelled and checked by the per-file checks there, and comes back as findings, errors,
 *     its credential-map entries and a summary of its model (model/summary.ts). Its parsed
 *     document dies with the batch, so memory stays flat however many files there are.
 *  2. The main thread builds the model of what is left: the context files, the actions and the
 *     linked workflows (those connected by calls or local actions), and runs the per-file
 *     checks over it.
 *  3. The whole-repository checks run on the main thread over every workflow: the ones of
 *     phase 2 and the summaries of phase 1 (a summary parses its file again only if a check
 *     reads a YAML node of it). The GitHub look-ups happen here, before these checks.
 *
 * The union is finished once (runner.ts finishFindings), so the report is the one the
 * single-threaded audit gives; test/parallel.test.ts holds the two equal on the fixtures and
 * the corpus. A batch whose worker fails is audited on the main thread instead.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AuditSettings } from '../analysis/env.js';
import type { CredentialMapEntry } from '../analysis/secrets.js';
import { workflowCredentials } from '../analysis/secrets.js';
import { Memo } from '../analysis/memo.js';
import type { DiscoveredRepo, RepoFile } from '../loader/discover.js';
import { buildRepoModel, withWorkflows, type RepoModel } from '../model/repo.js';
import { hydrate } from '../model/summary.js';
import { buildWorkflow, type Workflow } from '../model/workflow.js';
import { parseYamlFile, YamlFile } from '../model/yaml.js';
import { CHECKS } from '../registry.js';
import type { AuditError, Finding, Fix, RepoIdentity } from '../types.js';
import type { Check } from '../check.js';
import type { AuditEnv } from '../analysis/env.js';
import { BatchAuditor, decodeFinding, looksAtWholeRepo, type BatchContext, type BatchResult, type LoneWorkflow } from './batch.js';
import { collectFindings } from './runner.js';
import { ResultCache } from './result-cache.js';
import type { CachedFile } from './result-cache.js';
import type { ParseCache } from '../model/cache.js';
import type { WorkerReply } from './worker.js';

export interface ParallelOptions {
  /** Worker threads to audit the workflow files; by default one per core, for large repositories only. */
  workers?: number;
  /** Fewer workflows than this are audited on one thread (default: 0 when `workers` is given, else AUTO_WORKFLOWS). */
  minWorkflows?: number;
  /** Each worker's old-generation heap in MB (default WORKER_HEAP_MB); a worker that needs more dies and this thread audits its batches. */
  workerHeapMb?: number;
}

const WORKER = new URL('./worker.js', import.meta.url);
/** Repositories at least this large get worker threads without being asked (see parallelWorkers). */
const AUTO_WORKFLOWS = 5_000;
/** Batches small enough to spread evenly, large enough that messages cost little. */
const BATCH_BYTES = 96 * 1024;
const BATCH_FILES = 48;
/**
 * Each worker's young generation. Parsing allocates many short-lived objects; 16 MB lets most of
 * a batch's die young, and each worker's peak stays small (10,000 workflows, two workers: 48 MB
 * gave 435-455 MiB peak, 16 MB 393-413 MiB, in the same time within the machine's noise).
 */
const YOUNG_GENERATION_MB = 16;
/**
 * Each worker's old generation. A worker keeps little from batch to batch (the context's parses),
 * so without a cap its collector let garbage pile up to a heap many times that: 10,000
 * workflows, two workers, 393-413 MiB peak uncapped, 348-360 MiB at 128 MB, in the same time;
 * no worker came near it (none died at 32 MB). Large files never reach a worker
 * (MAIN_THREAD_BYTES); one that still needs more dies with ERR_WORKER_OUT_OF_MEMORY, and this
 * thread audits what it held.
 */
const WORKER_HEAP_MB = 128;
/**
 * Files at least this large are audited on the main thread, not sent to a worker: a worker's
 * capped heap does not hold the model of a large file of hostile shape (thousands of jobs,
 * anchors, expressions: a 512 KiB one needed more than 256 MB), and a worker that died of it
 * would have spent the time for nothing. Realistic workflows are a few KiB.
 */
const MAIN_THREAD_BYTES = 256 * 1024;

/** Whether the audit can be split per file: workers know checks by id from the registry, so a caller's own check objects cannot be. */
export function canSplit(checks: readonly Check[]): boolean {
  return checks.every((c) => CHECKS.includes(c));
}

/**
 * How many workers an audit of these files should use; 0 for the single-threaded audit.
 *
 * Unless asked (`--threads`, `parallel.workers`), workers start only for repositories of
 * AUTO_WORKFLOWS workflows or more. Measured on 2 cores (an earlier build, with this thread
 * auditing beside one worker): 10,000 workflows audit in 13.0 s and 716 MiB with a worker against
 * 15.0 s and 968 MiB without; 1,000 in 2.6-3.0 s against 2.2-2.3 s. A single-threaded audit
 * already keeps 1.5 cores busy (V8 compiles and collects on helper threads), and a worker's
 * isolate compiles the same code again and its results must cross threads, so workers pay off
 * only once the per-file work dwarfs that.
 */
export function parallelWorkers(discovered: DiscoveredRepo, checks: readonly Check[], lazyFixes: boolean, opts: ParallelOptions | false | undefined): number {
  if (opts === false || lazyFixes || !canSplit(checks)) return 0;
  // Running from the TypeScript sources (the test runner) there is no compiled worker to start.
  if (WORKER.protocol !== 'file:' || !existsSync(fileURLToPath(WORKER))) return 0;
  const workflows = discovered.files.reduce((n, f) => n + (f.kind === 'workflow' ? 1 : 0), 0);
  if (opts?.workers !== undefined) return workflows >= (opts.minWorkflows ?? 0) ? Math.max(0, opts.workers) : 0;
  return workflows >= (opts?.minWorkflows ?? AUTO_WORKFLOWS) && os.availableParallelism() >= 2 ? workersForMachine() : 0;
}

/** Worker threads to ask for on this machine: one per core (this thread only keeps their results; see runBatches). */
export function workersForMachine(): number {
  return Math.max(1, os.availableParallelism());
}

export interface ParallelRun {
  model: RepoModel;
  env: AuditEnv;
  envErrors: AuditError[];
  findings: Finding[];
  /** Problems with the input (discovery's first, then per file in discovery order). */
  modelErrors: AuditError[];
  /** Checks that failed, each once. */
  checkErrors: AuditError[];
  /** Ids of checks that threw anywhere: none of their findings stand. */
  failed: string[];
  secrets: CredentialMapEntry[];
  fixFor(finding: Finding): Fix | { refused: string } | undefined;
  /** Workers that died (out of memory, a defect); this thread audited what they held. */
  lostWorkers: number;
}

/** A batch's result as this thread keeps it: findings decoded, workflows hydrated. */
interface Settled {
  findings: Finding[];
  /** The reason a finding has no fix, when its check refused one. */
  refusals: Map<Finding, string>;
  errors: AuditError[];
  failed: string[];
  lone: Map<string, { workflow: Workflow; credentials: CredentialMapEntry[] }>;
  linked: string[];
}

export async function collectInParallel(
  discovered: DiscoveredRepo,
  checks: readonly Check[],
  workers: number,
  setup: { identity?: RepoIdentity; now: Date; settings: AuditSettings; fileEnv: AuditEnv; lookups: boolean },
  makeEnv: (model: RepoModel) => Promise<{ env: AuditEnv; errors: AuditError[] }>,
  /** A session's per-file results (result-cache.ts): files whose result is kept are not audited again. */
  cache?: ResultCache,
  /** Parses of the files this thread audits (context, actions, linked workflows) kept across a session's audits. */
  parseCache?: ParseCache,
  /** Each worker's old-generation heap (ParallelOptions.workerHeapMb). */
  heapMb?: number,
): Promise<ParallelRun> {
  const isWorkflow = (f: RepoFile): boolean => f.kind === 'workflow';
  const context = discovered.files.filter((f) => f.kind !== 'workflow' && f.kind !== 'action');
  const batchContext: BatchContext = {
    root: discovered.root,
    vendorDirs: discovered.vendorDirs,
    ...(setup.identity ? { identity: setup.identity } : {}),
    context,
    checkIds: checks.map((c) => c.meta.id),
    lookups: setup.lookups,
    now: setup.now.getTime(),
    settings: setup.settings,
  };
  const workflowFiles = discovered.files.filter(isWorkflow);
  const byPath = new Map(workflowFiles.map((f) => [f.path, f]));
  // One copy of each repeated string across the summaries and the findings from the workers.
  const intern = new Map<string, string>();
  // A late parse (a check reading what a summary left out) reports into whichever audit is
  // current: a session's cache says which; a one-off audit's errors are its model's, made below.
  const sink = cache ?? { sink: [] as AuditError[], epoch: 0 };
  const hydrated = (file: RepoFile, summary: LoneWorkflow['summary']): Workflow =>
    hydrate(
      summary,
      () => {
        const parse = (): ReturnType<typeof parseYamlFile> => (parseCache ? parseCache.get(file.path, file.kind, file.text, () => parseYamlFile(file.path, file.text)) : parseYamlFile(file.path, file.text));
        return buildWorkflow(new YamlFile(file.path, file.text, sink.sink, parse()));
      },
      () => sink.epoch,
      intern,
    );
  let results: Settled[];
  let lostWorkers = 0;
  if (cache) {
    // One file per batch, so that each result is that file's alone and can be kept.
    const contextKey = ResultCache.contextKey(batchContext);
    const keys = workflowFiles.map((f) => cache.keyOf(contextKey, f));
    const found = keys.map((k) => cache.get(k));
    const misses = workflowFiles.filter((_, i) => !found[i]);
    const { results: fresh, lost } = await runBatches(batchContext, misses.map((f) => [f]), workers, (r) => r, heapMb);
    lostWorkers = lost;
    const fromBatch = new Map(misses.map((f, i) => [f.path, fresh[i]!]));
    results = workflowFiles.map((f, i) => {
      const mine = fromBatch.get(f.path);
      const entry = mine ? cache.set(keys[i]!, mine) : found[i]!;
      // A kept workflow is hydrated once, in the audit that first needs it, and kept with its result.
      entry.workflow ??= entry.result.lone[f.path] ? hydrated(f, entry.result.lone[f.path]!.summary) : undefined;
      entry.decoded ??= decoded(entry.result);
      return settle(entry.result, () => entry.workflow, entry.decoded);
    });
    cache.endAudit(new Set(byPath.keys()));
  } else {
    // Each result is settled as it arrives: its encoded findings are garbage at once, and its
    // summaries become workflows in place, rather than all waiting for the last batch.
    const run = await runBatches(batchContext, batchesOf(workflowFiles), workers, (r) => settle(r, (path) => hydrated(byPath.get(path)!, r.lone[path]!.summary)), heapMb);
    results = run.results;
    lostWorkers = run.lost;
  }
  function decoded(r: BatchResult): NonNullable<CachedFile['decoded']> {
    return r.findings.map((e, i) => ({ finding: decodeFinding(e, CHECKS, intern), refusal: r.refusals[i]! }));
  }
  /** @param kept the result's findings decoded already (a session's cache): each is copied, since the audit changes its own. */
  function settle(r: BatchResult, workflowOf: (path: string) => Workflow | undefined, kept?: CachedFile['decoded']): Settled {
    const findings: Finding[] = [];
    const refusals = new Map<Finding, string>();
    for (const { finding, refusal } of kept ?? decoded(r)) {
      const f = kept ? { ...finding } : finding;
      findings.push(f);
      if (refusal !== null) refusals.set(f, refusal);
    }
    const lone = new Map<string, { workflow: Workflow; credentials: CredentialMapEntry[] }>();
    for (const path of Object.keys(r.lone)) lone.set(path, { workflow: workflowOf(path)!, credentials: r.lone[path]!.credentials });
    return { findings, refusals, errors: r.errors, failed: r.failed, lone, linked: r.linked };
  }

  // Phase 2: context, actions and linked workflows, here.
  const linked = new Set(results.flatMap((r) => r.linked));
  const here = discovered.files.filter((f) => !isWorkflow(f) || linked.has(f.path));
  const base = buildRepoModel({ ...discovered, files: here }, setup.identity, parseCache);
  if (cache) cache.sink = base.errors;
  else sink.sink = base.errors;
  const fileChecks = checks.filter((c) => !looksAtWholeRepo(c, setup.lookups));
  const near = collectFindings(base, setup.fileEnv, fileChecks, { fixes: 'eager' });

  // Phase 3: every workflow, in discovery order, then the whole-repository checks.
  const lone = new Map(results.flatMap((r) => [...r.lone]));
  const parsedHere = new Map(base.workflows.map((w) => [w.file, w]));
  const workflows: Workflow[] = [];
  for (const file of workflowFiles) {
    const own = parsedHere.get(file.path);
    if (own) workflows.push(own);
    const mine = lone.get(file.path);
    if (mine) workflows.push(mine.workflow);
  }
  const model = withWorkflows(base, workflows, discovered.files);
  const { env, errors: envErrors } = await makeEnv(model);
  // Checks whose per-file answer this repository makes incomplete are asked again here, and their per-file findings dropped.
  const redo = new Set(checks.filter((c) => typeof c.meta.wholeRepo === 'function' && c.meta.wholeRepo(model)).map((c) => c.meta.id));
  const whole = collectFindings(model, env, checks.filter((c) => looksAtWholeRepo(c, setup.lookups) || redo.has(c.meta.id)), { fixes: 'eager' });
  const perFile = (f: Finding): boolean => !redo.has(f.check);

  const refusals = new Map<Finding, string>();
  const fromWorkers: Finding[] = [];
  for (const r of results) {
    for (const f of r.findings) fromWorkers.push(f);
    for (const [f, why] of r.refusals) refusals.set(f, why);
  }
  const memo = new Memo();
  const secrets = workflows.flatMap((wf) => lone.get(wf.file)?.credentials ?? workflowCredentials(model, wf, memo));
  return {
    model,
    env,
    envErrors,
    findings: [...fromWorkers.filter(perFile), ...near.findings.filter(perFile), ...whole.findings],
    modelErrors: inFileOrder(discovered, dedupe([...base.errors, ...results.flatMap((r) => r.errors.filter((e) => !e.check))])),
    checkErrors: dedupe([...results.flatMap((r) => r.errors.filter((e) => e.check)), ...near.errors, ...whole.errors]).filter((e, i, all) => all.findIndex((o) => o.check === e.check) === i),
    failed: [...new Set([...results.flatMap((r) => r.failed), ...near.failed, ...whole.failed])],
    secrets,
    lostWorkers,
    fixFor(finding) {
      const refused = refusals.get(finding);
      if (refused !== undefined) return { refused };
      return near.fixFor(finding) ?? whole.fixFor(finding) ?? finding.fix;
    },
  };
}

function batchesOf(files: RepoFile[]): RepoFile[][] {
  const out: RepoFile[][] = [];
  let current: RepoFile[] = [];
  let bytes = 0;
  for (const f of files) {
    // A large file is a batch of its own, which the main thread audits (runBatches).
    if (f.text.length >= MAIN_THREAD_BYTES) {
      out.push([f]);
      continue;
    }
    current.push(f);
    bytes += f.text.length;
    if (bytes >= BATCH_BYTES || current.length >= BATCH_FILES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Hands out the batches: each worker keeps two in hand, so it never waits for this thread to
 * answer. This thread audits only large files (MAIN_THREAD_BYTES) while workers run: it keeps
 * every result, and a thread that holds much and allocates fast is one whose collector lets the
 * heap grow most (measured on 10,000 workflows, 2 cores: this thread and one worker auditing,
 * 430-449 MiB peak; two workers and this thread only keeping their results, 393-413 MiB, in the
 * same time). A batch a worker fails on, or leaves behind when it dies, is audited here.
 */
async function runBatches<T>(ctx: BatchContext, batches: RepoFile[][], workers: number, settle: (r: BatchResult) => T, heapMb = WORKER_HEAP_MB): Promise<{ results: T[]; lost: number }> {
  const results: T[] = new Array(batches.length);
  let lost = 0;
  let local: BatchAuditor | undefined;
  const here = (i: number): void => {
    results[i] = settle((local ??= new BatchAuditor(ctx, CHECKS)).audit(batches[i]!));
  };
  // A file too large for a worker's capped heap is this thread's from the start (see MAIN_THREAD_BYTES).
  const big = (i: number): boolean => workers > 0 && batches[i]!.length === 1 && batches[i]![0]!.text.length >= MAIN_THREAD_BYTES;
  const queue = batches.map((_, i) => i).filter((i) => !big(i));
  let next = 0;
  const pool: Worker[] = [];
  const spawn = (): Worker => {
    const worker = new Worker(WORKER, { workerData: ctx, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, maxOldGenerationSizeMb: heapMb } });
    pool.push(worker);
    return worker;
  };
  // A worker that dies is replaced, as many times in all as there are workers: a defect that
  // kills every worker leaves the rest to this thread rather than starting workers forever.
  let replacements = workers;
  const drive = (worker: Worker): Promise<void> =>
    new Promise<void>((resolve) => {
      const held = new Set<number>();
      const give = (): void => {
        while (held.size < 2 && next < queue.length) {
          const i = queue[next++]!;
          held.add(i);
          worker.postMessage({ id: i, files: batches[i] });
        }
        if (held.size === 0) resolve();
      };
      worker.on('message', (reply: WorkerReply) => {
        held.delete(reply.id);
        if ('failure' in reply) here(reply.id);
        else results[reply.id] = settle(reply.result);
        give();
      });
      // A worker that dies (out of memory, a defect) leaves what it held to this thread. It
      // says so with 'error', or only with 'exit' if it stopped without one; either way once.
      let gone = false;
      const lose = (): void => {
        if (gone) return;
        gone = true;
        lost++;
        for (const i of held) here(i);
        held.clear();
        resolve(next < queue.length && replacements-- > 0 ? drive(spawn()) : undefined);
      };
      worker.on('error', lose);
      worker.on('exit', () => {
        if (held.size > 0 || next < queue.length) lose();
      });
      give();
    });
  try {
    const done = Promise.all(Array.from({ length: workers }, () => drive(spawn())));
    for (let i = 0; i < batches.length; i++) {
      if (!big(i)) continue;
      here(i);
      // Between large files, the workers' results come in (each worker holds two batches).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await done;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  for (let i = 0; i < batches.length; i++) if (!results[i]) here(i);
  return { results, lost };
}

/** Discovery's errors first, then each file's in discovery order, as the single-threaded model lists them. */
function inFileOrder(discovered: DiscoveredRepo, errors: AuditError[]): AuditError[] {
  const fromDiscovery = new Set(discovered.errors);
  const index = new Map(discovered.files.map((f, i) => [f.path, i]));
  const rank = (e: AuditError): number => (fromDiscovery.has(e) ? -1 : (index.get(e.file) ?? discovered.files.length));
  return errors.map((e, i) => [e, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([e]) => e);
}

function dedupe(errors: AuditError[]): AuditError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.file}\0${e.line ?? ''}\0${e.check ?? ''}\0${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
