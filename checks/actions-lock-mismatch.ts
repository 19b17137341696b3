import type { Check } from '../src/check.js';
import { ACTIONS_LOCK, lockedRefs, lockKey } from '../src/analysis/actions-lock.js';
import { isGitHubOwned, isInternal, usesTarget } from '../src/analysis/facts.js';
import { lineRange } from '../src/analysis/repo-facts.js';
import type { Severity } from '../src/types.js';

export const actionsLockMismatch: Check = {
  meta: {
    id: 'actions-lock-mismatch',
    title: "GitHub's Actions lockfile disagrees with the workflow",
    area: 'pinning',
    severity: 'high',
    description:
      'With `.github/workflows/actions.lock` present: a workflow the lock lists uses an `owner/repo@ref` the lock has no commit for, ' +
      'or the lock keeps an entry for a ref the workflow no longer uses.',
    why:
      'The Actions lockfile (technical preview) makes GitHub run each locked `owner/repo@ref` at its recorded commit. A ref added to a ' +
      'workflow after the lock was written is not locked: it runs whatever the tag or branch points at today, while reviewers believe ' +
      'the lock covers it. Entries left behind for refs no longer used make the lock harder to review.',
    howToFix: 'Regenerate the lockfile (`gh actions-lock`) after changing `uses:` and commit it with the workflow change.',
    example: "# .github/workflows/actions.lock\nworkflows:\n  '.github/workflows/ci.yml':\n    - 'actions/checkout@v6.0.2'\n    - 'actions/setup-go@v6.4.0'   # added with the new step",
    fixable: false,
  },
  workflow(wf, { repo, report }) {
    const locks = lockedRefs(repo);
    const locked = locks.get(wf.file);
    if (!locked) return;
    const used = new Set<string>();
    const sites = [...wf.jobs.flatMap((j) => [...(j.uses ? [j.uses] : []), ...j.steps.flatMap((s) => (s.uses ? [s.uses] : []))])];
    for (const uses of sites) {
      if ((uses.kind !== 'action' && uses.kind !== 'reusable-workflow') || !uses.owner || !uses.repo || !uses.ref) continue;
      if (uses.refKind === 'sha' || uses.refKind === 'expression') continue;
      const key = lockKey(uses.owner, uses.repo, uses.ref);
      used.add(key);
      if (locked.get(key)?.commit) continue;
      // Graded like unpinned-uses, which this finding stands for at the same span.
      let severity: Severity = isGitHubOwned(uses.owner) || uses.refKind === 'short-sha' ? 'medium' : 'high';
      if (isInternal(repo, uses.owner)) severity = 'low';
      report({
        file: wf.file,
        range: uses.range,
        severity,
        group: `${usesTarget(uses)}@${uses.ref}`,
        messageId: 'not-locked',
        message: `\`${usesTarget(uses)}@${uses.ref}\` is not locked in ${ACTIONS_LOCK}, which lists this workflow: it runs whatever \`${uses.ref}\` points at; regenerate the lock`,
      });
    }
    const lockFile = repo.file(ACTIONS_LOCK);
    for (const [key, entry] of locked) {
      if (used.has(key)) continue;
      const written = `${entry.owner}/${entry.repo}@${entry.ref}`;
      const line = lockFile ? lineOf(lockFile.text, entry.ref, entry.repo) : 1;
      report({
        file: ACTIONS_LOCK,
        range: lockFile ? lineRange(lockFile.text, line) : { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 },
        severity: 'low',
        messageId: 'stale-entry',
        message: `the lock lists \`${written}\` for ${wf.file}, which no longer uses that ref`,
      });
    }
  },
};

/** The first line of the lockfile naming `repo@ref` (case-insensitive repository, exact ref). */
function lineOf(text: string, ref: string, repo: string): number {
  const lines = text.split('\n');
  const needle = new RegExp(`/${repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.-])`, 'i');
  const i = lines.findIndex((l) => needle.test(l));
  return i === -1 ? 1 : i + 1;
}
