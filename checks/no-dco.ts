import type { Check } from '../src/check.js';
import { actionName } from '../src/analysis/facts.js';
import { fileStart, ofWorkflow, runsTool } from '../src/analysis/repo-facts.js';

export const noDco: Check = {
  meta: {
    id: 'no-dco',
    title: 'No sign-off (DCO) enforcement',
    area: 'policy-files',
    severity: 'info',
    description:
      'No .github/dco.yml, no maintainers-little-helper configuration requiring Signed-off-by, and no workflow that checks Signed-off-by lines (the DCO GitHub App, which needs no file, cannot be seen from the repository).',
    why:
      'A Developer Certificate of Origin sign-off records that each contributor had the right to submit the change: provenance for ' +
      'the source itself, which many foundations (CNCF, LF) require.',
    howToFix: 'Install the DCO GitHub App (configured by .github/dco.yml) or add a workflow that checks every commit for Signed-off-by.',
    example: '# .github/dco.yml\nrequire:\n  members: false',
    fixable: false,
  },
  run({ repo, report }) {
    if (repo.files.some((f) => f.kind === 'dco')) return;
    if (repo.filesOfKind('maintainers-little-helper').some((f) => /Signed-off-by/i.test(f.text))) return;
    const checked =
      runsTool(repo, undefined, /Signed-off-by|\bdco\b/i) ||
      repo.workflows.some((wf) => ofWorkflow(wf, 'no-dco/action', () => wf.jobs.some((j) => j.steps.some((s) => /dco/i.test(actionName(s) ?? '')))));
    if (checked) return;
    report({
      file: '.github/dco.yml',
      range: fileStart(),
      confidence: 'low',
      messageId: 'absent',
      message:
        "no DCO sign-off enforcement in the repository's files (no .github/dco.yml, no workflow checking Signed-off-by); the DCO GitHub App needs no file, so if it is installed sign-off is already enforced",
    });
  },
};
