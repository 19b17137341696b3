import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { auditDirectory } from '../src/audit/audit.js';
import { CHECKS } from '../src/registry.js';
import { renderGithub } from '../src/reporters/github.js';
import { renderJson } from '../src/reporters/json.js';
import { renderMarkdown } from '../src/reporters/markdown.js';
import { renderSarif } from '../src/reporters/sarif.js';
import { renderText } from '../src/reporters/text.js';
import { makeRepo, yaml } from './helpers/repo.js';

const require = createRequire(import.meta.url);

async function sampleReport() {
  const dir = await makeRepo({
    '.github/workflows/ci.yml': yaml(
      'on: issues',
      'jobs:',
      '  a:',
      '    runs-on: x',
      '    steps:',
      '      - uses: acme/tools/setup@main',
      '      - uses: acme/tools/setup@main',
      '      - run: echo "${{ github.event.issue.title }}"',
    ),
    '.github/workflows/broken.yml': 'on: [',
    'path with space/action.yml': yaml('runs:', '  using: composite', '  steps:', '    - uses: actions/cache@v4'),
  });
  return (await auditDirectory(dir, { checks: CHECKS, identity: { owner: 'acme', name: 'widgets' }, label: 'acme/widgets' })).report;
}

describe('reporters', () => {
  it('SARIF is valid against the official SARIF 2.1.0 schema', async () => {
    const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const sarif = JSON.parse(renderSarif(await sampleReport()));
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator really checks: a 0-based line is rejected.
    const broken = structuredClone(sarif);
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(broken)).toBe(false);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('template-injection');
    const injection = run.results.find((r: { ruleId: string }) => r.ruleId === 'template-injection');
    expect(injection.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 8, startColumn: 20, endLine: 8, endColumn: 51 },
    });
    expect(run.results.some((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'path%20with%20space/action.yml')).toBe(true);
  });

  it('JSON has the documented shape', async () => {
    const doc = JSON.parse(renderJson(await sampleReport()));
    expect(Object.keys(doc)).toEqual(['version', 'tool', 'target', 'repository', 'findings', 'suppressed', 'unusedSuppressions', 'errors', 'summary', 'secrets']);
    expect(doc.tool.name).toBe('pipewarden');
    expect(doc.findings[0]).toMatchObject({ check: expect.any(String), severity: expect.any(String), confidence: expect.any(String), area: expect.any(String), file: expect.any(String), line: expect.any(Number), column: expect.any(Number), endLine: expect.any(Number), endColumn: expect.any(Number), message: expect.any(String), remediation: expect.any(String), fixable: expect.any(Boolean), messageId: expect.stringMatching(/^[a-z0-9-]+\/[a-z0-9-]+$/), fingerprint: expect.stringMatching(/^[0-9a-f]{16}\.\d+$/) });
    expect(doc.errors[0]).toMatchObject({ file: '.github/workflows/broken.yml', line: 1 });
    expect(doc.summary.bySeverity.critical).toBe(1);
  });

  it('GitHub annotations escape data and properties', async () => {
    const out = renderGithub(await sampleReport());
    expect(out).toContain('::error file=.github/workflows/ci.yml,line=8,col=20,endLine=8,endColumn=51,title=pipewarden template-injection (critical)::');
    expect(out).toMatch(/^::warning file=\.github\/workflows\/broken\.yml,line=1,title=pipewarden::YAML/m);
    for (const line of out.trimEnd().split('\n')) expect(line.startsWith('::')).toBe(true);
  });

  it('text leads with counts and the fix-first list, orders by priority and collapses repeats', async () => {
    const out = renderText(await sampleReport(), false);
    expect(out).toMatch(/^pipewarden: acme\/widgets {2}\d+ findings: 1 critical/);
    expect(out).toMatch(/^Fix first:\n {2}1\. critical \.github\/workflows\/ci\.yml:8 /m);
    // Severity sections in order, critical first.
    const sections = [...out.matchAll(/^(CRITICAL|HIGH|MEDIUM|LOW|INFO) \(\d+\)$/gm)].map((m) => m[1]);
    expect(sections[0]).toBe('CRITICAL');
    expect(sections).toEqual([...sections].sort((a, b) => ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'].indexOf(a!) - ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'].indexOf(b!)));
    expect(out).toMatch(/^ {2}2 × acme\/tools\/setup@main/m);
    expect(out).not.toMatch(/\u001b\[/);
    expect(renderText(await sampleReport(), true)).toMatch(/\u001b\[/);
  });

  it('markdown renders a severity table and escapes pipes', async () => {
    const out = renderMarkdown(await sampleReport());
    expect(out).toContain('| critical | high | medium | low | info |');
    expect(out).toContain('`template-injection`');
  });
});
