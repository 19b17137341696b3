import type { Check, CheckContext, StepSite } from '../src/check.js';
import { eventNames, PRIVILEGED_UNTRUSTED_EVENTS } from '../src/analysis/facts.js';
import { isAttackerControlled } from '../src/analysis/taint.js';
import { valuePaths } from '../src/model/expressions.js';
import { expressionsIn, type StringValue, type Step } from '../src/model/workflow.js';
import type { Severity } from '../src/types.js';

/**
 * Attacker-controlled fields that can hold a line break. Titles, branch names, labels and
 * author names cannot, so written through an env var (`echo "T=$TITLE" >> "$GITHUB_ENV"`)
 * they set only their own variable; bodies and commit messages can start a new line and with
 * it a new variable (NODE_OPTIONS, LD_PRELOAD, BASH_ENV …).
 */
const MULTILINE = /(?:\.body|\.message)$/;

const FILES = ['GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_OUTPUT'] as const;
type EnvFile = (typeof FILES)[number];

// bash/sh: >> "$GITHUB_ENV", > ${GITHUB_ENV}, | tee -a $GITHUB_ENV; pwsh: >> $env:GITHUB_ENV,
// Add-Content/Out-File/Set-Content … $env:GITHUB_ENV; cmd: >> %GITHUB_ENV%.
// Compiled once: built per line, they were most of this check's time.
const WRITES = FILES.map((f) => {
  const ref = `(?:\\$\\{?${f}\\}?|\\$env:${f}|%${f}%)`;
  return {
    file: f,
    redirect: new RegExp(`>>?\\s*["']?${ref}(?![\\w])`, 'i'),
    command: new RegExp(`\\b(?:tee|Add-Content|Out-File|Set-Content)\\b[^\\n]*${ref}(?![\\w])`, 'i'),
  };
});

/** Every pattern in WRITES needs one of the names (they match case-insensitively too). */
const NAMES_A_FILE = /GITHUB_(?:ENV|PATH|OUTPUT)/i;

/** A line of a script that writes to one of the runner's command files. */
function writtenFile(line: string): EnvFile | undefined {
  for (const w of WRITES) if (w.redirect.test(line) || w.command.test(line)) return w.file;
  return undefined;
}

interface Taint {
  path: string;
  multiline: boolean;
}

export const githubEnvInjection: Check = {
  meta: {
    id: 'github-env-injection',
    title: 'Attacker-controlled text written to GITHUB_ENV, GITHUB_PATH or GITHUB_OUTPUT',
    area: 'injection',
    severity: 'high',
    description:
      'A `run:` line that writes event text an outsider controls (directly as `${{ }}` or through an env var set from it) to `$GITHUB_ENV`, `$GITHUB_PATH` or `$GITHUB_OUTPUT`; and `ACTIONS_ALLOW_UNSECURE_COMMANDS: true`.',
    why:
      'The runner reads $GITHUB_ENV line by line and sets each `NAME=value` for every later step. An issue body or commit message ' +
      'holding a line break plus `NODE_OPTIONS=--require=/tmp/x.js` or `BASH_ENV=…` turns into code that runs in the next step, ' +
      'with the job\'s token and secrets. $GITHUB_PATH puts the attacker\'s directory first on PATH; $GITHUB_OUTPUT lets them set ' +
      'step outputs that later steps trust. ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables the old `::set-env::` log command, so ' +
      'printing attacker text is enough.',
    howToFix:
      'Do not write event text to these files. If a later step needs it, let that step read it from `env:` itself. If it must go ' +
      'through $GITHUB_ENV, use a random heredoc delimiter (`EOF=$(openssl rand -hex 16)`) and strip line breaks. Remove ' +
      'ACTIONS_ALLOW_UNSECURE_COMMANDS and use the environment files.',
    example:
      '- env:\n-   BODY: ${{ github.event.issue.body }}\n- run: echo "BODY=$BODY" >> "$GITHUB_ENV"\n+ env:\n+   BODY: ${{ github.event.issue.body }}   # on the step that uses it',
    fixable: false,
  },
  workflow(wf, { report }) {
    // One look-up per env map, workflow, jobs and steps in file order (a map holds the name at most once): no list of every map, no walk of every variable.
    const unsecure = (env: Map<string, StringValue>): void => {
      const value = env.get('ACTIONS_ALLOW_UNSECURE_COMMANDS');
      if (!value || value.value.trim().toLowerCase() !== 'true') return;
      report({
        file: wf.file,
        range: value.range,
        messageId: 'unsecure-commands',
        message: 'ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables `::set-env::` and `::add-path::`: any text a step prints can set environment variables',
      });
    };
    unsecure(wf.env);
    for (const job of wf.jobs) {
      unsecure(job.env);
      for (const step of job.steps) unsecure(step.env);
    }
  },
  step(step, site, ctx) {
    if (!step.run || !site.workflow || !site.job) return;
    // Every command-file pattern names the file: a script that never does writes none, and the
    // env and expression work below (pure) is not done for it.
    if (!NAMES_A_FILE.test(step.run.value)) return;
    const wf = site.workflow;
    const untrusted = ctx.memo.get('github-env-injection/untrusted', wf, () => eventNames(wf).filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e)));
    const tainted = taintedEnv(site, step);
    const lines = step.run.value.split('\n');
    const starts: number[] = [];
    lines.reduce((at, line) => (starts.push(at), at + line.length + 1), 0);
    const exprs = expressionsIn(site.yaml, step.run.node);
    let group = -1;
    lines.forEach((line, i) => {
      const code = line.replace(/(^|\s)#.*$/, '');
      if (/^\s*\{\s*$/.test(code)) group = i;
      const file = writtenFile(code);
      if (!file) return;
      // `{ echo …; echo …; } >> "$GITHUB_ENV"` writes every line of the group.
      const first = /^\s*\}/.test(code) && group >= 0 ? group : i;
      if (first !== i) group = -1;
      const from = starts[first]!;
      const to = starts[i]! + line.length;
      const scope = lines.slice(first, i + 1).map((l) => l.replace(/(^|\s)#.*$/, '')).join('\n');
      const direct = exprs.find((e) => e.start >= from && e.start < to && e.expr && valuePaths(e.expr).some(isAttackerControlled));
      if (direct) {
        const path = valuePaths(direct.expr!).find(isAttackerControlled)!;
        report(ctx, site, direct.range, file, 'expression', severity(file, untrusted, true), untrusted, `\`${path}\` is expanded into a line written to $${file}`);
        return;
      }
      for (const [name, taint] of tainted) {
        if (!referencesVar(scope, name)) continue;
        if (!taint.multiline && file !== 'GITHUB_PATH') continue;
        const at = locateLine(site, step, line) ?? step.run!.range;
        report(ctx, site, at, file, 'env-var', severity(file, untrusted, false), untrusted, `\`$${name}\` (set from \`${taint.path}\`) is written to $${file}`);
        break;
      }
    });
  },
};

function severity(file: EnvFile, untrusted: string[], direct: boolean): Severity {
  const privileged = untrusted.length > 0;
  if (file === 'GITHUB_OUTPUT') return privileged ? 'medium' : 'low';
  if (privileged) return direct ? 'critical' : 'high';
  return 'medium';
}

function report(
  ctx: CheckContext,
  site: StepSite,
  range: ReturnType<StepSite['yaml']['rangeOf']>,
  file: EnvFile,
  kind: string,
  sev: Severity,
  untrusted: string[],
  what: string,
): void {
  const consequence =
    file === 'GITHUB_ENV'
      ? 'a line break in it sets any environment variable (NODE_OPTIONS, BASH_ENV …) for the later steps'
      : file === 'GITHUB_PATH'
        ? 'it puts a directory of the sender\'s choosing first on PATH for the later steps'
        : 'a line break in it sets other outputs of this step';
  ctx.report({
    file: site.yaml.path,
    range,
    severity: sev,
    confidence: kind === 'expression' ? 'high' : 'medium',
    messageId: `${kind}-${file.toLowerCase().replace('github_', '')}`,
    message: `${what}: ${consequence}${untrusted.length ? `, in a workflow run by ${untrusted.join(', ')}` : ''}`,
  });
}

/** Env vars visible to the step (workflow, job, step; the nearest wins) whose value carries event text. */
function taintedEnv(site: StepSite, step: Step): Map<string, Taint> {
  const merged = new Map<string, StringValue>([...(site.workflow?.env ?? []), ...(site.job?.env ?? []), ...step.env]);
  const out = new Map<string, Taint>();
  for (const [name, value] of merged) {
    for (const expr of expressionsIn(site.yaml, value.node)) {
      const path = expr.expr ? valuePaths(expr.expr).find(isAttackerControlled) : undefined;
      if (!path) continue;
      const multiline = MULTILINE.test(path) || /^github\.event\.(?:issue|pull_request|comment|review|head_commit|workflow_run|discussion)$/.test(path);
      const prev = out.get(name);
      if (!prev || (multiline && !prev.multiline)) out.set(name, { path, multiline });
    }
  }
  return out;
}

function referencesVar(code: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$\\{?${n}(?![\\w])|\\$env:${n}(?![\\w])|%${n}%`, name === name.toUpperCase() ? 'i' : '').test(code);
}

/** The range of a script line in the file, when the scalar's source holds it verbatim. */
function locateLine(site: StepSite, step: Step, line: string): ReturnType<StepSite['yaml']['rangeOf']> | undefined {
  const trimmed = line.trim();
  if (!trimmed || !step.run) return undefined;
  const { start, end } = step.run.range;
  const at = site.yaml.text.slice(start, end).indexOf(trimmed);
  return at === -1 ? undefined : site.yaml.rangeOf(start + at, start + at + trimmed.length);
}
