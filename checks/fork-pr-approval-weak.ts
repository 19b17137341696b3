import type { Check } from '../src/check.js';
import { eventNames } from '../src/analysis/facts.js';
import { known, settingsAnchor } from '../src/analysis/remote.js';
import type { Severity } from '../src/types.js';

const WORDS = {
  first_time_contributors_new_to_github: 'only contributors new to GitHub need approval',
  first_time_contributors: 'only first-time contributors need approval',
} as const;

export const forkPrApprovalWeak: Check = {
  meta: {
    id: 'fork-pr-approval-weak',
    title: 'Fork pull requests run workflows without approval',
    area: 'remote',
    severity: 'medium',
    description: 'Workflows from fork pull requests run without a maintainer\'s approval for some outside contributors (approval policy other than all outside contributors).',
    why:
      'A pull_request workflow runs the fork\'s code. Read-only and without secrets, it can still mine on your runners, poison what ' +
      'a self-hosted runner keeps between jobs, and probe your CI. Once a contributor has one merged change (or an account older than a ' +
      'few days), nobody is asked before their next pull request runs.',
    howToFix:
      'Choose "Require approval for all external contributors" under Settings > Actions > General > "Approval for running fork pull ' +
      'request workflows from contributors".',
    example: 'Settings > Actions > General > Fork pull request workflows: (x) Require approval for all external contributors',
    fixable: false,
  },
  run({ repo, env, report }) {
    const policy = known(env.remote?.forkPrApproval);
    if (!policy || policy === 'all_external_contributors') return;
    const triggered = repo.workflows.filter((wf) => eventNames(wf).includes('pull_request'));
    if (triggered.length === 0) return;
    const selfHosted = triggered.some((wf) => wf.jobs.some((j) => j.runsOn.labels.some((l) => l.toLowerCase() === 'self-hosted')));
    // Self-hosted runners keep state between jobs: fork code running there unapproved is the serious case.
    const severity: Severity = selfHosted ? 'high' : policy === 'first_time_contributors_new_to_github' ? 'medium' : 'low';
    report({
      ...settingsAnchor(repo),
      severity,
      messageId: policy === 'first_time_contributors_new_to_github' ? 'new-to-github' : 'first-time',
      message: `the API reports approval_policy: ${policy} (${WORDS[policy]}); ${triggered.length} workflow${triggered.length === 1 ? ' runs' : 's run'} on pull_request${selfHosted ? ', some on self-hosted runners' : ''}`,
    });
  },
};
