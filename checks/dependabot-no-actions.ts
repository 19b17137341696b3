import type { Check } from '../src/check.js';
import { dependabotFiles } from '../src/analysis/dependabot.js';
import { fileStart } from '../src/analysis/repo-facts.js';

export const dependabotNoActions: Check = {
  meta: {
    id: 'dependabot-no-actions',
    title: 'Dependabot does not update GitHub Actions',
    area: 'dependencies',
    severity: 'medium',
    description: 'The Dependabot configuration has no `github-actions` ecosystem entry.',
    why:
      'Actions are dependencies that run with your token and secrets. Without an entry for them, SHA pins never move and tag ' +
      'references never get the release notes of a security fix in front of a reviewer.',
    howToFix: 'Add an `updates:` entry with `package-ecosystem: github-actions` and `directory: /`.',
    example: 'updates:\n+  - package-ecosystem: github-actions\n+    directory: /\n+    schedule:\n+      interval: weekly',
    fixable: false,
  },
  run({ repo, report }) {
    // Renovate may be the tool that updates actions; only a Dependabot-only repository must cover them here.
    if (repo.renovate.length > 0 || repo.workflows.length === 0) return;
    for (const file of dependabotFiles(repo)) {
      if (file.updates.some((u) => u.ecosystem === 'github-actions')) continue;
      report({ file: file.yaml.path, range: file.updatesKey ? file.yaml.range(file.updatesKey) : fileStart(), messageId: 'no-actions-ecosystem', message: 'Dependabot updates no `github-actions` dependencies' });
    }
  },
};
