import type { Check } from '../src/check.js';
import { parseDate, readInsightsHeader } from '../src/security-insights.js';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export const securityInsightsExpired: Check = {
  meta: {
    id: 'security-insights-expired',
    title: 'SECURITY-INSIGHTS.yml is out of date',
    area: 'policy-files',
    severity: 'medium',
    description: 'A v1 file whose `header.expiration-date` has passed, or a v2 file whose `header.last-reviewed` is more than a year old.',
    why:
      'Security Insights tells users and tools (OpenSSF, CLOMonitor, LFX) who to contact, how releases are signed and what is ' +
      'audited. An expired file says nobody has checked those claims recently, and consumers are told to distrust it.',
    howToFix: 'Review the file\'s contents, then move `expiration-date` (v1) or `last-reviewed` (v2) forward.',
    example: 'header:\n-  expiration-date: 2024-01-01T00:00:00.000Z\n+  expiration-date: 2026-01-01T00:00:00.000Z',
    fixable: false,
  },
  run({ repo, report }) {
    for (const yaml of repo.yamlFiles.values()) {
      if (!/(?:^|\/)security-insights\.ya?ml$/i.test(yaml.path)) continue;
      const header = readInsightsHeader(yaml);
      if (header.version === 1) {
        const exp = header.fields.get('expiration-date');
        const date = exp && parseDate(exp.value);
        if (exp && date && date.getTime() < repo.now.getTime()) {
          report({ file: yaml.path, range: yaml.range(exp.node), message: `SECURITY-INSIGHTS expired on ${date.toISOString().slice(0, 10)}` });
        }
      } else if (header.version === 2) {
        const reviewed = header.fields.get('last-reviewed');
        const date = reviewed && parseDate(reviewed.value);
        if (reviewed && date && repo.now.getTime() - date.getTime() > YEAR_MS) {
          report({ file: yaml.path, range: yaml.range(reviewed.node), message: `SECURITY-INSIGHTS was last reviewed on ${date.toISOString().slice(0, 10)}, more than a year ago` });
        }
      }
    }
  },
};
