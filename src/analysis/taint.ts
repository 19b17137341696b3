/**
 * Which `${{ }}` context paths carry text that someone outside the project controls, directly
 * (`github.event.comment.body`) or through a step boundary: a step's outputs written from such
 * text (`$GITHUB_OUTPUT`, `core.setOutput`, an action known to pass it on), a job's outputs,
 * `$GITHUB_ENV`, the inputs of a reusable workflow whose caller passes such text, followed
 * within a workflow and across the calls of this repository's reusable workflows.
 */
import { segmentsMatch, valuePaths } from '../model/expressions.js';
import type { RepoModel } from '../model/repo.js';
import { expressionsIn, type Job, type Step, type Workflow } from '../model/workflow.js';
import { isMap, type YamlFile } from '../model/yaml.js';
import type { SourceRange } from '../types.js';
import { actionName } from './facts.js';
import { asWritten, needsOf } from './gates.js';
import { NO_MEMO, type Memo } from './memo.js';
import { workflowGraph } from './workflow-graph.js';

const ATTACKER_CONTROLLED = [
  'github.head_ref',
  'github.event.issue.title',
  'github.event.issue.body',
  'github.event.pull_request.title',
  'github.event.pull_request.body',
  'github.event.pull_request.head.ref',
  'github.event.pull_request.head.label',
  'github.event.pull_request.head.repo.default_branch',
  'github.event.pull_request.head.repo.description',
  'github.event.pull_request.head.repo.homepage',
  'github.event.comment.body',
  'github.event.review.body',
  'github.event.review_comment.body',
  'github.event.discussion.title',
  'github.event.discussion.body',
  'github.event.pages.*.page_name',
  'github.event.commits.*.message',
  'github.event.commits.*.author.email',
  'github.event.commits.*.author.name',
  'github.event.commits.*.committer.email',
  'github.event.commits.*.committer.name',
  'github.event.head_commit.message',
  'github.event.head_commit.author.email',
  'github.event.head_commit.author.name',
  'github.event.head_commit.committer.email',
  'github.event.head_commit.committer.name',
  'github.event.workflow_run.head_branch',
  'github.event.workflow_run.display_title',
  'github.event.workflow_run.head_commit.message',
  'github.event.workflow_run.head_commit.author.email',
  'github.event.workflow_run.head_commit.author.name',
  'github.event.workflow_run.pull_requests.*.head.ref',
  'github.event.workflow_run.head_repository.description',
];

/** Dumping a whole attacker-influenced object (toJSON(github.event)) is as bad as its fields. */
const ATTACKER_OBJECTS = ['github.event', 'github.event.issue', 'github.event.pull_request', 'github.event.comment', 'github.event.review', 'github.event.head_commit', 'github.event.workflow_run', 'github.event.discussion'];

const PATTERNS = ATTACKER_CONTROLLED.map((p) => p.split('.'));

export function isAttackerControlled(path: string): boolean {
  if (!path.startsWith('github.')) return false;
  // The same few github.* paths are asked about in every workflow: each is matched against the patterns once.
  let known = attackerControlled.get(path);
  if (known === undefined) {
    const segments = path.split('.');
    known = PATTERNS.some((p) => segmentsMatch(segments, p)) || ATTACKER_OBJECTS.includes(path);
    if (attackerControlled.size >= 4_096) attackerControlled.clear();
    attackerControlled.set(path, known);
  }
  return known;
}

/** isAttackerControlled's answers by path; emptied when full, so bounded. */
const attackerControlled = new Map<string, boolean>();

/** Actions whose outputs carry a pull request's branch name or a comment's text. */
const TAINTING_ACTIONS: Record<string, { outputs: string[] | '*'; what: string }> = {
  'tj-actions/branch-names': { outputs: '*', what: 'the branch name' },
  'xt0rted/pull-request-comment-branch': { outputs: ['head_ref'], what: "the pull request's head branch" },
  'peter-evans/find-comment': { outputs: ['comment-body'], what: 'a comment body' },
};

/** Where attacker text comes from, and the steps it crossed to get here. */
export interface Taint {
  /** The attacker-controlled source, as written (`github.event.comment.body`). */
  source: string;
  /** Each hop, outermost first: "step `branch` writes it to $GITHUB_OUTPUT". */
  hops: string[];
  file: string;
  range: SourceRange;
}

interface WorkflowTaint {
  steps: Map<Job, Map<string, Map<string, Taint>>>;
  env: Map<Job, Array<{ from: number; name: string; taint: Taint }>>;
  jobOutputs: Map<string, Map<string, Taint>>;
  inputs: Map<string, Taint>;
}

/** Resolves a context path read at a point of a workflow (job, step index) to the attacker text it may carry. */
export function taintOf(repo: RepoModel, wf: Workflow, job: Job | undefined, stepIndex: number | undefined, path: string, memo: Memo = NO_MEMO): Taint | undefined {
  // Attacker text itself, or a path no step, job, env or input flow reaches: resolve reads nothing
  // of the workflow's taint, so it is not worked out for it (most scripts read only such paths).
  if ((isAttackerControlled(path) || !FLOW_PATH.test(path)) && flowUnobservable(repo, wf, memo)) return resolve(NO_FLOW, wf, job, stepIndex, path, undefined);
  const t = workflowTaint(repo, wf, memo, new Set());
  return resolve(t, wf, job, stepIndex, path, undefined);
}

/** The paths resolve looks up in a workflow's taint (a superset: the same four patterns). */
const FLOW_PATH = /^(?:steps\.[^.]+\.outputs\.[^.]+|needs\.[^.]+\.outputs\.[^.]+|env\.[^.]+|(?:inputs|github\.event\.inputs)\.[^.]+)$/;

const NO_FLOW: WorkflowTaint = { steps: new Map(), env: new Map(), jobOutputs: new Map(), inputs: new Map() };

/**
 * Whether leaving a workflow's taint unworked changes nothing but time: working it out reads no
 * other file (no callers), resolves no alias (so spends none of the YAML alias budget), and
 * cannot throw (the script-variable patterns are built from env names; only plain names are
 * known safe). Otherwise the taint is worked out on first request, as it always was.
 */
function flowUnobservable(repo: RepoModel, wf: Workflow, memo: Memo): boolean {
  return memo.get('taint-skippable', wf, () => {
    const plain = (env: Map<string, unknown>): boolean => {
      for (const name of env.keys()) if (!/^[A-Za-z0-9_-]*$/.test(name)) return false;
      return true;
    };
    if (!plain(wf.env) || wf.jobs.some((j) => !plain(j.env) || j.steps.some((s) => !plain(s.env)))) return false;
    return workflowGraph(repo, memo).callers(wf).length === 0 && !wf.yaml.hasAliases;
  });
}

function resolve(t: WorkflowTaint, wf: Workflow, job: Job | undefined, stepIndex: number | undefined, path: string, range: SourceRange | undefined): Taint | undefined {
  if (isAttackerControlled(path)) return { source: path, hops: [], file: wf.file, range: range ?? { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } };
  let m = /^steps\.([^.]+)\.outputs\.([^.]+)$/.exec(path);
  if (m && job) {
    const outs = t.steps.get(job)?.get(m[1]!);
    return outs?.get(m[2]!) ?? outs?.get('*');
  }
  m = /^needs\.([^.]+)\.outputs\.([^.]+)$/.exec(path);
  if (m) return t.jobOutputs.get(m[1]!)?.get(m[2]!);
  m = /^env\.([^.]+)$/.exec(path);
  if (m && job) return t.env.get(job)?.find((e) => e.name === m![1] && (stepIndex === undefined || e.from < stepIndex))?.taint;
  m = /^(?:inputs|github\.event\.inputs)\.([^.]+)$/.exec(path);
  if (m) return t.inputs.get(m[1]!);
  return undefined;
}

function hop(t: Taint, text: string): Taint {
  // A Taint's four keys, in their order, without a spread.
  return { source: t.source, hops: [...t.hops, text], file: t.file, range: t.range };
}

/** The first tainted path among an expression-bearing scalar's values. */
function taintIn(t: WorkflowTaint, wf: Workflow, yaml: YamlFile, job: Job | undefined, stepIndex: number | undefined, node: Parameters<typeof expressionsIn>[1]): Taint | undefined {
  for (const expr of expressionsIn(yaml, node)) {
    if (!expr.expr) continue;
    for (const p of valuePaths(expr.expr)) {
      const hit = resolve(t, wf, job, stepIndex, p, expr.range);
      if (hit) return hit.hops.length === 0 ? { source: asWritten(expr.inner, p), hops: hit.hops, file: hit.file, range: expr.range } : hit;
    }
  }
  return undefined;
}

function workflowTaint(repo: RepoModel, wf: Workflow, memo: Memo, visiting: Set<Workflow>): WorkflowTaint {
  const key = visiting.size === 0 ? 'taint' : 'taint-nested';
  if (visiting.has(wf)) return { steps: new Map(), env: new Map(), jobOutputs: new Map(), inputs: new Map() };
  return memo.get(key, wf, () => {
    visiting.add(wf);
    const t: WorkflowTaint = { steps: new Map(), env: new Map(), jobOutputs: new Map(), inputs: new Map() };
    // Inputs of a reusable workflow are tainted where a caller fills them with tainted text.
    for (const edge of workflowGraph(repo, memo).callers(wf)) {
      const ct = workflowTaint(repo, edge.caller, memo, visiting);
      for (const [input, value] of edge.job.with) {
        const hit = taintIn(ct, edge.caller, edge.caller.yaml, edge.job, undefined, value.node);
        if (hit && !t.inputs.has(input.toLowerCase())) t.inputs.set(input.toLowerCase(), hop(hit, `${edge.caller.file} passes it as input \`${input}\``));
      }
    }
    // Jobs in `needs` order; two passes settle chains declared out of order.
    for (let pass = 0; pass < 2; pass++) {
      for (const job of wf.jobs) {
        if (pass === 1 && needsOf(wf, job).length === 0) continue;
        const outs = new Map<string, Map<string, Taint>>();
        t.steps.set(job, outs);
        const env: Array<{ from: number; name: string; taint: Taint }> = [];
        t.env.set(job, env);
        for (const [name, value] of [...wf.env, ...job.env]) {
          const hit = taintIn(t, wf, wf.yaml, job, undefined, value.node);
          if (hit) env.push({ from: -1, name, taint: hit });
        }
        for (const step of job.steps) stepTaint(t, wf, job, step, outs, env);
        const jobOuts = wf.yaml.get(job.node, 'outputs');
        const map = new Map<string, Taint>();
        if (isMap(jobOuts)) {
          for (const { key, value } of wf.yaml.entries(jobOuts)) {
            const v = isMap(value) ? wf.yaml.get(value, 'value') : value;
            if (!v || !('value' in v) || typeof v.value !== 'string') continue;
            const hit = taintIn(t, wf, wf.yaml, job, job.steps.length, v as never);
            if (hit) map.set(key, hop(hit, `job \`${job.id}\` exposes it as output \`${key}\``));
          }
        }
        t.jobOutputs.set(job.id, map);
      }
    }
    visiting.delete(wf);
    return t;
  });
}

/** A step's taint: what it reads, and which of its outputs and env writes carry it on. */
function stepTaint(t: WorkflowTaint, wf: Workflow, job: Job, step: Step, outs: Map<string, Map<string, Taint>>, env: Array<{ from: number; name: string; taint: Taint }>): void {
  const label = step.id ? `step \`${step.id}\`` : `step ${step.index + 1}`;
  const name = actionName(step);
  if (step.id && name && TAINTING_ACTIONS[name]) {
    const known = TAINTING_ACTIONS[name]!;
    const map = new Map<string, Taint>();
    const origin: Taint = { source: `${step.uses!.raw.split('@')[0]} outputs (${known.what})`, hops: [], file: wf.file, range: step.uses!.range };
    for (const o of known.outputs === '*' ? ['*'] : known.outputs) map.set(o, origin);
    outs.set(step.id, map);
    return;
  }
  // Shell variables that hold tainted text: the step's env, then assignments in the script.
  const vars = new Map<string, Taint>();
  for (const [k, v] of step.env) {
    const hit = taintIn(t, wf, wf.yaml, job, step.index, v.node);
    if (hit) vars.set(k, hit);
  }
  for (const e of env) if (e.from < step.index) vars.set(e.name, e.taint);
  const script = step.run ?? (name === 'actions/github-script' ? step.with.get('script') : undefined);
  if (!script) return;
  const lines = script.value.split('\n');
  const expressionTaint = taintIn(t, wf, wf.yaml, job, step.index, script.node);
  const lineTaint = (line: string): Taint | undefined => {
    if (expressionTaint && line.includes('${{') && lineHasTaintedExpression(t, wf, job, step, line)) return expressionTaint;
    for (const [v, taint] of vars) if (new RegExp(`\\$\\{?${v}\\b|process\\.env\\.${v}\\b|env\\.${v}\\b`).test(line)) return taint;
    return undefined;
  };
  const outputs = new Map<string, Taint>();
  let inBlock: 'output' | 'env' | undefined;
  // `{ … } >> "$GITHUB_OUTPUT"` blocks: find where each starts.
  const blockTarget: Array<'output' | 'env' | undefined> = lines.map(() => undefined);
  for (let i = lines.length - 1, target: 'output' | 'env' | undefined; i >= 0; i--) {
    const line = lines[i]!;
    if (/^\s*\}\s*>>\s*"?\$\{?GITHUB_OUTPUT/.test(line)) target = 'output';
    else if (/^\s*\}\s*>>\s*"?\$\{?GITHUB_ENV/.test(line)) target = 'env';
    else if (/^\s*\{\s*$/.test(line)) {
      blockTarget[i] = target;
      target = undefined;
      continue;
    }
    blockTarget[i] = target;
  }
  lines.forEach((line, i) => {
    inBlock = blockTarget[i];
    const assign = /^\s*(?:export\s+|local\s+|declare\s+)?([A-Za-z_]\w*)=(.*)$/.exec(line);
    if (assign && !/GITHUB_(?:OUTPUT|ENV)/.test(line)) {
      const hit = lineTaint(assign[2]!);
      if (hit) vars.set(assign[1]!, hit);
    }
    const toOutput = /GITHUB_OUTPUT/.test(line) || inBlock === 'output';
    const toEnv = /GITHUB_ENV/.test(line) || inBlock === 'env';
    const setOutput = /core\.setOutput\(\s*['"`]([\w-]+)['"`]/.exec(line);
    if (setOutput) {
      const hit = lineTaint(line) ?? expressionTaint ?? [...vars.values()][0];
      if (hit) outputs.set(setOutput[1]!, hop(hit, `${label} sets it as output \`${setOutput[1]}\``));
      return;
    }
    if (!toOutput && !toEnv) return;
    const hit = lineTaint(line);
    if (!hit) return;
    for (const m of line.matchAll(/(?:^|["'\s])([A-Za-z_][\w-]*)=/g)) {
      const key = m[1]!;
      if (key === 'GITHUB_OUTPUT' || key === 'GITHUB_ENV') continue;
      if (toOutput) outputs.set(key, hop(hit, `${label} writes it to $GITHUB_OUTPUT as \`${key}\``));
      else env.push({ from: step.index, name: key, taint: hop(hit, `${label} writes it to $GITHUB_ENV as \`${key}\``) });
    }
  });
  if (name === 'actions/github-script' && expressionTaint) outputs.set('result', hop(expressionTaint, `${label} returns it as \`result\``));
  if (step.id && outputs.size) outs.set(step.id, outputs);
}

function lineHasTaintedExpression(t: WorkflowTaint, wf: Workflow, job: Job, step: Step, line: string): boolean {
  for (const m of line.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    const inner = m[1]!.trim();
    for (const p of inner.split(/[^\w.*-]+/).filter(Boolean)) {
      if (resolve(t, wf, job, step.index, p.toLowerCase(), undefined)) return true;
    }
  }
  return false;
}

/** Describes a taint for a message: "carries `github.event.comment.body` (step `b` writes it to $GITHUB_OUTPUT as `branch`)". */
export function describeTaint(t: Taint): string {
  return `carries \`${t.source}\`${t.hops.length ? ` (${t.hops.join('; ')})` : ''}`;
}
