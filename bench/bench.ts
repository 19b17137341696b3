/**
 * npm run bench: synthetic repositories of 1,000 and 10,000 workflows, each measured in a fresh
 * process so peak memory is its own. Reports the audit beside the floor for this design
 * (reading and parsing the same files with `yaml`), and how long `--version` takes to start.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { createElement } from 'react';
import { render as renderInk } from 'ink-testing-library';
import { auditDirectory } from '../src/audit/audit.js';
import { RepoSession } from '../src/engine/session.js';
import { CHECKS } from '../src/registry.js';
import { App } from '../views/app.js';

const SELF = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../../bin/pipewarden.js', import.meta.url));

/** A workflow of typical size and shape (about 70 lines, three jobs, a dozen steps). */
function workflow(i: number): string {
  const pin = i % 3 === 0 ? 'v4' : '11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
  return `name: ci-${i}
on:
  push:
    branches: [main]
  pull_request:
    paths: ['src/**', 'go.mod']
${i % 5 === 0 ? '' : 'permissions:\n  contents: read\n'}
env:
  GO_VERSION: "1.23"
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${pin}
        with:
          persist-credentials: false
      - uses: actions/setup-go@v5
        with:
          go-version: \${{ env.GO_VERSION }}
      - run: |
          go vet ./...
          echo "ref \${{ github.ref_name }} sha \${{ github.sha }}"
  test:
    needs: lint
    runs-on: \${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-latest]
        go: ['1.22', '1.23']
    steps:
      - uses: actions/checkout@${pin}
      - uses: actions/cache@v4
        with:
          path: ~/go/pkg/mod
          key: go-\${{ hashFiles('**/go.sum') }}
      - name: Test
        run: go test -race ./...
        env:
          TITLE: \${{ github.event.pull_request.title }}
      - uses: actions/upload-artifact@v4
        with:
          name: coverage-\${{ matrix.os }}
          path: coverage.out
  build:
    needs: [test]
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: actions/checkout@${pin}
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: \${{ github.actor }}
          password: \${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/app:\${{ github.sha }}
      - run: echo "built \${{ github.event.head_commit.message }}"
`;
}

async function generate(count: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `pipewarden-bench-${count}-`));
  const wf = path.join(dir, '.github', 'workflows');
  await mkdir(wf, { recursive: true });
  for (let i = 0; i < count; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, count - i) }, (_, k) => writeFile(path.join(wf, `wf-${i + k}.yml`), workflow(i + k))));
  }
  return dir;
}

async function parseOnly(dir: string): Promise<number> {
  const wf = path.join(dir, '.github', 'workflows');
  let nodes = 0;
  const names = await readdir(wf);
  // Same read concurrency as the audit's discovery, so the floor is a fair one.
  for (let i = 0; i < names.length; i += 64) {
    const texts = await Promise.all(names.slice(i, i + 64).map((name) => readFile(path.join(wf, name), 'utf8')));
    for (const text of texts) if (parseDocument(text, { lineCounter: new LineCounter() }).contents) nodes++;
  }
  return nodes;
}

async function child(mode: string, dir: string): Promise<void> {
  const start = performance.now();
  let findings = 0;
  if (mode === 'parse') await parseOnly(dir);
  else findings = (await auditDirectory(dir, { checks: CHECKS, identity: { owner: 'acme', name: 'app' } })).report.findings.length;
  const ms = performance.now() - start;
  process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, findings }));
}

function measure(mode: string, dir: string): { ms: number; maxRssMiB: number; findings: number } {
  return JSON.parse(execFileSync(process.execPath, [SELF, '--child', mode, dir], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args[2]!);
  // Keeps a generated repository for profiling: node --cpu-prof dist/bench/bench.js --child audit DIR
  // Only the interactive view's figures: node dist/bench/bench.js --tui
  if (args[0] === '--tui') return tuiBench();
  if (args[0] === '--generate') return void console.log(await generate(Number(args[1] ?? 1000)));
  console.log(`pipewarden bench on ${os.cpus().length} cores, node ${process.version}`);
  console.log('workflows  parse-only ms  audit ms  audit/parse  ms/workflow  parse MiB  audit MiB  findings');
  for (const count of [1_000, 10_000]) {
    const dir = await generate(count);
    try {
      const runs = 3;
      const parse = Array.from({ length: runs }, () => measure('parse', dir));
      const audit = Array.from({ length: runs }, () => measure('audit', dir));
      const p = median(parse.map((r) => r.ms));
      const a = median(audit.map((r) => r.ms));
      console.log(
        [
          String(count).padStart(9),
          p.toFixed(0).padStart(13),
          a.toFixed(0).padStart(9),
          (a / p).toFixed(2).padStart(11),
          (a / count).toFixed(3).padStart(12),
          Math.max(...parse.map((r) => r.maxRssMiB)).toFixed(0).padStart(10),
          Math.max(...audit.map((r) => r.maxRssMiB)).toFixed(0).padStart(10),
          String(audit[0]!.findings).padStart(9),
        ].join('  '),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const starts = Array.from({ length: 10 }, () => {
    const t = performance.now();
    execFileSync(process.execPath, [BIN, '--version']);
    return performance.now() - t;
  });
  console.log(`pipewarden --version: median ${median(starts).toFixed(0)} ms over 10 starts`);
  await tuiBench();
}

/** Waits (without sleeping) until the frame differs from `before`; returns the time it took. */
async function untilChanged(frame: () => string | undefined, before: string | undefined, started: number): Promise<number> {
  for (let i = 0; i < 1_000_000; i++) {
    if (frame() !== before) return performance.now() - started;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the frame never changed');
}

/**
 * Ink draws at most 30 frames a second (the first after a pause at once): keys are pressed
 * after a pause, as a person types, so the figure is the work a key costs, not Ink's pacing.
 */
function idle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 40));
}

/**
 * The interactive view with about 5,000 findings (2,500 jobs, each with an injection and a
 * persisted checkout token): time from findings ready to the first frame, and from a key press
 * to the frame that shows it (a cursor move; a search keystroke, which filters every finding).
 */
async function tuiBench(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pipewarden-bench-tui-'));
  try {
    const jobs = Array.from({ length: 2_500 }, (_, i) => `  j${i}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n      - run: echo "\${{ github.event.issue.title }} ${i}"\n`).join('');
    await mkdir(path.join(dir, '.github', 'workflows'), { recursive: true });
    await writeFile(path.join(dir, '.github', 'workflows', 'big.yml'), `on: issues\npermissions: {}\njobs:\n${jobs}`);
    const session = await RepoSession.open(dir, { checks: CHECKS });
    const findings = (await session.audit()).report.findings.length;
    const firstFrames: number[] = [];
    const moves: number[] = [];
    const filters: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      let ready = 0;
      const ui = renderInk(createElement(App, { session, options: { color: false, onExit: () => {}, onReady: () => (ready = performance.now() - started) }, size: { columns: 120, rows: 40 } }));
      while (!ready || !(ui.lastFrame() ?? '').includes('Repository')) await new Promise((r) => setImmediate(r));
      firstFrames.push(performance.now() - started);
      ui.stdin.write('2');
      while (!(ui.lastFrame() ?? '').includes(`${findings} of ${findings} findings`)) await new Promise((r) => setImmediate(r));
      for (let k = 0; k < 10; k++) {
        await idle();
        const before = ui.lastFrame();
        const t = performance.now();
        ui.stdin.write('j');
        moves.push(await untilChanged(ui.lastFrame, before, t));
      }
      ui.stdin.write('/');
      while (!(ui.lastFrame() ?? '').includes('search:')) await new Promise((r) => setImmediate(r));
      for (const ch of 'j1') {
        await idle();
        const before = ui.lastFrame();
        const t = performance.now();
        ui.stdin.write(ch);
        filters.push(await untilChanged(ui.lastFrame, before, t));
      }
      ui.unmount();
      ui.cleanup();
    }
    const fig = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}`;
    console.log(`interactive view, ${findings} findings (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores):`);
    console.log(`  findings ready -> first frame  ${fig(firstFrames)}  (target < 300 ms)`);
    console.log(`  cursor move                    ${fig(moves)}  (target < 50 ms)`);
    console.log(`  search keystroke (filter)      ${fig(filters)}  (target < 50 ms)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
