import type { Check } from '../src/check.js';
import { fileStart } from '../src/analysis/repo-facts.js';

export const noSecurityInsights: Check = {
  meta: {
    id: 'no-security-insights',
    title: 'No SECURITY-INSIGHTS.yml',
    area: 'policy-files',
    severity: 'info',
    description: 'No SECURITY-INSIGHTS.yml (any case) at the root or in .github/.',
    why: 'Security Insights is the machine-readable statement of a project\'s security contacts, release signing and audits that OpenSSF tools read.',
    howToFix: 'Add a SECURITY-INSIGHTS.yml (schema 2.x) with your contacts, vulnerability reporting and release details.',
    example: 'header:\n  schema-version: 2.0.0\n  last-updated: 2025-06-01\n  last-reviewed: 2025-06-01\n  url: https://github.com/<owner>/<repo>',
    fixable: false,
  },
  run({ repo, report }) {
    if (repo.filesOfKind('security-insights').length > 0) return;
    report({ file: 'SECURITY-INSIGHTS.yml', range: fileStart(), messageId: 'absent', message: 'no SECURITY-INSIGHTS.yml' });
  },
};
