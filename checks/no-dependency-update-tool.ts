import type { Check } from '../src/check.js';
import { fileStart } from '../src/analysis/repo-facts.js';

export const noDependencyUpdateTool: Check = {
  meta: {
    id: 'no-dependency-update-tool',
    title: 'Neither Renovate nor Dependabot configured',
    area: 'dependencies',
    severity: 'medium',
    description: 'No Renovate configuration (any location Renovate reads) and no .github/dependabot.yml.',
    why:
      'Pinned dependencies and SHA-pinned actions are only safe while someone keeps them current. Without an update bot, pins rot: ' +
      'security fixes are missed, and the eventual big-bang upgrade is the change nobody reviews closely.',
    howToFix: 'Add .github/dependabot.yml with an entry per ecosystem (github-actions included), or a renovate.json extending config:best-practices.',
    example: 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly',
    fixable: false,
  },
  run({ repo, report }) {
    const files = repo.files;
    if (files.some((f) => f.kind === 'dependabot' || f.kind === 'renovate') || repo.renovate.length > 0) return;
    report({ file: '.github/dependabot.yml', range: fileStart(), messageId: 'absent', message: 'no Renovate or Dependabot configuration: nothing keeps dependencies and action pins current' });
  },
};
