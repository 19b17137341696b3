import type { Check } from '../src/check.js';
import { usesSites, usesTarget, type UsesSite } from '../src/analysis/facts.js';
import { commentVersion, known } from '../src/analysis/remote.js';
import { resolutionKey } from '../src/github/resolve.js';
import type { Fix } from '../src/types.js';

/** The tag with the most version components (v4.2.2 before v4). */
function mostSpecific(tags: string[]): string | undefined {
  return [...tags].sort((a, b) => b.split('.').length - a.split('.').length || a.length - b.length || (a < b ? -1 : 1))[0];
}

/** Rewrites only the version inside the trailing comment. */
function commentFix(site: UsesSite, version: string, tag: string): Fix | { refused: string } {
  const { yaml, uses, file } = site;
  const end = uses.range.end;
  const lineEnd = yaml.text.indexOf('\n', end);
  const rest = yaml.text.slice(end, lineEnd === -1 ? yaml.text.length : lineEnd);
  const hash = rest.indexOf('#');
  const at = hash === -1 ? -1 : rest.indexOf(version, hash);
  if (at === -1) return { refused: 'the version in the comment could not be located; correct it by hand' };
  return {
    title: `Correct the version comment of ${usesTarget(uses)} to ${tag}`,
    safety: 'safe',
    edits: [{ file, start: end + at, end: end + at + version.length, text: tag }],
    newFiles: [],
    changes: [],
  };
}

export const refVersionMismatch: Check = {
  meta: {
    id: 'ref-version-mismatch',
    title: 'Version comment names a tag at another commit',
    area: 'remote',
    severity: 'medium',
    description: 'The version comment beside a SHA pin (`@<sha> # v4.2.2`) names a tag that points at a different commit.',
    why:
      'Reviewers, Dependabot and Renovate read the comment as the version that runs. When it lies, an old or foreign commit passes ' +
      'review as a release, and updates are computed from the wrong version.',
    howToFix: 'Write the tag that points at the pinned commit in the comment, or pin the commit the tag names.',
    example: '- uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.1.0\n+ uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    fixable: true,
  },
  run({ repo, env, report }) {
    const remote = env.remote;
    if (!remote) return;
    for (const site of usesSites(repo)) {
      const { file, uses } = site;
      if (uses.refKind !== 'sha' || !uses.owner || !uses.repo) continue;
      const version = commentVersion(uses.comment);
      if (!version) continue;
      const tag = known(remote.tags.get(resolutionKey(uses.owner, uses.repo, version)));
      if (!tag || tag.sha.toLowerCase() === uses.ref!.toLowerCase()) continue;
      const reach = known(remote.commits.get(`${uses.owner}/${uses.repo}@${uses.ref}`.toLowerCase()));
      const actual = reach?.reachable ? mostSpecific(reach.tags) : undefined;
      report({
        file,
        range: uses.range,
        messageId: 'mismatch',
        message: `the comment says ${version}, but the API reports ${uses.owner}/${uses.repo} tag ${version} at ${tag.sha.slice(0, 12)}, not the pinned ${uses.ref!.slice(0, 12)}${actual ? ` (which is ${actual})` : ''}`,
        fix: () => (actual ? commentFix(site, version, actual) : { refused: 'no tag points at the pinned commit, so there is no right version to write' }),
      });
    }
  },
};
