import type { Check } from '../src/check.js';
import { usesSites, usesTarget } from '../src/analysis/facts.js';
import { known } from '../src/analysis/remote.js';

export const impostorCommit: Check = {
  meta: {
    id: 'impostor-commit',
    title: 'Pinned commit is on no branch or tag of the action\'s repository',
    area: 'remote',
    severity: 'high',
    description: 'A `uses:` pinned to a commit SHA that no branch or tag of the named repository contains: a commit from its fork network.',
    why:
      'GitHub serves any commit of a repository\'s fork network under the parent\'s name, so `actions/checkout@<sha>` can run code ' +
      'pushed to a fork by anyone. A SHA pin looks trustworthy in review; this one is not the maintainers\' code.',
    howToFix: 'Replace the SHA with the commit of a release tag of the action (its tag list or `git ls-remote --tags`), and find out how the impostor got in.',
    example: '- uses: actions/checkout@<commit only in a fork>\n+ uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    fixable: false,
  },
  run({ repo, env, report }) {
    const commits = env.remote?.commits;
    if (!commits) return;
    for (const { file, uses } of usesSites(repo)) {
      if (uses.refKind !== 'sha' || !uses.owner || !uses.repo) continue;
      const reach = known(commits.get(`${uses.owner}/${uses.repo}@${uses.ref}`.toLowerCase()));
      if (!reach || reach.reachable) continue;
      report({
        file,
        range: uses.range,
        messageId: 'unreachable',
        message: `\`${usesTarget(uses)}@${uses.ref}\`: the API finds the commit on no branch or tag of ${uses.owner}/${uses.repo} (${reach.compared} compared, every one there is); it may come from a fork`,
      });
    }
  },
};
