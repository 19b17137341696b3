/**
 * A session keeps each lone workflow's result between its audits (src/audit/result-cache.ts):
 * a re-audit after an edit audits the edited file again and takes the rest from the cache, and
 * its report is the one a fresh audit of the same files gives.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDirectory } from '../src/audit/audit.js';
import { ResultCache } from '../src/audit/result-cache.js';
import { RepoSession } from '../src/engine/session.js';
import { CHECKS } from '../src/registry.js';

const identity = { owner: 'acme', name: 'app' };
const now = new Date('2026-12-01T00:00:00Z');
let dir: string;

const lone = (i: number, title = 'title'): string =>
  `name: ci-${i}\non: [pull_request_target]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo "\${{ github.event.pull_request.${title} }}"\n        env: { T: "\${{ secrets.TOKEN_${i} }}" }\n`;

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), text);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pipewarden-result-cache-'));
  for (let i = 0; i < 6; i++) await put(`.github/workflows/wf-${i}.yml`, lone(i));
  await put('.github/workflows/caller.yml', 'on: [issue_comment]\njobs:\n  c:\n    uses: ./.github/workflows/callee.yml\n');
  await put('.github/workflows/callee.yml', 'on: [workflow_call]\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.comment.body }}"\n');
  await put('.github/dependabot.yml', 'version: 2\nupdates: []\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fresh = async () => (await auditDirectory(dir, { checks: CHECKS, identity, now, parallel: false })).report;
const shape = (r: Awaited<ReturnType<typeof fresh>>) => ({ findings: JSON.stringify(r.findings), errors: r.errors.map((e) => JSON.stringify(e)).sort(), secrets: JSON.stringify(r.secrets) });

describe('result cache', () => {
  it('audits again only the file that changed, and reports what a fresh audit reports', async () => {
    const session = await RepoSession.open(dir, { checks: CHECKS, identity, now });
    const cache = (session as unknown as { resultCache: ResultCache }).resultCache;
    const first = await session.audit();
    expect(shape(first.report)).toEqual(shape(await fresh()));
    // Every workflow file once; the linked pair's result is only that they are linked: they are audited with the actions every time.
    expect(cache.audited).toBe(8);
    await put('.github/workflows/wf-2.yml', lone(2, 'body'));
    const second = await session.audit();
    expect(cache.audited).toBe(9);
    expect(cache.served).toBe(7);
    expect(shape(second.report)).toEqual(shape(await fresh()));
    expect(second.report.findings.some((f) => f.file === '.github/workflows/wf-2.yml' && f.message.includes('pull_request.body'))).toBe(true);
  });

  it('audits every file again when a file they all depend on changes (the context), and forgets files that are gone', async () => {
    const session = await RepoSession.open(dir, { checks: CHECKS, identity, now });
    const cache = (session as unknown as { resultCache: ResultCache }).resultCache;
    await session.audit();
    const before = cache.audited;
    await put('.github/workflows/actions.lock', "workflows:\n  '.github/workflows/wf-0.yml':\n    - 'actions/checkout@v4'\n");
    const again = await session.audit();
    expect(cache.audited - before).toBe(8);
    expect(shape(again.report)).toEqual(shape(await fresh()));
    await rm(path.join(dir, '.github/workflows/actions.lock'));
    await rm(path.join(dir, '.github/workflows/wf-5.yml'));
    const gone = await session.audit();
    expect(gone.report.findings.some((f) => f.file.endsWith('wf-5.yml'))).toBe(false);
    expect(cache.size).toBe(7);
    expect(shape(gone.report)).toEqual(shape(await fresh()));
  });

  it('findings from the cache are fresh objects: what one audit changes on them the next does not see', async () => {
    const session = await RepoSession.open(dir, { checks: CHECKS, identity, now });
    const a = await session.audit();
    a.report.findings.forEach((f) => (f.severity = 'info'));
    const b = await session.audit();
    expect(b.report.findings.some((f) => f.severity !== 'info')).toBe(true);
    expect(shape(b.report)).toEqual(shape(await fresh()));
  });

  it("answers the whole-repository checks' questions again for the file that changed (per-workflow answers are kept with the workflow)", async () => {
    const session = await RepoSession.open(dir, { checks: CHECKS, identity, now });
    const scorecard = (r: Awaited<ReturnType<typeof fresh>>) => r.findings.some((f) => f.check === 'no-scorecard');
    expect(scorecard((await session.audit()).report)).toBe(true);
    const before = lone(3);
    await put('.github/workflows/wf-3.yml', before.replace('      - uses: actions/checkout@v4\n', '      - uses: actions/checkout@v4\n      - uses: ossf/scorecard-action@v2\n'));
    const added = await session.audit();
    expect(scorecard(added.report)).toBe(false);
    expect(shape(added.report)).toEqual(shape(await fresh()));
    await put('.github/workflows/wf-3.yml', before);
    const removed = await session.audit();
    expect(scorecard(removed.report)).toBe(true);
    expect(shape(removed.report)).toEqual(shape(await fresh()));
  });

  it('keeps nothing for a session that audits once (a report in CI), and reports the same', async () => {
    const session = await RepoSession.open(dir, { checks: CHECKS, identity, now, once: true });
    const cache = (session as unknown as { resultCache: ResultCache }).resultCache;
    const audit = await session.audit();
    expect(shape(audit.report)).toEqual(shape(await fresh()));
    expect(cache.audited).toBe(0);
    expect(cache.size).toBe(0);
  });
});
