import type { Check } from '../src/check.js';
import { isCheckout, runsCommand, usesAction } from '../src/analysis/facts.js';
import { asWritten, describeGate, gateAt, jobGates } from '../src/analysis/gates.js';
import type { Memo } from '../src/analysis/memo.js';
import { distinctNames, isTokenSecret, secretUsesInJob } from '../src/analysis/secrets.js';
import { taintOf } from '../src/analysis/taint.js';
import { callerLocation, reachingEvents, workflowGraph } from '../src/analysis/workflow-graph.js';
import { valuePaths } from '../src/model/expressions.js';
import type { RepoModel } from '../src/model/repo.js';
import { expressionsIn, type Job, type Step, type Workflow } from '../src/model/workflow.js';
import type { YamlFile } from '../src/model/yaml.js';
import type { Severity, SourceRange } from '../src/types.js';

const DANGEROUS = new Set(['pull_request_target', 'workflow_run']);

/** Context paths that name the untrusted head of a pull request or triggering run. */
const HEAD_PATHS = [
  /^github\.event\.pull_request\.head\./,
  /^github\.event\.pull_request\.merge_commit_sha$/,
  /^github\.head_ref$/,
  /^github\.event\.workflow_run\.head_(?:sha|branch|commit\.id)$/,
  /^github\.event\.workflow_run\.head_repository\./,
  /^github\.event\.workflow_run\.pull_requests\.\*\.head\./,
  /^github\.event\.(?:number|pull_request\.number)$/,
];

export const dangerousTrigger: Check = {
  meta: {
    id: 'dangerous-trigger',
    title: 'Privileged trigger that can run untrusted code',
    area: 'triggers',
    severity: 'high',
    description:
      '`pull_request_target` or `workflow_run` triggers (also reaching a reusable workflow through its callers): critical when untrusted code is checked out and run, low or info when nothing untrusted can run or a gate limits who can start it.',
    why:
      'These triggers run in the base repository\'s context, with a write token and the repository\'s secrets, on events a ' +
      'fork can cause. Checking out the fork\'s code there and building or testing it ("pwn request") gives the fork\'s author ' +
      'code execution with those secrets. Even without a checkout, they widen what any injection or compromised action can reach.',
    howToFix:
      'Use `pull_request` for anything that builds or tests contributed code. If a privileged follow-up is needed (labelling, ' +
      'commenting), split it: an unprivileged `pull_request` workflow uploads results, a `workflow_run` workflow reads them as data ' +
      'and never executes them. Never check out `github.event.pull_request.head` in a privileged workflow.',
    example:
      'on:\n-  pull_request_target:\n+  pull_request:\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@<sha> # v4.2.2',
    fixable: false,
  },
  workflow(wf, { repo, memo, report }) {
    const reaching = reachingEvents(repo, wf, memo).filter((e) => DANGEROUS.has(e.event));
    if (reaching.length === 0) return;
    const own = wf.triggers.filter((t) => DANGEROUS.has(t.event));
    const inheritedEdge = reaching.find((e) => e.via.length > 0);
    const events = [...new Set(reaching.map((e) => (e.via.length ? `${e.event} (via ${e.origin.file})` : e.event)))].join(' and ');
    const related = inheritedEdge ? [callerLocation(inheritedEdge.via.at(-1)!, `calls this workflow from a workflow run by ${inheritedEdge.event}`)] : undefined;
    let reported = false;
    for (const job of wf.jobs) {
      const gates = jobGates(repo, wf, job, memo);
      for (const hit of untrustedCheckouts(wf.yaml, job)) {
        const gate = gateAt(gates, hit.step);
        reported = true;
        const runner = job.steps[hit.runner]!;
        const runs = `step ${hit.runner + 1} (${runner.run ? `\`${firstLine(runner.run.value)}\`` : `\`${runner.uses?.raw}\``})`;
        const severity: Severity = gate ? (hit.subdir ? 'low' : 'medium') : hit.subdir ? 'high' : 'critical';
        report({
          file: wf.file,
          range: hit.range,
          severity,
          confidence: hit.subdir ? 'medium' : 'high',
          messageId: hit.subdir ? 'untrusted-checkout-subdir' : 'untrusted-checkout-run',
          message:
            (hit.subdir
              ? `job \`${job.id}\` checks out untrusted code (\`${hit.what}\`) into \`${hit.subdir}\` in a workflow run by ${events}; ${runs} must treat it strictly as data`
              : `job \`${job.id}\` checks out untrusted code (\`${hit.what}\`) in a workflow run by ${events}, then runs it in ${runs}`) +
            (gate ? `; only when ${describeGate(gate)}` : ''),
          ...(related ? { related } : {}),
        });
      }
    }
    // A checkout that runs untrusted code was reported where it happens, with its gate.
    if (reported || own.length === 0) return;
    // No untrusted checkout runs: grade the trigger by what can run and who can start it.
    const family = [wf, ...workflowGraph(repo, memo).callees(wf).map((e) => e.callee)];
    const checkoutsInCallees = family.slice(1).some((w) => w.jobs.some((j) => untrustedCheckouts(w.yaml, j).length > 0));
    if (checkoutsInCallees) return;
    const injected = firstInjection(repo, wf, memo);
    const jobs = wf.jobs;
    const gated = jobs.length > 0 ? jobs.map((j) => jobGates(repo, wf, j, memo).job) : [];
    const allGated = gated.length > 0 && gated.every((g) => g !== undefined);
    const baseOnly = jobs.some((j) => j.steps.some(isCheckout)) ? '; its checkouts are of the base branch' : '';
    const token = tokenDescription(wf);
    const secrets = distinctNames(jobs.flatMap((j) => secretUsesInJob(wf, j, memo)).filter((u) => !isTokenSecret(u.name)));
    const holds = `${token}${secrets.length ? ` and reads ${secrets.map((n) => `\`${n}\``).join(', ')}` : ''}`;
    for (const t of own) {
      const severity: Severity = injected ? (allGated ? 'low' : 'medium') : allGated ? 'info' : 'low';
      const what = injected
        ? `job \`${injected.job}\` expands \`${injected.path}\` into a script (step ${injected.step + 1})`
        : `no job checks out the ${t.event === 'pull_request_target' ? "pull request's head" : "triggering run's head"} or expands its text into a script${baseOnly}`;
      const guard = allGated ? `; ${describeGate(gated[0]!)}${gated.length > 1 ? ` (and every other job is gated)` : ''}` : '';
      report({
        file: wf.file,
        range: t.range,
        severity,
        confidence: 'medium',
        messageId: t.event === 'pull_request_target' ? 'pull-request-target' : 'workflow-run',
        message:
          t.event === 'pull_request_target'
            ? `\`pull_request_target\` runs on events from forks with ${holds}; ${what}${guard}`
            : `\`workflow_run\` runs after workflows that forks can trigger, with ${holds}; ${what}${guard}; treat their artifacts as untrusted data`,
      });
    }
  },
};

function firstLine(s: string): string {
  const l = s.trim().split('\n')[0]!.trim();
  return l.length > 60 ? `${l.slice(0, 57)}...` : l;
}

/** What the token can do, as the workflow's `permissions:` say. */
function tokenDescription(wf: Workflow): string {
  const writes = new Set<string>();
  let undeclared = false;
  for (const job of wf.jobs) {
    if (job.uses) continue;
    const p = job.permissions ?? wf.permissions;
    if (!p) undeclared = true;
    else if (p.kind === 'write-all') writes.add('every scope');
    else for (const s of p.scopes) if (s.level === 'write') writes.add(`\`${s.scope}\``);
  }
  if (writes.size) return `a token that can write ${[...writes].join(', ')}`;
  if (undeclared) return "the repository's default token permissions";
  return 'a read-only token';
}

/** The first attacker-controlled text expanded into a run: or github-script script: of the workflow. */
function firstInjection(repo: RepoModel, wf: Workflow, memo: Memo): { job: string; step: number; path: string } | undefined {
  for (const job of wf.jobs) {
    for (const step of job.steps) {
      const script = step.run ?? (usesAction(step, 'actions/github-script') ? step.with.get('script') : undefined);
      if (!script) continue;
      for (const expr of expressionsIn(wf.yaml, script.node)) {
        if (!expr.expr) continue;
        const p = valuePaths(expr.expr).find((path) => taintOf(repo, wf, job, step.index, path, memo));
        if (p) return { job: job.id, step: step.index, path: asWritten(expr.inner, p) };
      }
    }
  }
  return undefined;
}

interface UntrustedCheckout {
  range: SourceRange;
  what: string;
  /** Index of the checkout step. */
  step: number;
  /** Index of the first later step that executes something. */
  runner: number;
  /** The checkout's `path:`, when the code lands outside the workspace root. */
  subdir?: string;
}

function untrustedCheckouts(yaml: YamlFile, job: Job): UntrustedCheckout[] {
  const out: UntrustedCheckout[] = [];
  job.steps.forEach((step, i) => {
    const hit = headReference(yaml, step);
    if (!hit) return;
    const runner = job.steps.findIndex((s, j) => j > i && executes(s));
    if (runner !== -1) out.push({ ...hit, step: i, runner });
  });
  return out;
}

function headReference(yaml: YamlFile, step: Step): { range: SourceRange; what: string; subdir?: string } | undefined {
  if (isCheckout(step)) {
    const dir = step.with.get('path')?.value.trim().replace(/^\.\/|\/$/g, '');
    for (const key of ['ref', 'repository']) {
      const value = step.with.get(key);
      if (!value) continue;
      for (const expr of expressionsIn(yaml, value.node)) {
        const path = expr.paths.find((p) => HEAD_PATHS.some((re) => re.test(p)));
        if (path) return { range: expr.range, what: asWritten(expr.inner, path), ...(dir && dir !== '.' ? { subdir: dir } : {}) };
      }
    }
    return undefined;
  }
  if (step.run && runsCommand(step.run.value, /\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|pull)\b[^\n]*\bpull\/|\bgit\s+(?:checkout|switch)\b[^\n]*\$\{\{/)) {
    for (const expr of expressionsIn(yaml, step.run.node)) {
      const path = expr.paths.find((p) => HEAD_PATHS.some((re) => re.test(p)));
      if (path) return { range: expr.range, what: asWritten(expr.inner, path) };
    }
    if (/\bgh\s+pr\s+checkout\b/.test(step.run.value)) return { range: step.run.range, what: '`gh pr checkout`' };
  }
  return undefined;
}

/** A step that executes code from the workspace: a script, or a local action. */
function executes(step: Step): boolean {
  return !!step.run || step.uses?.kind === 'local';
}
