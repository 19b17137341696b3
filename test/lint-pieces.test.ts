/**
 * actionlint on a large workflow runs a share of its jobs at a time (src/fix/lint.ts): what it
 * reports must be what it reports on the whole text, positions included.
 */
import { describe, expect, it } from 'vitest';
import { actionlintInPieces, workflowPieces } from '../src/fix/lint.js';

const FILE = '.github/workflows/big.yml';

/** Jobs with errors of every relation actionlint follows between jobs, and some of their own. */
function workflow(extraTail = ''): string {
  const jobs: string[] = [];
  for (let i = 0; i < 12; i++) {
    jobs.push(`  job${i}:
    runs-on: ubuntu-latest
    outputs:
      out: \${{ steps.s.outputs.v }}
    steps:
      - id: s
        run: echo "v=\${{ github.event.issue.title }}" >> "$GITHUB_OUTPUT"
`);
  }
  // A chain of needs (a cycle would do, but actionlint names a cycle's jobs in random order), outputs a needed job does not have, a matrix property
  // that does not exist, an id that duplicates another but for its case, an unknown key.
  jobs.push(`  user:
    needs: [job3]
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.job3.outputs.out }} \${{ needs.job3.outputs.nope }} \${{ needs.job4.outputs.out }}"
`);
  jobs.push(`  loop-a:
    needs: loop-b
    runs-on: ubuntu-latest
    steps:
      - run: echo a
  loop-b:
    runs-on: ubuntu-latest
    steps:
      - run: echo b
`);
  jobs.push(`  matrix:
    runs-on: ubuntu-latest
    timeout: 5
    strategy:
      matrix:
        os: [a, b]
    steps:
      - run: echo "\${{ matrix.os }} \${{ matrix.nope }}"
  JOB1:
    runs-on: ubuntu-latest
    steps:
      - run: echo dup
`);
  return `name: big
on:
  issues:
    types: [opened, bogus]
env:
  TOP: \${{ github.event.issue.title }}
jobs:
${jobs.join('')}${extraTail}`;
}

describe('actionlint in pieces', () => {
  it('reports what actionlint reports on the whole workflow, at the same lines', async () => {
    for (const text of [workflow(), workflow('concurrency:\n  group: ${{ github.nope }}\n'), workflow().trimEnd()]) {
      const pieces = workflowPieces(text, 1);
      expect(pieces!.length).toBeGreaterThan(5);
      const whole = await actionlintInPieces(FILE, text, Infinity);
      // The findings cover each relation: the needs context, a duplicate id, outside jobs, inside one.
      const said = whole!.map((r) => r.message).join('\n');
      for (const m of [/property "nope" is not defined/, /duplicated in "jobs"/, /bogus/, /potentially untrusted/, /unexpected key "timeout"/]) expect(said).toMatch(m);
      expect(await actionlintInPieces(FILE, text, 1)).toEqual(whole);
      expect(await actionlintInPieces(FILE, text, 600)).toEqual(whole);
    }
  });

  it('keeps related jobs together and splits nothing it cannot map back', () => {
    const pieces = workflowPieces(workflow(), 1)!;
    const holding = (id: string): number => pieces.findIndex((p) => new RegExp(`^  ${id}:$`, 'm').test(p.text));
    expect(holding('user')).toBe(holding('job3'));
    expect(holding('loop-a')).toBe(holding('loop-b'));
    expect(holding('JOB1')).toBe(holding('job1'));
    expect(holding('job5')).not.toBe(holding('job6'));
    // Outside jobs: once per workflow; inside: every line of every job, once.
    const mapped = pieces.flatMap((p) => p.text.split('\n').flatMap((_, i) => (p.reports(i + 1) ? [p.line(i + 1)] : [])));
    expect(new Set(mapped).size).toBe(mapped.length);
  });

  it('lints whole what it cannot split soundly', () => {
    const base = workflow();
    expect(workflowPieces(base.replace('env:\n  TOP:', 'env: &top\n  TOP:'), 1)).toBeUndefined();
    expect(workflowPieces(`${base}outputs-note: \${{ jobs.job1.outputs.out }}\n`, 1)).toBeUndefined();
    expect(workflowPieces(base.replace('needs: loop-b', 'needs: {a: b}'), 1)).toBeUndefined();
    expect(workflowPieces(base.replace('needs: loop-b', 'needs: [loop-b, missing]'), 1)).toBeUndefined();
    expect(workflowPieces(base.replace('jobs:\n', 'jobs: {}\njobs2:\n'), 1)).toBeUndefined();
    expect(workflowPieces('on: push\njobs: {a: {runs-on: x}, b: {runs-on: y}}\n', 1)).toBeUndefined();
  });
});
