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

  it('splits a workflow whose jobs reuse anchors: the jobs defining them go into every piece, their findings counted once', async () => {
    // A job defining anchors (with findings of its own inside them), jobs using them by alias and
    // merge key, and an anchor outside jobs; actionlint reports each alias where it stands.
    const users = Array.from({ length: 10 }, (_, i) => `  use${i}:
    <<: *base
    env: *env
    steps:
      - *checkout
      - run: echo "\${{ matrix.nope${i} }}"
`).join('');
    const text = `name: anchored
on: &on
  push:
env: &top
  TOP: "1"
jobs:
  base: &base
    runs-on: ubuntu-latest
    env: &env
      A: \${{ github.nope }}
    steps:
      - &checkout
        uses: actions/checkout@v4
      - run: echo "\${{ matrix.own }}"
${users}  late:
    needs: use3
    runs-on: ubuntu-latest
    env: *top
    steps:
      - run: echo late
`;
    const pieces = workflowPieces(text, 1);
    expect(pieces!.length).toBeGreaterThan(5);
    for (const p of pieces!) expect(p.text).toMatch(/^ {2}base: &base$/m);
    const mapped = pieces!.flatMap((p) => p.text.split('\n').flatMap((_, i) => (p.reports(i + 1) ? [p.line(i + 1)] : [])));
    expect(new Set(mapped).size).toBe(mapped.length);
    const whole = await actionlintInPieces(FILE, text, Infinity);
    const said = whole!.map((r) => r.message).join('\n');
    for (const m of [/property "nope" is not defined/, /property "own" is not defined/, /property "nope3" is not defined/, /alias node/]) expect(said).toMatch(m);
    // Two findings at one alias come in actionlint's own order, which is not stable: compared in one order here (verification counts them as a multiset).
    const ordered = (rs: Awaited<ReturnType<typeof actionlintInPieces>>) => rs!.map((r) => JSON.stringify(r)).sort();
    expect(ordered(await actionlintInPieces(FILE, text, 1))).toEqual(ordered(whole));
    expect(ordered(await actionlintInPieces(FILE, text, 300))).toEqual(ordered(whole));
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
    // An anchor or alias after `jobs:` would need the jobs of every piece.
    expect(workflowPieces(`${base}concurrency: &c\n  group: x\n`, 1)).toBeUndefined();
    expect(workflowPieces(`${base.replace('  job0:\n', '  job0: &j0\n')}defaults: *j0\n`, 1)).toBeUndefined();
    expect(workflowPieces(`${base}outputs-note: \${{ jobs.job1.outputs.out }}\n`, 1)).toBeUndefined();
    expect(workflowPieces(base.replace('needs: loop-b', 'needs: {a: b}'), 1)).toBeUndefined();
    expect(workflowPieces(base.replace('needs: loop-b', 'needs: [loop-b, missing]'), 1)).toBeUndefined();
    expect(workflowPieces(base.replace('jobs:\n', 'jobs: {}\njobs2:\n'), 1)).toBeUndefined();
    expect(workflowPieces('on: push\njobs: {a: {runs-on: x}, b: {runs-on: y}}\n', 1)).toBeUndefined();
  });
});
