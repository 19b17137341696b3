import type { Check } from '../src/check.js';
import { eventNames, runsCommand, usesAction } from '../src/analysis/facts.js';
import type { Step } from '../src/model/workflow.js';

/** Privileged events whose runs can fetch artifacts an untrusted run produced. */
const PRIVILEGED = new Set(['workflow_run', 'pull_request_target']);

/**
 * A download target that is the workspace itself, where unpacked files replace checked-out
 * ones. A dedicated directory (`${{ runner.temp }}/a`, `artifacts/`) keeps them apart.
 */
const WORKSPACE_ROOT = /^\s*(?:\.\/?|\$\{\{\s*github\.workspace\s*\}\}\/?|\$\{?GITHUB_WORKSPACE\}?\/?)?\s*$/;

export const artifactPoisoning: Check = {
  meta: {
    id: 'artifact-poisoning',
    title: 'Privileged workflow unpacks another run\'s artifacts into its workspace',
    area: 'injection',
    severity: 'high',
    description:
      'A workflow_run or pull_request_target workflow that downloads artifacts of another run (actions/download-artifact with `run-id:`, dawidd6/action-download-artifact, `gh run download`) into the workspace root instead of a directory of their own such as `${{ runner.temp }}/…`.',
    why:
      'The run that uploaded the artifact may have been a fork\'s pull request, running the fork\'s code: it can put anything in ' +
      'the artifact. Unpacked into the workspace of a privileged run, the files overwrite the checked-out scripts, package.json, ' +
      'Makefiles or .git/config that later steps execute, with a write token and secrets.',
    howToFix:
      'Download to `${{ runner.temp }}/artifacts` (outside the workspace), treat the contents as untrusted data (validate before ' +
      'use, never execute), and keep the privileged job\'s steps from reading it as code.',
    example:
      '- uses: actions/download-artifact@<sha> # v4\n  with:\n    run-id: ${{ github.event.workflow_run.id }}\n+   path: ${{ runner.temp }}/artifacts',
    fixable: false,
  },
  step(step, site, { report }) {
    const wf = site.workflow;
    if (!wf) return;
    const events = eventNames(wf).filter((e) => PRIVILEGED.has(e));
    if (events.length === 0) return;
    const download = foreignDownload(step);
    if (!download) return;
    report({
      file: wf.file,
      range: download.range,
      messageId: download.kind,
      message: `${download.what} into the workspace in a workflow run by ${events.join(', ')}: the files can replace code that later steps run; download to \${{ runner.temp }} instead`,
    });
  },
};

function foreignDownload(step: Step): { kind: string; what: string; range: NonNullable<Step['uses']>['range'] } | undefined {
  const path = (step.with.get('path')?.value ?? '').trim();
  const guarded = !WORKSPACE_ROOT.test(path);
  if (step.uses && usesAction(step, 'actions/download-artifact')) {
    // Without run-id it reads the current run's own artifacts.
    if (!step.with.get('run-id') || guarded) return undefined;
    return { kind: 'download-artifact', what: 'actions/download-artifact fetches another run\'s artifacts', range: step.uses.range };
  }
  if (step.uses && usesAction(step, 'dawidd6/action-download-artifact')) {
    if (guarded) return undefined;
    return { kind: 'action-download-artifact', what: 'dawidd6/action-download-artifact fetches another run\'s artifacts', range: step.uses.range };
  }
  if (step.run && runsCommand(step.run.value, /\bgh\s+run\s+download\b/)) {
    const line = step.run.value.split('\n').find((l) => /\bgh\s+run\s+download\b/.test(l))!;
    const dir = /\s(?:-D|--dir)[ =]("?)(\S+)\1/.exec(line)?.[2];
    if (dir && !WORKSPACE_ROOT.test(dir)) return undefined;
    return { kind: 'gh-run-download', what: '`gh run download` fetches another run\'s artifacts', range: step.run.range };
  }
  return undefined;
}
