/**
 * Gates: conditions that keep outsiders from starting the privileged part of a workflow. A job
 * is gated by its `if:` (the pull request was merged, the commenter's author_association, a
 * label only maintainers can add, a fixed actor id, a bot author), by a job it `needs` that is
 * gated, by a step before that fails unless the actor has write access, or, for a call of a
 * reusable workflow of this repository, by gates on every job of that workflow. Spoofable tests
 * (`github.actor` compared with a bot's name) are not gates.
 */
import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Star } from '@actions/expressions/ast';
import type { Expr } from '@actions/expressions';
import { TokenType } from '@actions/expressions/lexer';
import { parseExpression } from '../model/expressions.js';
import type { RepoModel } from '../model/repo.js';
import { conditionOf, type Job, type Step, type Workflow } from '../model/workflow.js';
import { scalarText, isSeq, type YamlFile, type YAMLMap } from '../model/yaml.js';
import { actionName } from './facts.js';
import { NO_MEMO, type Memo } from './memo.js';
import { localCallee } from './workflow-graph.js';

export interface Gate {
  /** What the gate is, quoting the source: "`github.event.pull_request.merged == true`". */
  text: string;
  /** Where it stands: "job `x`'s if:", "step 2 of job `x`", … */
  where: string;
}

const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** The `if:` condition of a job or step, as an expression source (with `${{ }}` removed). */
export function conditionText(yaml: YamlFile, node: YAMLMap): string | undefined {
  return conditionOf(yaml, node);
}

/** The gate an `if:` condition expresses, if any. */
export function conditionGate(source: string): string | undefined {
  const parsed = parseExpression(source);
  if (!parsed.expr) return undefined;
  return gateOf(parsed.expr, source);
}

function gateOf(e: Expr, source: string): string | undefined {
  if (e instanceof Grouping) return gateOf(e.group, source);
  if (e instanceof Logical) {
    const gates = e.args.map((a) => gateOf(a, source));
    if (e.operator.type === TokenType.AND) return gates.find((g) => g !== undefined);
    return gates.every((g) => g !== undefined) ? gates[0] : undefined;
  }
  if (e instanceof Binary && e.operator.type === TokenType.EQUAL_EQUAL) {
    const [path, lit] = pathAndLiteral(e.left, e.right);
    if (path !== undefined && lit) {
      const value = lit.literal.coerceString();
      const shown = `\`${show(e.left, source)} == ${show(e.right, source)}\``;
      if (path === 'github.event.pull_request.merged' && value === 'true') return shown;
      if (/^github\.event\.[a-z_]+\.author_association$/.test(path) && TRUSTED_ASSOCIATIONS.has(value)) return shown;
      if (path === 'github.event.label.name') return shown;
      if (/^github\.event\.(?:pull_request|issue)\.user\.login$/.test(path) && value.endsWith('[bot]')) return shown;
      if (/^github\.(?:actor_id|triggering_actor_id|event\.sender\.id|event\.comment\.user\.id|event\.pull_request\.user\.id)$/.test(path) && /^\d+$/.test(value)) return shown;
      if (path === 'github.event.pull_request.head.repo.fork' && value === 'false') return shown;
    }
    const l = accessPath(e.left);
    const r = accessPath(e.right);
    if ((l === 'github.event.pull_request.head.repo.full_name' && r === 'github.repository') || (r === 'github.event.pull_request.head.repo.full_name' && l === 'github.repository')) {
      return `\`${show(e.left, source)} == ${show(e.right, source)}\``;
    }
    return undefined;
  }
  if (e instanceof FunctionCall) {
    const fn = e.functionName.lexeme.toLowerCase();
    const paths = e.args.map(innerPath);
    if ((fn === 'contains' || fn === 'startswith') && /^github\.event\.(?:pull_request|issue|discussion)\.labels\.\*\.name$/.test(paths[0] ?? '')) return `\`${show(e, source)}\``;
    if (fn === 'startswith' && paths[0] === 'github.event.label.name') return `\`${show(e, source)}\``;
    if (fn === 'contains' && /^github\.event\.[a-z_]+\.author_association$/.test(paths[1] ?? '')) {
      const listed = literalsIn(e.args[0]!);
      if (listed.length > 0 && listed.every((v) => TRUSTED_ASSOCIATIONS.has(v))) return `\`${show(e, source)}\``;
    }
  }
  return undefined;
}

function pathAndLiteral(a: Expr, b: Expr): [string | undefined, Literal | undefined] {
  if (b instanceof Literal) return [accessPath(a), b];
  if (a instanceof Literal) return [accessPath(b), a];
  return [undefined, undefined];
}

/** The path an argument reads, looking through toJSON(). */
function innerPath(e: Expr): string | undefined {
  if (e instanceof FunctionCall && e.functionName.lexeme.toLowerCase() === 'tojson' && e.args[0]) return innerPath(e.args[0]);
  return accessPath(e);
}

/** String literals in an argument (`fromJSON('["OWNER","MEMBER"]')` included). */
function literalsIn(e: Expr): string[] {
  if (e instanceof Literal) {
    const s = e.literal.coerceString();
    try {
      const v: unknown = JSON.parse(s);
      if (Array.isArray(v)) return v.map(String);
    } catch {
      // a plain string
    }
    return [s];
  }
  if (e instanceof FunctionCall) return e.args.flatMap(literalsIn);
  return [];
}

function accessPath(e: Expr): string | undefined {
  if (e instanceof ContextAccess) return e.name.lexeme.toLowerCase();
  if (e instanceof IndexAccess) {
    const base = accessPath(e.expr);
    if (base === undefined) return undefined;
    if (e.index instanceof Star) return `${base}.*`;
    if (e.index instanceof Literal) return `${base}.${e.index.literal.coerceString().toLowerCase()}`;
  }
  return undefined;
}

/** An expression shown as written: paths keep the case they have in the source. */
function show(e: Expr, source: string): string {
  if (e instanceof Literal) return e.token.lexeme;
  if (e instanceof Grouping) return `(${show(e.group, source)})`;
  if (e instanceof FunctionCall) return `${e.functionName.lexeme}(${e.args.map((a) => show(a, source)).join(', ')})`;
  if (e instanceof Binary) return `${show(e.left, source)} ${e.operator.lexeme} ${show(e.right, source)}`;
  const path = accessPath(e);
  if (path !== undefined) return asWritten(source, path);
  return '…';
}

/** A dotted path as the source spells it (`inputs.TARGET_VERSION`), found case-insensitively. */
export function asWritten(source: string, path: string): string {
  const m = pathPattern(path).exec(source);
  return m ? m[0] : path;
}

/**
 * The pattern of a path, compiled once per path: every tainted or secret expression asks, and
 * the same few paths recur in every workflow. Emptied when full, so it holds a bounded number.
 * (Not global or sticky, so exec keeps no state between sources.)
 */
const pathPatterns = new Map<string, RegExp>();

function pathPattern(path: string): RegExp {
  let re = pathPatterns.get(path);
  if (re) return re;
  const pattern = path
    .split('.')
    .map((seg) => (seg === '*' ? '\\*' : seg === '?' ? '[^\\s.]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('\\s*\\.\\s*');
  re = new RegExp(pattern, 'i');
  if (pathPatterns.size >= 4_096) pathPatterns.clear();
  pathPatterns.set(path, re);
  return re;
}

const PERMISSION_ACTIONS = [/slash-command/, /check-user-permission/, /check-actor-permission/, /repository-permission/, /repo-permission-check/, /permission-check/];

/** A step that fails the job unless the actor may write to the repository. */
export function permissionCheckStep(step: Step): string | undefined {
  const name = actionName(step) ?? '';
  const label = step.name ? `step \`${step.name}\`` : `step ${step.index + 1}`;
  if (PERMISSION_ACTIONS.some((re) => re.test(name))) {
    const level = (step.with.get('permission-level') ?? step.with.get('permission') ?? step.with.get('require'))?.value.trim().toLowerCase();
    if (level === undefined || level === 'write' || level === 'maintain' || level === 'admin') {
      return `${label} (${step.uses!.raw.split('@')[0]}${level ? ` with \`permission-level: ${level}\`` : ''}) checks the actor's permission`;
    }
    return undefined;
  }
  if (name === 'actions/github-script') {
    const script = step.with.get('script')?.value ?? '';
    if (/getCollaboratorPermissionLevel|checkCollaborator\b/.test(script) && /\bthrow\b|setFailed/.test(script)) return `${label} checks the actor's permission with getCollaboratorPermissionLevel`;
  }
  const run = step.run?.value ?? '';
  if (/collaborators\/[^\s/]+\/permission/.test(run) && /\bexit\s+1\b/.test(run)) return `${label} checks the actor's permission through the collaborators API`;
  return undefined;
}

export interface JobGates {
  /** A gate on the whole job. */
  job?: Gate;
  /** Gates that hold from a step on (index of the first gated step). */
  steps: Array<{ from: number; gate: Gate }>;
}

/** The gates of a job, once per audit. */
export function jobGates(repo: RepoModel, wf: Workflow, job: Job, memo: Memo = NO_MEMO): JobGates {
  return memo.get('job-gates', job, () => computeJobGates(repo, wf, job, memo, new Set()));
}

function computeJobGates(repo: RepoModel, wf: Workflow, job: Job, memo: Memo, seen: Set<Job>): JobGates {
  seen.add(job);
  const steps: JobGates['steps'] = [];
  job.steps.forEach((s) => {
    const g = permissionCheckStep(s);
    if (g) steps.push({ from: s.index + 1, gate: { text: g, where: `job \`${job.id}\`` } });
  });
  const cond = conditionText(wf.yaml, job.node);
  if (cond !== undefined) {
    const g = conditionGate(cond);
    if (g) return { job: { text: g, where: `job \`${job.id}\`'s \`if:\`` }, steps };
  }
  if (cond === undefined || !/\b(?:always|failure|cancelled)\s*\(/.test(cond)) {
    for (const need of needsOf(wf, job)) {
      const other = wf.jobs.find((j) => j.id === need);
      if (!other || seen.has(other)) continue;
      const g = computeJobGates(repo, wf, other, memo, seen);
      if (g.job) return { job: { text: g.job.text, where: `job \`${other.id}\`, which job \`${job.id}\` needs` }, steps };
    }
  }
  const callee = localCallee(repo, job);
  if (callee && callee.jobs.length > 0) {
    const gates = callee.jobs.map((j) => computeJobGates(repo, callee, j, memo, new Set()));
    if (gates.every((g) => g.job || g.steps.some((s) => s.from <= 1))) {
      const first = gates[0]!;
      const g = first.job ?? first.steps[0]!.gate;
      return { job: { text: g.text, where: `the called workflow ${callee.file}` }, steps };
    }
  }
  return { steps };
}

export function needsOf(wf: Workflow, job: Job): string[] {
  const n = wf.yaml.get(job.node, 'needs');
  if (isSeq(n)) return wf.yaml.items(n).map(scalarText).filter((s): s is string => !!s);
  const one = scalarText(n);
  return one ? [one] : [];
}

/** The gate in force at a step of a job (stepIndex undefined: the job as a whole). */
export function gateAt(gates: JobGates, stepIndex?: number): Gate | undefined {
  if (gates.job) return gates.job;
  if (stepIndex === undefined) return undefined;
  return gates.steps.find((s) => s.from <= stepIndex)?.gate;
}

export function describeGate(g: Gate): string {
  return g.text.startsWith('`') ? `${g.where} requires ${g.text}` : `${g.text} in ${g.where}`;
}
