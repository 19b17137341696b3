import { usesSiteHooks, type Check, type CheckContext } from '../src/check.js';
import { lockedFor } from '../src/analysis/actions-lock.js';
import { isGitHubOwned, isInternal, usesTarget, type UsesSite } from '../src/analysis/facts.js';
import { pinFix } from '../src/edits/pin.js';
import type { Severity } from '../src/types.js';

/** SLSA's generator must be referenced by tag: it verifies its own tag to build provenance. */
const TAG_REQUIRED = /^slsa-framework\/slsa-github-generator\//i;

const REF_WORDS: Record<string, string> = {
  tag: 'a tag',
  branch: 'a branch',
  'short-sha': 'a short SHA',
};

export const unpinnedUses: Check = {
  meta: {
    id: 'unpinned-uses',
    title: 'Action or reusable workflow not pinned to a commit SHA',
    area: 'pinning',
    severity: 'high',
    description:
      'A `uses:` of an action or reusable workflow that is not a full 40-character commit SHA (container images are unpinned-image\'s).',
    why:
      'Tags and branches can be moved: whoever controls the action (or steals its maintainer token, as in the tj-actions/changed-files ' +
      'compromise of March 2025) can point `@v4` at malicious code that then runs with your token and secrets. A commit SHA cannot be ' +
      'moved.',
    howToFix:
      'Pin to the full commit SHA and keep the version in a comment (`uses: actions/checkout@<sha> # v4.2.2`). ' +
      'Renovate (helpers:pinGitHubActionDigests) or Dependabot keep the pins current.',
    example: '- uses: actions/checkout@v4\n+ uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    fixable: true,
    lookups: true,
  },
  // Per file: the look-ups it needs for fixes are made before the audit walks (see `lookups`).
  ...usesSiteHooks(visit),
};

function visit(site: UsesSite, { repo, env, report }: CheckContext): void {
  const { file, uses } = site;
  if (uses.kind === 'local') return;
  // Images (docker://, container:, services:) are unpinned-image's.
  if (uses.kind === 'docker') return;
  if (uses.refKind === 'sha' || uses.refKind === 'expression') return;
  // A ref locked in GitHub's Actions lockfile (.github/workflows/actions.lock) runs the locked commit.
  if (uses.owner && uses.repo && uses.ref && lockedFor(repo, file, uses.owner, uses.repo, uses.ref)) return;
  const target = usesTarget(uses);
  if (TAG_REQUIRED.test(target) && uses.kind === 'reusable-workflow') return;
  const internal = isInternal(repo, uses.owner);
  // Internal branch references are mutable-internal-ref's to report.
  if (internal && uses.refKind === 'branch') return;
  let severity: Severity = 'high';
  if (uses.refKind === 'short-sha' || (uses.refKind === 'tag' && isGitHubOwned(uses.owner))) severity = 'medium';
  if (internal) severity = 'low';
  report({
    file,
    range: uses.range,
    severity,
    group: `${target}@${uses.ref}`,
    fix: () => pinFix(env, site, repo.file(file)?.text),
    messageId: `ref-${uses.refKind}`,
    message: `\`${target}@${uses.ref}\` is pinned to ${REF_WORDS[uses.refKind] ?? 'a mutable ref'}, not a full commit SHA`,
  });
}
