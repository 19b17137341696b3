import type { Check } from '../src/check.js';
import { cacheUse } from '../src/analysis/caches.js';
import { eventNames, isCheckout, isReleaseTriggered, PRIVILEGED_UNTRUSTED_EVENTS } from '../src/analysis/facts.js';
import { publications } from '../src/analysis/publishing.js';
import { expressionsIn, type Job, type Step, type Workflow } from '../src/model/workflow.js';
import type { SourceRange } from '../src/types.js';

/** A checkout `ref:` naming the pull request's (or triggering run's) head: the fork's code. */
const HEAD_REF = /^(?:github\.head_ref|github\.event\.pull_request\.head\.(?:sha|ref)|github\.event\.workflow_run\.head_(?:sha|branch)|github\.event\.workflow_run\.pull_requests\.\*\.head\.(?:sha|ref))$/;

interface Writer {
  file: string;
  range: SourceRange;
  what: string;
  events: string[];
}

export const cachePoisoning: Check = {
  meta: {
    id: 'cache-poisoning',
    title: 'Release restores a cache that untrusted code can write',
    area: 'release-integrity',
    severity: 'high',
    description:
      'A release or publishing workflow restores a GitHub Actions cache (actions/cache, setup-* `cache:` inputs, setup-go\'s default) while a workflow triggered by pull_request_target, workflow_run or issue_comment runs a fork\'s code and saves caches in the default branch\'s scope.',
    why:
      'Caches saved by a run on the default branch are visible to every later run, tag and release builds included. A ' +
      'pull_request_target (or workflow_run, issue_comment) run executes in that scope: if it builds the fork\'s code, that code ' +
      'can save a poisoned cache entry under the key the release job will restore (node_modules, the Go build cache, a virtualenv), ' +
      'and the release then ships what the attacker put there.',
    howToFix:
      'Do not restore caches in jobs that build or publish releases (set `cache: false` or drop actions/cache there), and do not ' +
      'run a fork\'s code in workflows triggered by pull_request_target/workflow_run; if such a workflow must cache, use ' +
      'actions/cache/restore only, so it never saves.',
    example: '- uses: actions/setup-go@<sha> # v5\n  with:\n    go-version-file: go.mod\n+   cache: false',
    fixable: false,
  },
  run(ctx) {
    const { repo, memo, report } = ctx;
    const writers: Writer[] = [];
    for (const wf of repo.workflows) {
      const events = eventNames(wf).filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e));
      if (events.length === 0) continue;
      for (const job of wf.jobs) {
        if (!runsForkCode(wf, job)) continue;
        for (const step of job.steps) {
          const use = cacheUse(step);
          if (use?.saves && step.uses) writers.push({ file: wf.file, range: step.uses.range, what: use.what, events });
        }
      }
    }
    if (writers.length === 0) return;
    const writer = writers[0]!;
    for (const wf of repo.workflows) {
      const release = isReleaseTriggered(wf);
      const pubs = publications(repo, wf, undefined, memo);
      if (!release && pubs.length === 0) continue;
      for (const job of wf.jobs) {
        if (!release && !pubs.some((p) => job.steps.includes(p.step))) continue;
        for (const step of job.steps) {
          const use = cacheUse(step);
          if (!use?.restores || !step.uses) continue;
          report({
            file: wf.file,
            range: step.uses.range,
            messageId: 'release-restores-cache',
            message: `${use.what} restores a cache in the release job \`${job.id}\`, and ${writer.file} saves caches while running a fork's code (${writer.events.join(', ')}): a poisoned entry would end up in the release`,
            related: writers.slice(0, 3).map((w) => ({ file: w.file, range: w.range, note: `${w.what} saves a cache after running a fork's code` })),
          });
        }
      }
    }
  },
};

/** Does the job check out the pull request's or triggering run's head? */
function runsForkCode(wf: Workflow, job: Job): boolean {
  return job.steps.some((s: Step) => {
    if (!isCheckout(s)) return false;
    const ref = s.with.get('ref');
    if (!ref) return false;
    if (/refs\/pull\//.test(ref.value)) return true;
    return expressionsIn(wf.yaml, ref.node).some((e) => e.paths.some((p) => HEAD_REF.test(p)));
  });
}
