/**
 * Before/after fixture pairs under test/fixtures/fixes/<check>/<case>/: the fixes of <check>
 * applied to the before/ tree must give the after/ tree exactly, byte for byte, and touch
 * nothing else. settings.json (optional) holds options such as the CODEOWNERS owner.
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
const NOW = new Date('2026-01-01T00:00:00Z');

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, abs).split(path.sep).join('/')] = await readFile(abs, 'utf8');
  }
  return out;
}

const cases: Array<[string, string]> = [];
for (const check of await readdir(ROOT)) for (const name of await readdir(path.join(ROOT, check))) cases.push([check, name]);

describe('fix fixtures', () => {
  it.each(cases)('%s: %s', async (checkId, name) => {
    const dir = path.join(ROOT, checkId, name);
    const before = await tree(path.join(dir, 'before'));
    const after = await tree(path.join(dir, 'after'));
    const settings = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8').catch(() => '{}'));
    const opts = { include: 'all' as const, checks: [findCheck(checkId)!], identity: { owner: 'acme', name: 'widgets' }, now: NOW, ...settings };
    const plan = await planFixes(await discover(await makeRepo(before)), opts);
    expect(plan.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    const result = { ...before, ...Object.fromEntries([...plan.files].map(([f, { after: text }]) => [f, text])) };
    expect(result).toEqual(after);
    // Idempotent: the fixed tree has nothing left for this check to fix.
    const again = await planFixes(await discover(await makeRepo(after)), opts);
    expect(again.files.size).toBe(0);
  });
});
