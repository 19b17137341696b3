import type { Check } from '../src/check.js';
import { known, reviewState, settingsAnchor } from '../src/analysis/remote.js';

export const actionsCanApprovePrs: Check = {
  meta: {
    id: 'actions-can-approve-prs',
    title: 'GitHub Actions may approve pull requests',
    area: 'remote',
    severity: 'medium',
    description: 'The repository lets GitHub Actions create and approve pull requests (`can_approve_pull_request_reviews: true`).',
    why:
      'A workflow whose token has `pull-requests: write` can then approve a pull request, so a required review can be satisfied by ' +
      'a bot that anyone able to change a workflow controls: the review requirement stops meaning a person looked.',
    howToFix:
      'Untick "Allow GitHub Actions to create and approve pull requests" in Settings > Actions > General (or set ' +
      '`can_approve_pull_request_reviews: false` through the API).',
    example: 'Settings > Actions > General > [ ] Allow GitHub Actions to create and approve pull requests',
    fixable: false,
  },
  run({ repo, env, report }) {
    const remote = env.remote;
    const perms = known(remote?.workflowPermissions);
    if (!remote || !perms?.canApprovePullRequestReviews || repo.workflows.length === 0) return;
    const reviews = reviewState(remote);
    // The approval matters most where a review is required: that is the control it bypasses.
    const high = reviews?.reviewsRequired === true;
    report({
      ...settingsAnchor(repo),
      severity: high ? 'high' : 'medium',
      messageId: 'can-approve',
      message: `the API reports can_approve_pull_request_reviews: true${high ? `, and ${reviews!.branch} requires an approving review, which a workflow's token can then give` : ''}`,
    });
  },
};
