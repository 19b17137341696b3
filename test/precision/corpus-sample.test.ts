/**
 * The precision sample: findings on the shared corpus judged by hand (test/precision/sample.tsv).
 * Re-audits the corpus when ../shared/corpus exists (skips cleanly otherwise) and checks that each
 * finding judged right or severity-off is still reported with the severity it was judged at, and
 * that each judged wrong is no longer reported, so the next change has to re-judge what it moves.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditDirectory } from '../../src/audit/audit.js';
import { CHECKS } from '../../src/registry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// ../shared/corpus beside the project root; a worktree one level further down (/work/wt/<name>) finds it one up.
const CORPUS = [path.resolve(ROOT, '../shared/corpus'), path.resolve(ROOT, '../../shared/corpus')].find((d) => existsSync(d)) ?? path.resolve(ROOT, '../shared/corpus');

interface Judged {
  repo: string;
  check: string;
  file: string;
  line: number;
  severity: string;
  verdict: 'right' | 'wrong' | 'severity-off';
  reason: string;
}

const rows: Judged[] = (await readFile(new URL('sample.tsv', import.meta.url), 'utf8'))
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const [repo, check, file, line, severity, verdict, reason] = l.split('\t') as [string, string, string, string, string, Judged['verdict'], string];
    return { repo, check, file, line: Number(line), severity, verdict, reason };
  });

describe('precision sample', () => {
  it('is a sample worth the name: 40 or more judged findings, every verdict known, at least 90% defensible', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(rows.every((r) => ['right', 'wrong', 'severity-off'].includes(r.verdict) && r.reason.length > 0)).toBe(true);
    const reported = rows.filter((r) => r.verdict !== 'wrong');
    expect(reported.filter((r) => r.verdict === 'right').length / reported.length).toBeGreaterThanOrEqual(0.9);
    expect(reported.filter((r) => (r.severity === 'high' || r.severity === 'critical') && r.verdict !== 'right')).toEqual([]);
  });

  const repos = [...new Set(rows.map((r) => r.repo))];
  it.skipIf(!existsSync(CORPUS)).each(repos)('%s: judged findings are where the judgement left them', async (repo) => {
    const [owner, name] = repo.split('__') as [string, string];
    const { report } = await auditDirectory(path.join(CORPUS, repo), { checks: CHECKS, identity: { owner, name } });
    const at = (r: Judged) => report.findings.filter((f) => f.check === r.check && f.file === r.file && f.line === r.line);
    for (const r of rows.filter((x) => x.repo === repo)) {
      const found = at(r);
      if (r.verdict === 'wrong') expect(found.map((f) => `${f.check} ${f.file}:${f.line}`), r.reason).toEqual([]);
      else expect(found.map((f) => f.severity), `${r.check} ${r.file}:${r.line} (${r.reason})`).toContain(r.severity);
    }
  });
});
