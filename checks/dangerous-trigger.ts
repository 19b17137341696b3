import type { Check } from '../src/check.js';
import { isCheckout, runsCommand } from '../src/analysis/facts.js';
import { expressionsIn, type Job, type Step } from '../src/model/workflow.js';
import type { YamlFile } from '../src/model/yaml.js';
import type { SourceRange } from '../src/types.js';

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
      '`pull_request_target` or `workflow_run` triggers; critical when the workflow checks out the pull request\'s head and then runs anything.',
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
  workflow(wf, { report }) {
      const triggers = wf.triggers.filter((t) => DANGEROUS.has(t.event));
      if (triggers.length === 0) return;
      const events = triggers.map((t) => t.event).join(' and ');
      let critical = false;
      for (const job of wf.jobs) {
        for (const hit of untrustedCheckouts(wf.yaml, job)) {
          critical = true;
          // Checked out beside the trusted workspace, the fork's files may only be read as data.
          report({
            file: wf.file,
            range: hit.range,
            severity: hit.subdir ? 'high' : 'critical',
            confidence: hit.subdir ? 'medium' : 'high',
            messageId: hit.subdir ? 'untrusted-checkout-subdir' : 'untrusted-checkout-run',
            message: hit.subdir
              ? `job \`${job.id}\` checks out untrusted code (${hit.what}) into \`${hit.subdir}\` in a workflow run by ${events}; step ${hit.runner + 1} must treat it strictly as data`
              : `job \`${job.id}\` checks out untrusted code (${hit.what}) in a workflow run by ${events}, then runs it (step ${hit.runner + 1})`,
          });
        }
      }
      if (critical) return;
      for (const t of triggers) {
        report({
          file: wf.file,
          range: t.range,
          confidence: 'medium',
          messageId: t.event === 'pull_request_target' ? 'pull-request-target' : 'workflow-run',
          message:
            t.event === 'pull_request_target'
              ? '`pull_request_target` runs with a write token and secrets on events from forks; make sure it never runs the pull request\'s code'
              : '`workflow_run` runs with a write token and secrets after workflows that forks can trigger; treat their artifacts as untrusted data',
        });
      }
  },
};

interface UntrustedCheckout {
  range: SourceRange;
  what: string;
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
    if (runner !== -1) out.push({ ...hit, runner });
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
        if (path) return { range: expr.range, what: path, ...(dir && dir !== '.' ? { subdir: dir } : {}) };
      }
    }
    return undefined;
  }
  if (step.run && runsCommand(step.run.value, /\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|pull)\b[^\n]*\bpull\/|\bgit\s+(?:checkout|switch)\b[^\n]*\$\{\{/)) {
    for (const expr of expressionsIn(yaml, step.run.node)) {
      const path = expr.paths.find((p) => HEAD_PATHS.some((re) => re.test(p)));
      if (path) return { range: expr.range, what: path };
    }
    if (/\bgh\s+pr\s+checkout\b/.test(step.run.value)) return { range: step.run.range, what: '`gh pr checkout`' };
  }
  return undefined;
}

/** A step that executes code from the workspace: a script, or a local action. */
function executes(step: Step): boolean {
  return !!step.run || step.uses?.kind === 'local';
}
