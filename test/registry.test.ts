/** The registry, the modules in checks/ and the README's table must list the same checks. */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/registry.js';
import { AREAS, SEVERITIES } from '../src/types.js';

const ROOT = new URL('..', import.meta.url);

describe('check registry', () => {
  it('has one module in checks/ per registered check, named by its id', async () => {
    const files = (await readdir(fileURLToPath(new URL('checks/', ROOT)))).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual(CHECKS.map((c) => c.meta.id).sort());
  });

  it('matches the README table row for row', async () => {
    const readme = await readFile(fileURLToPath(new URL('README.md', ROOT)), 'utf8');
    const rows = readme
      .split('\n')
      .map((l) => /^\| `([a-z0-9-]+)` \| ([a-z-]+) \| ([a-z]+) \| (yes|no) \|/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ id: m[1], area: m[2], severity: m[3], fixable: m[4] === 'yes' }));
    expect(rows).toEqual(CHECKS.map((c) => ({ id: c.meta.id, area: c.meta.area, severity: c.meta.severity, fixable: c.meta.fixable })));
  });

  it('has complete, unique metadata', () => {
    const ids = new Set<string>();
    for (const { meta } of CHECKS) {
      expect(ids.has(meta.id)).toBe(false);
      ids.add(meta.id);
      expect(AREAS).toContain(meta.area);
      expect(SEVERITIES).toContain(meta.severity);
      for (const text of [meta.title, meta.description, meta.why, meta.howToFix, meta.example]) expect(text.length).toBeGreaterThan(10);
    }
  });
});
