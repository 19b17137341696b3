import type { Check } from '../src/check.js';
import { replaceScalar } from '../src/edits/yaml-edit.js';
import type { Node, Scalar, YamlFile } from '../src/model/yaml.js';
import { parseDate, readInsightsHeader } from '../src/analysis/security-insights.js';
import type { Fix } from '../src/types.js';

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
    fixable: true,
  },
  run({ repo, env, report }) {
    for (const yaml of repo.yamlOfKind('security-insights')) {
      const header = readInsightsHeader(yaml);
      if (header.version === 1) {
        const exp = header.fields.get('expiration-date');
        const date = exp && parseDate(exp.value);
        if (exp && date && date.getTime() < env.now.getTime()) {
          const next = new Date(Date.UTC(env.now.getUTCFullYear() + 1, env.now.getUTCMonth(), env.now.getUTCDate()));
          report({
            file: yaml.path,
            range: yaml.range(exp.node),
            messageId: 'expired',
            message: `SECURITY-INSIGHTS expired on ${date.toISOString().slice(0, 10)}`,
            fix: dateFix(yaml, exp.node, exp.value, next, ['header', 'expiration-date'], 'Move expiration-date a year ahead (review the file first)'),
          });
        }
      } else if (header.version === 2) {
        const reviewed = header.fields.get('last-reviewed');
        const date = reviewed && parseDate(reviewed.value);
        if (reviewed && date && env.now.getTime() - date.getTime() > YEAR_MS) {
          report({
            file: yaml.path,
            range: yaml.range(reviewed.node),
            messageId: 'review-stale',
            message: `SECURITY-INSIGHTS was last reviewed on ${date.toISOString().slice(0, 10)}, more than a year ago`,
            fix: dateFix(yaml, reviewed.node, reviewed.value, env.now, ['header', 'last-reviewed'], 'Set last-reviewed to today (review the file first)'),
          });
        }
      }
    }
  },
};

/** Writes the new date in the shape the old one had (date only, or with the same time suffix). Unsafe: a person must review the content. */
function dateFix(yaml: YamlFile, node: Node, old: string, when: Date, path: string[], title: string): Fix {
  const day = when.toISOString().slice(0, 10);
  const suffix = /^\d{4}-\d{2}-\d{2}(.*)$/.exec(old.trim())?.[1] ?? '';
  return { title, safety: 'unsafe', edits: [replaceScalar(yaml, node as Scalar, `${day}${suffix}`)], newFiles: [], changes: [{ file: yaml.path, path }] };
}
