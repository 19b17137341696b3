/** SARIF 2.1.0 for GitHub code scanning: one rule per check, repository-relative URIs, 1-based regions. */
import type { AuditReport } from '../audit/report.js';
import type { Finding, Severity } from '../types.js';
import { VERSION } from '../version.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning maps this property to its critical/high/medium/low labels. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

/** pipewarden's own repository, where each check's page lives (docs/checks/<id>.md, generated). */
export const REPOSITORY = 'pipewarden/pipewarden';
export const checkDocUrl = (id: string): string => `https://github.com/${REPOSITORY}/blob/main/docs/checks/${id}.md`;

export function renderSarif(report: AuditReport): string {
  const rules = report.checks.map((c) => ({
    id: c.id,
    name: c.title,
    shortDescription: { text: c.title },
    fullDescription: { text: c.description },
    helpUri: checkDocUrl(c.id),
    help: {
      text: `${c.why}\n\nHow to fix: ${c.howToFix}`,
      markdown: `${c.why}\n\n**How to fix:** ${c.howToFix}\n\n\`\`\`yaml\n${c.example}\n\`\`\``,
    },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { tags: ['security', 'supply-chain', c.area], 'security-severity': SECURITY_SEVERITY[c.severity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const location = (l: { file: string; line: number; column: number; endLine: number; endColumn: number }) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(l.file), uriBaseId: '%SRCROOT%' },
      region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn },
    },
  });
  const baselined = report.findings.some((x) => x.baseline);
  // Suppressed findings are reported as suppressed results, not dropped, so code scanning shows who accepted what.
  // Code scanning only shows alerts on files that exist: a finding about a missing file (no
  // SECURITY.md, no dependency-review workflow) is anchored at the first line of a file that does.
  const present = new Set(report.paths);
  const anchor = report.paths.find((p) => p.startsWith('.github/workflows/')) ?? report.paths[0];
  const placed = (f: Finding) => (present.has(f.file) || !anchor ? f : { ...f, file: anchor, line: 1, column: 1, endLine: 1, endColumn: 1 });
  const results = [...report.findings, ...report.suppressed].map((f) => ({
    ruleId: f.check,
    ...(index.has(f.check) ? { ruleIndex: index.get(f.check) } : {}),
    level: LEVEL[f.severity],
    message: { text: `${present.has(f.file) || !anchor ? '' : `(${f.file} does not exist) `}${f.message}. ${f.remediation}` },
    locations: [location(placed(f))],
    ...(f.related?.length ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r), message: { text: r.note } })) } : {}),
    partialFingerprints: { 'pipewarden/v1': f.fingerprint },
    ...(f.suppression ? { suppressions: [{ kind: f.suppression.kind, justification: f.suppression.justification, location: { physicalLocation: { artifactLocation: { uri: encodeURI(f.suppression.source.replace(/:\d+$/, '')), uriBaseId: '%SRCROOT%' }, region: { startLine: Number(/:(\d+)$/.exec(f.suppression.source)?.[1] ?? 1) } } } }] } : {}),
    ...(baselined ? { baselineState: f.baseline ? 'unchanged' : 'new' } : {}),
    properties: { severity: f.severity, confidence: f.confidence, 'security-severity': SECURITY_SEVERITY[f.severity], messageId: f.messageId },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pipewarden', version: VERSION, semanticVersion: VERSION, informationUri: `https://github.com/${REPOSITORY}`, rules } },
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'warning',
              message: { text: e.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: encodeURI(e.file), uriBaseId: '%SRCROOT%' },
                    ...(e.line ? { region: { startLine: e.line } } : {}),
                  },
                },
              ],
            })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
