import type { Check } from '../src/check.js';
import { isReleaseTriggered } from '../src/analysis/facts.js';
import { known, refPatternMatches, settingsAnchor } from '../src/analysis/remote.js';
import type { TagRuleset } from '../src/github/settings.js';
import type { Severity } from '../src/types.js';

/** An active tag ruleset that blocks moving and deleting a release tag such as v1.2.3. */
function guardsReleaseTags(r: TagRuleset): boolean {
  const probe = 'refs/tags/v1.2.3';
  return (
    r.enforcement === 'active' &&
    r.rules.includes('update') &&
    r.rules.includes('deletion') &&
    r.include.some((p) => refPatternMatches(p, probe)) &&
    !r.exclude.some((p) => refPatternMatches(p, probe))
  );
}

export const releasesMutable: Check = {
  meta: {
    id: 'releases-mutable',
    title: 'Release tags and assets can be changed after publication',
    area: 'remote',
    severity: 'medium',
    description: 'Immutable releases are off and no active tag ruleset blocks updating and deleting release tags.',
    why:
      'Consumers pin your releases by tag. If a tag can be moved or a release asset replaced, whoever gets write access (a stolen token, ' +
      'a compromised workflow) can repoint v1.2.3 at other code — how the tj-actions/changed-files compromise reached its users.',
    howToFix:
      'Enable immutable releases (Settings > General > Releases) and add a tag ruleset for `refs/tags/v*` that restricts updates and deletions.',
    example: 'Ruleset "release tags": target tags, include refs/tags/v*; Restrict updates; Restrict deletions',
    fixable: false,
  },
  run({ repo, env, report }) {
    const remote = env.remote;
    if (!remote) return;
    const immutable = known(remote.immutableReleases);
    const rulesets = known(remote.tagRulesets);
    if (immutable !== null || !rulesets || rulesets.some(guardsReleaseTags)) return;
    // An action repository's tags are what its users pin; a repository that releases from CI comes next.
    const isAction = repo.actions.some((a) => a.file === 'action.yml' || a.file === 'action.yaml');
    const releases = repo.workflows.some(isReleaseTriggered);
    if (!isAction && !releases) return;
    const severity: Severity = isAction ? 'high' : 'medium';
    report({
      ...settingsAnchor(repo),
      severity,
      messageId: 'mutable',
      message: `the API reports immutable releases not enabled and ${rulesets.length ? `no active tag ruleset restricting updates and deletions of release tags (${rulesets.length} tag ruleset${rulesets.length === 1 ? '' : 's'} checked)` : 'no tag rulesets'}${isAction ? '; this repository is an action, whose users pin its tags' : ''}`,
    });
  },
};
