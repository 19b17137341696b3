import type { Check } from '../src/check.js';
import { actionName } from '../src/analysis/facts.js';
import { scorecardWorkflow } from '../src/edits/new-workflows.js';
import { callsSharedWorkflow, defaultBranch, fileStart, ofWorkflow } from '../src/analysis/repo-facts.js';

export const noScorecard: Check = {
  meta: {
    id: 'no-scorecard',
    title: 'No OpenSSF Scorecard workflow',
    area: 'dependencies',
    severity: 'low',
    description: 'No workflow runs ossf/scorecard-action.',
    why:
      'Scorecard re-checks the repository\'s security posture (branch protection, pinning, token permissions, dangerous workflows) ' +
      'on every push to the default branch and publishes the result, so regressions show up in code scanning instead of in an incident.',
    howToFix: 'Add the OpenSSF Scorecard workflow (ossf/scorecard-action) on push to the default branch and on a schedule.',
    example: '- uses: ossf/scorecard-action@<sha> # v2.4.0\n  with:\n    results_file: results.sarif\n    publish_results: true',
    fixable: true,
  },
  run({ repo, report }) {
    if (repo.workflows.length === 0) return;
    if (repo.workflows.some((wf) => ofWorkflow(wf, 'no-scorecard/runs', () => wf.jobs.some((j) => j.steps.some((s) => actionName(s) === 'ossf/scorecard-action'))))) return;
    if (callsSharedWorkflow(repo, /scorecard/i)) return;
    const file = '.github/workflows/scorecard.yml';
    report({
      file,
      range: fileStart(),
      messageId: 'absent',
      message: 'no workflow runs ossf/scorecard-action',
      fix: { title: 'Add an OpenSSF Scorecard workflow', safety: 'safe', edits: [], newFiles: [{ file, content: scorecardWorkflow(defaultBranch(repo)) }], changes: [] },
    });
  },
};
