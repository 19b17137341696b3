import type { Check } from '../src/check.js';
import { actionName } from '../src/analysis/facts.js';
import { dependencyReviewWorkflow } from '../src/edits/new-workflows.js';
import { callsSharedWorkflow, fileStart, ofWorkflow } from '../src/analysis/repo-facts.js';

export const noDependencyReview: Check = {
  meta: {
    id: 'no-dependency-review',
    title: 'No dependency review on pull requests',
    area: 'dependencies',
    severity: 'medium',
    description: 'No workflow runs actions/dependency-review-action on pull requests.',
    why:
      'Dependency review shows, on the pull request, every dependency a change adds or bumps with its known vulnerabilities and ' +
      'licence, and can fail the check. Without it a contributor (or a compromised bot) can add a vulnerable or typosquatted ' +
      'package in a lockfile diff nobody reads.',
    howToFix: 'Add a workflow on `pull_request` that runs actions/dependency-review-action with `fail-on-severity`.',
    example: 'on: pull_request\npermissions:\n  contents: read\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@<sha>\n      - uses: actions/dependency-review-action@<sha>',
    fixable: true,
  },
  run({ repo, report }) {
    const reviewed = repo.workflows.some((wf) =>
      ofWorkflow(
        wf,
        'no-dependency-review/reviews',
        () =>
          wf.triggers.some((t) => t.event === 'pull_request' || t.event === 'pull_request_target' || t.event === 'merge_group') &&
          wf.jobs.some((j) => j.steps.some((s) => actionName(s) === 'actions/dependency-review-action')),
      ),
    );
    if (reviewed || repo.workflows.length === 0 || callsSharedWorkflow(repo, /dependency-review/i)) return;
    const file = '.github/workflows/dependency-review.yml';
    report({
      file,
      range: fileStart(),
      messageId: 'absent',
      message: 'no workflow runs actions/dependency-review-action on pull requests',
      fix: { title: 'Add a dependency-review workflow', safety: 'safe', edits: [], newFiles: [{ file, content: dependencyReviewWorkflow() }], changes: [] },
    });
  },
};
