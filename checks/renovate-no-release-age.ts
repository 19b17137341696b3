import type { Check } from '../src/check.js';
import { externalPresets, hasReleaseAge, renovateAnchor } from '../src/analysis/renovate.js';

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
  run({ repo, report }) {
    for (const doc of repo.renovate) {
      if (hasReleaseAge(doc)) continue;
      report({
        file: doc.file,
        range: renovateAnchor(doc),
        confidence: externalPresets(doc).length ? 'low' : 'high',
        messageId: 'no-release-age',
        message: 'no minimumReleaseAge: Renovate proposes new releases as soon as they are published',
      });
    }
  },
};
