/** docs/checks/ has one generated page per registered check, and SARIF rules link to it. */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocs } from '../scripts/gen-check-docs.js';
import { auditDirectory } from '../src/audit/audit.js';
import { CHECKS } from '../src/registry.js';
import { checkDocUrl, REPOSITORY, renderSarif } from '../src/reporters/sarif.js';

const DOCS = fileURLToPath(new URL('../docs/checks/', import.meta.url));
const GAPPY = fileURLToPath(new URL('fixtures/gappy-repo', import.meta.url));

describe('check docs', () => {
  it('every registered check has its page, naming its id and title, and no page is left over', async () => {
    const files = (await readdir(DOCS)).filter((f) => f.endsWith('.md')).sort();
    expect(files).toEqual(['README.md', ...CHECKS.map((c) => `${c.meta.id}.md`)].sort());
    for (const { meta } of CHECKS) {
      const page = await readFile(`${DOCS}${meta.id}.md`, 'utf8');
      expect(page.split('\n')[0]).toBe(`# ${meta.id}: ${meta.title}`);
      expect(page).toContain(meta.why);
      expect(page).toContain(meta.howToFix);
    }
  });

  it('the pages are exactly what the generator writes today (run npm run docs:checks after changing a check)', async () => {
    for (const [name, text] of checkDocs()) expect(await readFile(`${DOCS}${name}`, 'utf8'), name).toBe(text);
  });

  it('an example holding backticks cannot close its code fence', () => {
    const meta = { ...CHECKS[0]!.meta, example: 'run: |\n  ```\n  echo `date`\n  ```' };
    const page = checkDocs([meta]).get(`${meta.id}.md`)!;
    expect(page).toContain('````\nrun: |\n  ```\n');
    expect(page).toContain('  ```\n````\n');
  });

  it('each SARIF rule links to its page in the project repository', async () => {
    const { report } = await auditDirectory(GAPPY, { checks: CHECKS, identity: { owner: 'acme', name: 'gappy' }, label: 'acme/gappy' });
    const rules = JSON.parse(renderSarif(report)).runs[0].tool.driver.rules as Array<{ id: string; helpUri: string }>;
    expect(rules.length).toBe(CHECKS.length);
    for (const r of rules) expect(r.helpUri).toBe(`https://github.com/${REPOSITORY}/blob/main/docs/checks/${r.id}.md`);
    expect(checkDocUrl('unpinned-uses')).toBe('https://github.com/pipewarden/pipewarden/blob/main/docs/checks/unpinned-uses.md');
  });
});
