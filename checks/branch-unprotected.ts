import type { Check } from '../src/check.js';
import { reviewState, settingsAnchor } from '../src/analysis/remote.js';

export const branchUnprotected: Check = {
  meta: {
    id: 'branch-unprotected',
    title: 'Default branch merges without review',
    area: 'remote',
    severity: 'high',
    description: 'The default branch has no branch protection or ruleset that requires an approving review.',
    why:
      'Whatever reaches the default branch runs in its workflows with its secrets and becomes the next release. Without a required ' +
      'review, one stolen maintainer token or one careless push changes CI and code with nobody else seeing it first.',
    howToFix:
      'Add a branch ruleset (Settings > Rules > Rulesets) or branch protection for the default branch requiring a pull request with at ' +
      'least one approving review, and blocking force pushes and deletion.',
    example: 'Ruleset "main": target default branch; Require a pull request before merging, 1 required approval; Block force pushes',
    fixable: false,
  },
  run({ repo, env, report }) {
    if (!env.remote || repo.workflows.length === 0) return;
    const state = reviewState(env.remote);
    if (!state || state.reviewsRequired !== false) return;
    const none = state.anyProtection === false;
    report({
      ...settingsAnchor(repo),
      severity: none ? 'high' : 'medium',
      messageId: none ? 'unprotected' : 'no-review-required',
      message: none
        ? `the API reports no branch protection and no active rules for ${state.branch}`
        : `${state.branch} is protected, but neither its branch protection nor its active rules require an approving review`,
    });
  },
};
