/**
 * A table-driven tester in the spirit of ESLint's RuleTester: each valid case must produce no
 * finding from the check under test; each invalid case must produce exactly the listed
 * findings (check, file, line, column and any other field given), in order. An invalid case
 * with `output` also runs the fix engine (every fix of the check, unsafe ones included) and
 * requires exactly those files to change, to exactly that text (ESLint's `output`).
 */
import { describe, expect, it } from 'vitest';
import { auditDirectory } from '../../src/audit/audit.js';
import type { Check } from '../../src/check.js';
import { planFixes } from '../../src/fix/engine.js';
import { Resolver } from '../../src/github/resolve.js';
import type { RemoteFacts } from '../../src/github/settings.js';
import { discover } from '../../src/loader/discover.js';
import type { Finding } from '../../src/types.js';
import { makeRepo } from './repo.js';

export interface TesterCase {
  name: string;
  files: Record<string, string>;
  /** owner/name of the audited repository. */
  repo?: string;
  now?: string;
  /** --owner for fixes that need one. */
  owner?: string;
  /** Pins the resolver knows, as `owner/repo@ref` -> commit and version (no network). */
  pins?: Record<string, { sha: string; version: string }>;
  /** Remote facts (repository settings and look-ups) the remote checks read, injected without a network. */
  remote?: RemoteFacts;
}

export interface InvalidCase extends TesterCase {
  findings: Array<Partial<Finding> & { line: number; column: number }>;
  /** Every file the check's fixes change or create, with its full text afterwards. */
  output?: Record<string, string>;
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
        if (c.output) {
          const plan = await planFixes(await discover(await makeRepo(c.files)), { ...options(check, c), include: 'all' });
          expect(plan.outcomes.filter((o) => o.status !== 'applied').map((o) => `${o.status}: ${o.reason}`)).toEqual([]);
          expect(Object.fromEntries([...plan.files].map(([file, { after }]) => [file, after]))).toEqual(c.output);
        }
      });
    }
  });
}

function options(check: Check, c: TesterCase) {
  const [owner, name] = (c.repo ?? 'acme/widgets').split('/') as [string, string];
  const entries = Object.fromEntries(Object.entries(c.pins ?? {}).map(([k, v]) => [k.toLowerCase(), { ...v, kind: 'tag' as const, resolvedAt: '2026-01-01T00:00:00.000Z' }]));
  return {
    checks: [check],
    identity: { owner, name },
    ...(c.now ? { now: new Date(c.now) } : {}),
    ...(c.owner ? { owner: c.owner } : {}),
    ...(c.remote ? { remote: c.remote } : {}),
    ...(c.pins ? { resolver: new Resolver(undefined, { version: 1, entries }, { offline: true }) } : {}),
  };
}

async function run(check: Check, c: TesterCase): Promise<Finding[]> {
  const dir = await makeRepo(c.files);
  const { report } = await auditDirectory(dir, options(check, c));
  const checkErrors = report.errors.filter((e) => e.check);
  expect(checkErrors).toEqual([]);
  return report.findings;
}

/** Compares only the fields the expectation names (plus file and check). */
function pick(f: Finding, shape: object): Partial<Finding> {
  const keys = new Set(['file', 'check', ...Object.keys(shape)]);
  return Object.fromEntries(Object.entries(f).filter(([k]) => keys.has(k)));
}
