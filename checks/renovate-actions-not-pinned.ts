import type { Check } from '../src/check.js';
import { appendToJsonArray } from '../src/edits/text-files.js';
import { member } from '../src/model/jsonish.js';
import { pinsActionDigests, renovateAnchor, resolveConfig, unresolvedClause } from '../src/analysis/renovate.js';

export const renovateActionsNotPinned: Check = {
  meta: {
    id: 'renovate-actions-not-pinned',
    title: 'Renovate does not pin GitHub Actions to digests',
    area: 'dependencies',
    severity: 'medium',
    description:
      'The Renovate configuration has no helpers:pinGitHubActionDigests, config:best-practices, or pinDigests rule that covers actions (config:recommended alone does not pin).',
    why:
      'Renovate keeps whatever form a reference has: `@v4` stays a movable tag. With digest pinning it rewrites references to ' +
      '`@<sha> # v4.2.2` and keeps both current, so pinning costs no maintenance.',
    howToFix: 'Add "helpers:pinGitHubActionDigests" to `extends` (or extend "config:best-practices").',
    example: '"extends": [\n  "config:recommended",\n+ "helpers:pinGitHubActionDigests"\n]',
    fixable: true,
  },
  run({ repo, memo, report }) {
    for (const doc of repo.renovate) {
      const resolved = resolveConfig(repo, doc, memo);
      if (resolved.docs.some(pinsActionDigests)) continue;
      const ext = member(doc.root, 'extends');
      const unknown = resolved.unresolved.length > 0;
      const text = repo.files.find((f) => f.path === doc.file)?.text;
      const edit = text && ext?.value.type === 'Array' ? appendToJsonArray(doc.file, text, ext.value, 'helpers:pinGitHubActionDigests') : undefined;
      report({
        ...(edit
          ? { fix: { title: 'Extend helpers:pinGitHubActionDigests', safety: 'safe' as const, edits: [edit], newFiles: [], changes: [{ file: doc.file, path: [...doc.path, 'extends'] }] } }
          : {}),
        file: doc.file,
        range: renovateAnchor(doc),
        severity: unknown ? 'info' : 'medium',
        confidence: unknown ? 'low' : 'high',
        messageId: unknown ? 'not-pinned-unresolved' : 'not-pinned',
        message: unknown
          ? `neither this configuration nor the presets read from this repository pin action digests, and some presets could not be read: ${unresolvedClause(resolved)}`
          : `Renovate does not pin GitHub Actions to commit digests${resolved.docs.length > 1 ? ` (presets read: ${resolved.docs.slice(1).map((d) => d.file).join(', ')})` : ''}`,
      });
    }
  },
};
