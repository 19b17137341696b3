import type { Check } from '../src/check.js';
import { usesSites } from '../src/analysis/facts.js';
import { known, settingsAnchor } from '../src/analysis/remote.js';

export const shaPinningNotRequired: Check = {
  meta: {
    id: 'sha-pinning-not-required',
    title: 'Any action may run, pinned or not',
    area: 'remote',
    severity: 'low',
    description: 'The Actions policy allows all actions (`allowed_actions: all`) and does not require them to be pinned to a full commit SHA (`sha_pinning_required: false`).',
    why:
      'Pinning in the files is only as good as the next pull request: without the policy, a new `uses: some/action@v1` runs as soon as ' +
      'it merges. With SHA pinning required, GitHub refuses to run a workflow that references an action by tag or branch.',
    howToFix:
      'Tick "Require actions to be pinned to a full-length commit SHA" in Settings > Actions > General (organisations can require it ' +
      'for every repository), and consider allowing only selected actions.',
    example: 'Settings > Actions > General > [x] Require actions to be pinned to a full-length commit SHA',
    fixable: false,
  },
  run({ repo, env, report }) {
    const perms = known(env.remote?.actionsPermissions);
    // Older servers leave sha_pinning_required out: nothing to say then.
    if (!perms || !perms.enabled || perms.allowedActions !== 'all' || perms.shaPinningRequired !== false || repo.workflows.length === 0) return;
    const unpinned = usesSites(repo).filter((s) => (s.uses.kind === 'action' || s.uses.kind === 'reusable-workflow') && s.uses.refKind !== 'sha').length;
    report({
      ...settingsAnchor(repo),
      // With unpinned references in the tree the policy would refuse something today.
      severity: unpinned > 0 ? 'medium' : 'low',
      messageId: 'not-required',
      message: `the API reports allowed_actions: all and sha_pinning_required: false${unpinned > 0 ? `; ${unpinned} \`uses:\` here ${unpinned === 1 ? 'is' : 'are'} not pinned to a full SHA and would be refused with the policy on` : ''}`,
    });
  },
};
