import type { Check } from '../src/check.js';
import { fileStart } from '../src/analysis/repo-facts.js';
import { readInsightsHeader } from '../src/analysis/security-insights.js';

export const securityInsightsInvalid: Check = {
  meta: {
    id: 'security-insights-invalid',
    title: 'SECURITY-INSIGHTS.yml does not match its schema version',
    area: 'policy-files',
    severity: 'low',
    description: 'A SECURITY-INSIGHTS.yml with an unknown schema version, missing required header fields, or dates that are not ISO dates.',
    why: 'Tools that read Security Insights reject a file that does not match its schema, so its contacts and claims are silently ignored.',
    howToFix: 'Fill in the required header fields for the declared schema-version (1.0.0 or 2.x) with ISO 8601 dates.',
    example: 'header:\n  schema-version: 2.0.0\n  last-updated: 2025-06-01\n  last-reviewed: 2025-06-01\n  url: https://github.com/<owner>/<repo>',
    fixable: false,
  },
  run({ repo, report }) {
    for (const yaml of repo.yamlOfKind('security-insights')) {
      const header = readInsightsHeader(yaml);
      const at = header.headerNode ? yaml.range(header.headerNode) : fileStart();
      if (!header.headerNode) {
        report({ file: yaml.path, range: fileStart(), messageId: 'no-header', message: 'SECURITY-INSIGHTS has no `header:`' });
        continue;
      }
      if (!header.version) {
        const v = header.fields.get('schema-version');
        report({ file: yaml.path, range: v ? yaml.range(v.node) : at, messageId: 'schema-version', message: `SECURITY-INSIGHTS schema-version ${header.rawVersion ? `\`${header.rawVersion}\` is not 1.x or 2.x` : 'is missing'}` });
        continue;
      }
      if (header.missing.length) {
        report({ file: yaml.path, range: { ...at, endLine: at.line, endColumn: at.column }, messageId: 'header-fields', message: `SECURITY-INSIGHTS v${header.version} header lacks ${header.missing.map((m) => `\`${m}\``).join(', ')}` });
      }
      for (const bad of header.badDates) {
        report({ file: yaml.path, range: yaml.range(bad.node), messageId: 'bad-date', message: `\`${bad.field}\` is not an ISO date: ${bad.value}` });
      }
    }
  },
};
