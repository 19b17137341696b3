import type { Check } from '../src/check.js';
import { hasReleaseAge, renovateAnchor, resolveConfig, unresolvedClause } from '../src/analysis/renovate.js';

export const renovateNoReleaseAge: Check = {
  meta: {
    id: 'renovate-no-release-age',
    title: 'Renovate proposes releases the moment they are published',
    area: 'dependencies',
    severity: 'low',
    description: 'No `minimumReleaseAge` anywhere in the Renovate configuration.',
    why:
      'Malicious releases of popular packages are usually found and pulled within days. Waiting a few days before proposing an ' +
      'update keeps a hijacked release out of your lockfile; security fixes still arrive at once through vulnerability alerts.',
    howToFix: 'Set `"minimumReleaseAge": "3 days"` (or extend "security:minimumReleaseAgeNpm" for npm).',
    example: '{\n  "extends": ["config:best-practices"],\n+ "minimumReleaseAge": "3 days"\n}',
    fixable: false,
  },
  run({ repo, memo, report }) {
    for (const doc of repo.renovate) {
      const resolved = resolveConfig(repo, doc, memo);
      if (resolved.docs.some(hasReleaseAge)) continue;
      const unknown = resolved.unresolved.length > 0;
      report({
        file: doc.file,
        range: renovateAnchor(doc),
        severity: unknown ? 'info' : 'low',
        confidence: unknown ? 'low' : 'high',
        messageId: unknown ? 'no-release-age-unresolved' : 'no-release-age',
        message: unknown
          ? `no minimumReleaseAge in this configuration or the presets read from this repository, and some presets could not be read: ${unresolvedClause(resolved)}`
          : 'no minimumReleaseAge: Renovate proposes new releases as soon as they are published',
      });
    }
  },
};
