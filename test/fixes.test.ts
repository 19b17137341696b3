/**
 * Before/after fixture pairs under test/fixtures/fixes/<check>/<case>/: the fix of <check>
 * applied to before.yml (as a workflow) must give after.yml exactly, byte for byte.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planFixes } from '../src/fix/engine.js';
import { discover } from '../src/loader/discover.js';
import { findCheck } from '../src/registry.js';
import { makeRepo } from './helpers/repo.js';

const ROOT = fileURLToPath(new URL('fixtures/fixes/', import.meta.url));
const WF = '.github/workflows/ci.yml';

const cases: Array<[string, string]> = [];
for (const check of await readdir(ROOT)) for (const name of await readdir(path.join(ROOT, check))) cases.push([check, name]);

describe('fix fixtures', () => {
  it.each(cases)('%s: %s', async (checkId, name) => {
    const dir = path.join(ROOT, checkId, name);
    const before = await readFile(path.join(dir, 'before.yml'), 'utf8');
    const after = await readFile(path.join(dir, 'after.yml'), 'utf8');
    const check = findCheck(checkId)!;
    const repo = await makeRepo({ [WF]: before });
    const plan = await planFixes(await discover(repo), { include: 'all', checks: [check], identity: { owner: 'acme', name: 'widgets' } });
    expect(plan.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    expect(plan.files.get(WF)?.after).toBe(after);
    // Idempotent: the fixed file has nothing left for this check to fix.
    const again = await planFixes(await discover(await makeRepo({ [WF]: after })), { include: 'all', checks: [check], identity: { owner: 'acme', name: 'widgets' } });
    expect(again.files.size).toBe(0);
  });
});
