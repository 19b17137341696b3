import type { Check } from '../src/check.js';
import { codeownersCoverWorkflows, codeownersFile, reviewState } from '../src/analysis/remote.js';
import { fileStart } from '../src/analysis/repo-facts.js';

export const workflowChangesUnreviewed: Check = {
  meta: {
    id: 'workflow-changes-unreviewed',
    title: 'CODEOWNERS names workflow owners, but their review is not required',
    area: 'remote',
    severity: 'medium',
    description: 'CODEOWNERS gives .github/workflows/ an owner, yet the default branch requires reviews without requiring code-owner review.',
    why:
      'CODEOWNERS alone only requests a review. Unless code-owner review is required, any other approver can merge a workflow change ' +
      '— the change that decides what runs with your secrets — without the people who own CI seeing it.',
    howToFix:
      'Tick "Require review from Code Owners" in the branch protection, or `require_code_owner_review: true` in the pull_request rule of the default branch\'s ruleset.',
    example: 'Ruleset "main" > Require a pull request before merging > [x] Require review from Code Owners',
    fixable: false,
  },
  run({ repo, env, report }) {
    if (!env.remote || !codeownersCoverWorkflows(repo)) return;
    const state = reviewState(env.remote);
    // Without required reviews at all, branch-unprotected reports the gap.
    if (!state || state.reviewsRequired !== true || state.codeOwnerReview !== false) return;
    report({
      file: codeownersFile(repo)!.path,
      range: fileStart(),
      messageId: 'code-owner-review-off',
      message: `CODEOWNERS covers .github/workflows/, but neither the branch protection nor the active rules of ${state.branch} require code-owner review (as the API reports them)`,
    });
  },
};
