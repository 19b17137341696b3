import type { Check } from '../src/check.js';
import { dependabotFiles } from '../src/analysis/dependabot.js';

export const dependabotNoCooldown: Check = {
  meta: {
    id: 'dependabot-no-cooldown',
    title: 'Dependabot proposes releases the moment they are published',
    area: 'dependencies',
    severity: 'low',
    description: 'A Dependabot `updates:` entry without `cooldown:`.',
    why:
      'Hijacked releases are usually found and yanked within days. A cooldown keeps Dependabot from proposing a version until it ' +
      'has been public that long; security updates are not delayed by it.',
    howToFix: 'Add `cooldown: { default-days: 3 }` (or more) to each entry.',
    example: '  - package-ecosystem: npm\n    directory: /\n+   cooldown:\n+     default-days: 3',
    fixable: false,
  },
  run({ repo, report }) {
    for (const file of dependabotFiles(repo)) {
      for (const u of file.updates) {
        if (file.yaml.get(u.node, 'cooldown')) continue;
        report({ file: file.yaml.path, range: file.yaml.range(u.ecosystemNode ?? u.node), messageId: 'no-cooldown', message: `Dependabot \`${u.ecosystem || 'entry'}\` updates have no cooldown` });
      }
    }
  },
};
