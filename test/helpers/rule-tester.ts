/**
 * A table-driven tester in the spirit of ESLint's RuleTester: each valid case must produce no
 * finding from the check under test; each invalid case must produce exactly the listed
 * findings (check, file, line, column and any other field given), in order.
 */
import { describe, expect, it } from 'vitest';
import { auditDirectory } from '../../src/audit/audit.js';
import type { Check } from '../../src/audit/check.js';
import type { Finding } from '../../src/types.js';
import { makeRepo } from './repo.js';

export interface TesterCase {
  name: string;
  files: Record<string, string>;
  /** owner/name of the audited repository. */
  repo?: string;
  now?: string;
}

export interface InvalidCase extends TesterCase {
  findings: Array<Partial<Finding> & { line: number; column: number }>;
}

export function ruleTester(check: Check, cases: { valid: TesterCase[]; invalid: InvalidCase[] }): void {
  describe(check.meta.id, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const findings = await run(check, c);
        expect(findings).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const findings = await run(check, c);
        const defaultFile = Object.keys(c.files)[0];
        expect(findings.map((f, i) => pick(f, c.findings[i] ?? c.findings[0] ?? {}))).toEqual(
          c.findings.map((e) => ({ file: defaultFile, check: check.meta.id, ...e })),
        );
      });
    }
  });
}

async function run(check: Check, c: TesterCase): Promise<Finding[]> {
  const dir = await makeRepo(c.files);
  const [owner, name] = (c.repo ?? 'acme/widgets').split('/') as [string, string];
  const { report } = await auditDirectory(dir, { checks: [check], identity: { owner, name }, ...(c.now ? { now: new Date(c.now) } : {}) });
  const checkErrors = report.errors.filter((e) => e.check);
  expect(checkErrors).toEqual([]);
  return report.findings;
}

/** Compares only the fields the expectation names (plus file and check). */
function pick(f: Finding, shape: object): Partial<Finding> {
  const keys = new Set(['file', 'check', ...Object.keys(shape)]);
  return Object.fromEntries(Object.entries(f).filter(([k]) => keys.has(k)));
}
