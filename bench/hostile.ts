/**
 * Adversarial workflow shapes for the linearity bench: each generator takes a size factor and
 * returns one workflow whose cost should grow linearly with it. Shared by bench/bench.ts and
 * the robustness tests (which use small factors).
 */

export interface HostileShape {
  name: string;
  /** What a factor of 1 means. */
  unit: string;
  make(factor: number): string;
}

const HEADER = `name: hostile
on:
  issues:
    types: [opened]
  pull_request_target:
permissions:
  contents: read
`;

/** Thousands of small jobs, each interpolating an attacker-controlled title into `run:`. */
function manyJobs(n: number): string {
  const jobs: string[] = [];
  for (let i = 0; i < n; i++) {
    jobs.push(`  job${i}:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.event.issue.title }}"
`);
  }
  return `${HEADER}jobs:\n${jobs.join('')}`;
}

/** One step whose `run:` holds thousands of expressions, in a block scalar. */
function manyExpressions(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`          echo "${i} \${{ github.event.issue.title }} \${{ matrix.v${i % 7} }}"`);
  return `${HEADER}jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: |
${lines.join('\n')}
`;
}

/** Deeply nested flow collections under `with:` (the YAML parser and every walker recurse). */
function deepNesting(depth: number): string {
  return `${HEADER}jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          deep: ${'['.repeat(depth)}\${{ github.event.issue.title }}${']'.repeat(depth)}
      - run: echo ok
`;
}

/** A handful of very long lines: one plain scalar of ~kilobytes with expressions scattered along it. */
function longLines(kib: number): string {
  const chunk = 'x'.repeat(200) + ' ${{ github.event.issue.body }} ';
  const line = chunk.repeat(Math.ceil((kib * 1024) / chunk.length));
  return `${HEADER}jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${line}
      - name: ${line.slice(0, 1024 * kib)}
        run: echo ok
`;
}

/** Many anchors, aliases and merge keys: each job merges a shared base and reuses anchored steps. */
function anchorsAliases(n: number): string {
  const jobs: string[] = [`  base: &base
    runs-on: ubuntu-latest
    env: &env
      TITLE: \${{ github.event.issue.title }}
    steps:
      - &checkout
        uses: actions/checkout@v4
      - &greet
        run: echo "\${{ github.event.issue.title }}"
`];
  for (let i = 0; i < n; i++) {
    jobs.push(`  job${i}:
    <<: *base
    env: *env
    steps:
      - *checkout
      - &s${i}
        run: echo "${i} \${{ github.event.issue.title }}"
      - *greet
`);
  }
  return `${HEADER}jobs:\n${jobs.join('')}`;
}

export const HOSTILE: readonly HostileShape[] = [
  { name: 'jobs', unit: '500 jobs', make: (f) => manyJobs(500 * f) },
  { name: 'expressions', unit: '2,000 expressions in one run:', make: (f) => manyExpressions(2000 * f) },
  { name: 'nesting', unit: 'depth 1,000', make: (f) => deepNesting(1000 * f) },
  { name: 'long-lines', unit: '64 KiB lines', make: (f) => longLines(64 * f) },
  { name: 'anchors', unit: '250 jobs of aliases', make: (f) => anchorsAliases(250 * f) },
];

/** A workflow of at most `bytes` bytes (and within a few KiB of it) mixing every shape (the "5 MiB hostile workflow"). */
export function hostileMix(bytes: number): string {
  const jobs = manyJobs(1).split('jobs:\n')[1]!;
  const perJob = jobs.length;
  const out: string[] = [`${HEADER}jobs:\n`];
  let size = out[0]!.length;
  for (let i = 0; ; i++) {
    const kind = i % 4;
    let block: string;
    if (kind === 0) block = jobs.replace('job0', `j${i}`);
    else if (kind === 1) {
      const lines = Array.from({ length: 40 }, (_, k) => `          echo "${k} \${{ github.event.issue.title }}"`).join('\n');
      block = `  j${i}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${lines}\n`;
    } else if (kind === 2) block = `  j${i}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          deep: ${'['.repeat(30)}x${']'.repeat(30)}\n`;
    else block = `  j${i}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${'y'.repeat(Math.max(0, 4000 - perJob))} \${{ github.event.issue.body }}\n`;
    if (size + block.length > bytes) break;
    out.push(block);
    size += block.length;
  }
  return out.join('');
}
