import type { Check } from '../src/check.js';
import { describeGate, gateAt, jobGates } from '../src/analysis/gates.js';
import { distinctNames, isTokenSecret, reachLabels, secretUsesInJob } from '../src/analysis/secrets.js';
import { callerLocation, reachingEvents } from '../src/analysis/workflow-graph.js';
import { PRIVILEGED_UNTRUSTED_EVENTS, usesAction } from '../src/analysis/facts.js';
import type { Memo } from '../src/analysis/memo.js';
import { taintOf } from '../src/analysis/taint.js';
import { valuePaths } from '../src/model/expressions.js';
import type { RepoModel } from '../src/model/repo.js';
import { expressionsIn, type Job, type Workflow } from '../src/model/workflow.js';
import type { Severity } from '../src/types.js';

const OUTSIDER_EVENTS = new Set([...PRIVILEGED_UNTRUSTED_EVENTS].filter((e) => e !== 'watch' && e !== 'fork'));

export const secretsInUntrustedTrigger: Check = {
  meta: {
    id: 'secrets-in-untrusted-trigger',
    title: 'Secrets or a write token reachable from events outsiders cause',
    area: 'credentials',
    severity: 'high',
    description:
      'A workflow run by pull_request_target, workflow_run, issue_comment, issues or other events anyone can cause (directly or through a workflow that calls it) reads secrets, or gives its token write scopes.',
    why:
      'Anyone with a GitHub account can open an issue, comment or send a pull request from a fork. A workflow those events start ' +
      'runs with the base repository\'s secrets and token; one injection, one poisoned artifact or one compromised action in it ' +
      'hands them over. A gate on who can start the job (merged pull requests, the commenter\'s association, a maintainer-only label) narrows that to trusted people.',
    howToFix:
      'Keep workflows that outsiders can trigger free of secrets and write scopes. Do the privileged part in a separate workflow ' +
      'behind an environment with required reviewers, or triggered only by maintainers (workflow_dispatch, push), or gate the job on the actor\'s permission.',
    example: 'on: pull_request_target\npermissions:\n  pull-requests: write  # only to label; no secrets in this workflow',
    fixable: false,
  },
  workflow(wf, { repo, memo, report }) {
    const reaching = reachingEvents(repo, wf, memo).filter((e) => OUTSIDER_EVENTS.has(e.event));
    if (reaching.length === 0) return;
    const own = reaching.filter((e) => e.via.length === 0);
    const inherited = reaching.filter((e) => e.via.length > 0);
    const events = reachLabels(repo, wf, memo).untrusted.filter((l) => OUTSIDER_EVENTS.has(l.split(' ')[0]!)).join(', ');
    // Secrets passed explicitly by a caller are reported at the caller; `secrets: inherit` hands them all over unseen.
    const inheritEdge = inherited.map((e) => e.via[e.via.length - 1]!).find((edge) => edge.job.secretsInherit);
    const related = inherited.length ? [callerLocation(inherited[0]!.via[inherited[0]!.via.length - 1]!, `calls this workflow from a workflow run by ${inherited[0]!.event}`)] : [];
    for (const job of wf.jobs) {
      if (own.length === 0 && !inheritEdge) break;
      const uses = secretUsesInJob(wf, job, memo).filter((u) => !isTokenSecret(u.name));
      if (uses.length === 0) continue;
      const names = distinctNames(uses);
      const gate = gateAt(jobGates(repo, wf, job, memo), uses[0]!.step);
      // High only when something an outsider controls runs in the job: code checked out at a ref an
      // event names, or event text in a script. Otherwise the secret waits for a compromised step.
      const reach = gate || job.environment ? undefined : outsiderReach(repo, wf, job, memo);
      const severity: Severity = gate ? 'low' : job.environment ? 'medium' : reach ? 'high' : 'medium';
      report({
        file: wf.file,
        range: uses[0]!.range,
        severity,
        // One message id whether or not outsider input reaches the job: fixing an injection there lowers the severity, it does not make a new finding.
        messageId: gate ? 'secrets-behind-gate' : job.environment ? 'secrets-gated' : 'secrets',
        message:
          `job \`${job.id}\` reads ${names.map((n) => `\`${n}\``).join(', ')} in a workflow run by ${events}` +
          (gate
            ? `; only when ${describeGate(gate)}`
            : job.environment
              ? ` (gated by environment \`${job.environment.name}\`)`
              : reach
                ? `, where ${reach}`
                : job.uses
                  ? '; the called workflow decides what runs with it'
                  : '; pipewarden sees no step that runs code or script text an outsider controls, so it is exposed to a compromised step or action'),
        ...(related.length ? { related } : {}),
      });
    }
    if (own.length === 0) return;
    const writes = (wf.permissions?.scopes ?? []).filter((s) => s.level === 'write');
    const inheriting = wf.jobs.filter((j) => !j.permissions && !j.uses);
    const allGated = inheriting.length > 0 && inheriting.every((j) => jobGates(repo, wf, j, memo).job);
    if (inheriting.length > 0) {
      for (const s of writes) {
        const gate = allGated ? jobGates(repo, wf, inheriting[0]!, memo).job : undefined;
        report({
          file: wf.file,
          range: s.keyRange,
          severity: gate ? 'low' : 'medium',
          messageId: 'workflow-write',
          message: `\`${s.scope}: write\` for ${inheriting.length === wf.jobs.length ? 'every job' : inheriting.map((j) => `\`${j.id}\``).join(', ')} of a workflow run by ${events}${gate ? `; only when ${describeGate(gate)}` : ''}`,
        });
      }
    }
    for (const job of wf.jobs) {
      const gate = jobGates(repo, wf, job, memo).job;
      for (const s of job.permissions?.scopes ?? []) {
        if (s.level === 'write' && (s.scope === 'contents' || s.scope === 'packages' || s.scope === 'actions' || s.scope === 'id-token')) {
          report({
            file: wf.file,
            range: s.keyRange,
            severity: gate ? 'low' : 'medium',
            messageId: 'job-write',
            message: `job \`${job.id}\` has \`${s.scope}: write\` in a workflow run by ${events}${gate ? `; only when ${describeGate(gate)}` : ''}`,
          });
        }
      }
    }
  },
};

/** What an outsider controls in a job's steps: a checkout at a ref taken from an expression, or event text in a script. */
function outsiderReach(repo: RepoModel, wf: Workflow, job: Job, memo: Memo): string | undefined {
  // A checkout whose ref names the pull request's head is the clearest case; any computed ref comes next.
  const checkouts = job.steps
    .map((step, i) => ({ i, ref: usesAction(step, 'actions/checkout') ? (step.with.get('ref') ?? step.with.get('repository')) : undefined }))
    .filter((c) => c.ref?.value.includes('${{'));
  const checkout = checkouts.find((c) => /head|pull|\bpr\b/i.test(c.ref!.value)) ?? checkouts[0];
  if (checkout) return `step ${checkout.i + 1} checks out \`${checkout.ref!.value.trim()}\``;
  for (const [i, step] of job.steps.entries()) {
    const script = step.run ?? (usesAction(step, 'actions/github-script') ? step.with.get('script') : undefined);
    if (!script) continue;
    for (const expr of expressionsIn(wf.yaml, script.node)) {
      if (!expr.expr) continue;
      const tainted = valuePaths(expr.expr).find((p) => taintOf(repo, wf, job, i, p, memo));
      if (tainted) return `step ${i + 1} expands \`${tainted}\` into its script`;
    }
  }
  return undefined;
}
