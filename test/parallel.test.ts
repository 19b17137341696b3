/**
 * The audit spread over worker threads (src/audit/parallel.ts) must give the report the
 * single-threaded audit gives: the same findings (fingerprints, messages, fixes, key order),
 * the same errors and the same credential map, on every kind of repository. Workers run the
 * compiled code, so this test imports from dist/ (built by `npm test`'s pretest).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as AuditModule from '../src/audit/audit.js';
import type * as RegistryModule from '../src/registry.js';
import type * as SummaryModule from '../src/model/summary.js';
import type { Resolver } from '../src/github/resolve.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = [path.resolve(ROOT, '../shared/corpus'), path.resolve(ROOT, '../../shared/corpus')].find((d) => existsSync(d));
const { auditDirectory } = (await import(path.join(ROOT, 'dist/src/audit/audit.js'))) as typeof AuditModule;
const { CHECKS } = (await import(path.join(ROOT, 'dist/src/registry.js'))) as typeof RegistryModule;
const { summaryStats } = (await import(path.join(ROOT, 'dist/src/model/summary.js'))) as typeof SummaryModule;

type Options = Parameters<typeof auditDirectory>[1];

/** Everything a reporter prints, errors in a fixed order (the parallel audit lists a file's errors in file order). */
async function report(dir: string, opts: Omit<Options, 'checks'>, parallel: Options['parallel']): Promise<unknown> {
  const audit = await auditDirectory(dir, { checks: CHECKS, now: new Date('2026-12-01T00:00:00Z'), ...opts, parallel });
  expect(audit.workers).toBe(parallel ? 1 : 0);
  const r = audit.report;
  const fixes = r.findings.map((f) => JSON.stringify(audit.fixFor(f) ?? null));
  return { findings: JSON.stringify(r.findings), fixes, errors: r.errors.map((e) => JSON.stringify(e)).sort(), secrets: JSON.stringify(r.secrets), workflows: r.workflows, actions: r.actions };
}

async function expectSameBothWays(dir: string, opts: Omit<Options, 'checks'> = {}): Promise<void> {
  const one = await report(dir, opts, false);
  const spread = await report(dir, opts, { workers: 1, minWorkflows: 0 });
  expect(spread).toEqual(one);
}

const WF = (name: string, body: string): [string, string] => [`.github/workflows/${name}.yml`, body];

/** A repository with every way workflows connect: calls, local actions, same-repository references, release triggers, broken files. */
const CONNECTED: Array<[string, string]> = [
  WF('lone', 'on: [pull_request_target]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with: { ref: "${{ github.event.pull_request.head.sha }}" }\n      - run: echo "${{ github.event.pull_request.title }}"\n        env: { T: "${{ secrets.NPM_TOKEN }}" }\n'),
  WF('caller', 'on: [issue_comment]\njobs:\n  call:\n    uses: ./.github/workflows/callee.yml\n    secrets: inherit\n'),
  WF('callee', 'on:\n  workflow_call:\n    inputs: { x: { type: string } }\njobs:\n  b:\n    runs-on: self-hosted\n    steps:\n      - run: echo "${{ github.event.comment.body }}"\n      - uses: ./.github/actions/greet\n        with: { who: "${{ github.event.comment.body }}" }\n'),
  WF('by-name', 'on: [push]\njobs:\n  c:\n    uses: acme/app/.github/workflows/callee.yml@main\n'),
  WF('release', 'on:\n  release:\n    types: [published]\njobs:\n  r:\n    runs-on: ubuntu-latest\n    permissions: { contents: write, packages: write }\n    steps:\n      - uses: docker/build-push-action@v6\n        with: { push: true, tags: "ghcr.io/acme/app:latest" }\n'),
  WF('publish', 'on:\n  push:\n    tags: ["v*"]\n    branches: [main]\njobs:\n  p:\n    runs-on: ubuntu-latest\n    container: node:20\n    services:\n      registry: { image: "registry:2" }\n    steps:\n      - uses: docker/build-push-action@v6\n        with: { push: true, tags: "ghcr.io/acme/app:${{ github.sha }}" }\n      - uses: docker://alpine:3.20\n'),
  WF('broken', 'on: [push\njobs: {\n'),
  WF('unmodelled', '- just\n- a list\n'),
  WF('aliases', 'on: &t [push]\nenv: &e { A: "1" }\njobs:\n  x: &j\n    runs-on: ubuntu-latest\n    env: *e\n    steps:\n      - run: echo ${{ github.head_ref }}\n  y: *j\n'),
  ['.github/actions/greet/action.yml', 'name: greet\ninputs: { who: {} }\nruns:\n  using: composite\n  steps:\n    - run: echo "hi ${{ inputs.who }}"\n      shell: bash\n'],
  ['.github/dependabot.yml', 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: { interval: weekly }\n'],
  ['go.mod', 'module example.com/acme/app\n\ngo 1.23\n'],
];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pipewarden-parallel-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function writeRepo(name: string, files: Array<[string, string]>): Promise<string> {
  const dir = path.join(tmp, name);
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

describe('parallel audit', () => {
  it('gives the single-threaded report on a repository whose workflows call each other, use local actions and publish', async () => {
    const dir = await writeRepo('connected', CONNECTED);
    await expectSameBothWays(dir, { identity: { owner: 'acme', name: 'app' } });
    // Without an identity the by-name call is not local: the workflow is audited per file.
    await expectSameBothWays(dir);
  });

  it('gives the same report when GitHub look-ups are made (the checks that read them run where they are)', async () => {
    const dir = await writeRepo('lookups', CONNECTED);
    const resolver = { resolve: async (_o: string, _r: string, ref: string) => ({ sha: 'a'.repeat(40), version: ref.startsWith('v') ? ref : 'v1.0.0' }) } as unknown as Resolver;
    await expectSameBothWays(dir, { identity: { owner: 'acme', name: 'app' }, resolver });
  });

  it('gives the same report with many lone workflows spread over several batches', async () => {
    const files: Array<[string, string]> = [];
    for (let i = 0; i < 120; i++) {
      files.push(WF(`wf-${i}`, `name: ci-${i}\non:\n  pull_request:\n  push:\n    branches: [${i % 2 ? 'main' : 'master'}]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/cache@v4\n        with: { path: x, key: "k-\${{ github.head_ref }}" }\n      - run: echo "\${{ github.event.pull_request.title }}" \${{ secrets.TOKEN_${i % 3} }}\n`));
    }
    const dir = await writeRepo('many', files);
    await expectSameBothWays(dir, { identity: { owner: 'acme', name: 'app' } });
  });

  it('never parses a lone workflow of the usual shape again on the main thread (its summary carries what the whole-repository checks read)', async () => {
    // Checkout, toolchain, cache, artifacts, registry log-in and push, expressions in run: and env:, job if:, needs, a matrix.
    const files: Array<[string, string]> = [];
    for (let i = 0; i < 60; i++) {
      const pin = i % 3 ? 'v4' : '11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
      files.push(
        WF(
          `ci-${i}`,
          `name: ci-\${i}\non:\n  push:\n    branches: [main]\n  pull_request:\n    paths: ['src/**']\n${i % 5 ? 'permissions:\n  contents: read\n' : ''}env:\n  GO_VERSION: "1.23"\njobs:\n  test:\n    runs-on: \${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, macos-latest]\n    steps:\n      - uses: actions/checkout@${pin}\n        with:\n          persist-credentials: false\n      - uses: actions/setup-go@v5\n        with:\n          go-version: \${{ env.GO_VERSION }}\n      - uses: actions/cache@v4\n        with:\n          path: ~/go/pkg/mod\n          key: go-\${{ hashFiles('**/go.sum') }}\n      - run: go test ./... && echo "\${{ github.head_ref }}"\n        env:\n          TITLE: \${{ github.event.pull_request.title }}\n      - uses: actions/upload-artifact@v4\n        with:\n          name: cov-\${{ matrix.os }}\n          path: cov.out\n  build:\n    needs: [test]\n    if: github.event_name == 'push'\n    runs-on: ubuntu-latest\n    permissions:\n      packages: write\n    steps:\n      - uses: actions/checkout@${pin}\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          username: \${{ github.actor }}\n          password: \${{ secrets.GITHUB_TOKEN }}\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: ghcr.io/acme/app:\${{ github.sha }}\n      - run: echo "\${{ github.event.head_commit.message }}"\n`,
        ),
      );
    }
    // A Go module: no-go-mod-verify looks through every workflow for a job to add its step to.
    files.push(['go.mod', 'module example.com/acme/app\n\ngo 1.23\n']);
    const dir = await writeRepo('usual', files);
    const before = summaryStats.hydrated;
    await report(dir, { identity: { owner: 'acme', name: 'app' } }, { workers: 1, minWorkflows: 0 });
    expect(summaryStats.hydrated - before).toBe(0);
    await expectSameBothWays(dir, { identity: { owner: 'acme', name: 'app' } });
  });

  const withoutWorkerHeap = async (dir: string, heapMb?: number): Promise<{ lost: number; report: unknown }> => {
    const audit = await auditDirectory(dir, { checks: CHECKS, now: new Date('2026-12-01T00:00:00Z'), identity: { owner: 'acme', name: 'app' }, parallel: { workers: 1, minWorkflows: 0, ...(heapMb ? { workerHeapMb: heapMb } : {}) } });
    const r = audit.report;
    return { lost: audit.lostWorkers, report: { findings: JSON.stringify(r.findings), fixes: r.findings.map((f) => JSON.stringify(audit.fixFor(f) ?? null)), errors: r.errors.map((e) => JSON.stringify(e)).sort(), secrets: JSON.stringify(r.secrets), workflows: r.workflows, actions: r.actions } };
  };

  it('a worker that runs out of memory leaves its batches to the main thread, is replaced once, and the report is the same', async () => {
    // 1 MB of old generation: a worker dies (ERR_WORKER_OUT_OF_MEMORY) before it finishes a batch.
    const connected = await writeRepo('starved', CONNECTED);
    const one = await report(connected, { identity: { owner: 'acme', name: 'app' } }, false);
    // One batch: the worker dies holding it, and nothing is left to start a replacement for.
    expect(await withoutWorkerHeap(connected, 1)).toEqual({ lost: 1, report: one });
    // Three batches: the worker and its one replacement die; the main thread audits the rest.
    const files: Array<[string, string]> = [];
    for (let i = 0; i < 130; i++) files.push(WF(`wf-${i}`, `on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo "\${{ github.event.pull_request.title }}"\n`));
    const many = await writeRepo('starved-many', files);
    expect(await withoutWorkerHeap(many, 1)).toEqual({ lost: 2, report: await report(many, { identity: { owner: 'acme', name: 'app' } }, false) });
    // With room, the same worker lives.
    expect((await withoutWorkerHeap(connected)).lost).toBe(0);
  });

  it('audits a file too large for a worker on the main thread, and the report is the same', async () => {
    // 6,000 jobs (about 600 KiB), each expanding an issue title into run: — past MAIN_THREAD_BYTES.
    let big = 'on: [issues]\njobs:\n';
    for (let i = 0; i < 6000; i++) big += `  j${i}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "\${{ github.event.issue.title }}"\n`;
    expect(big.length).toBeGreaterThan(256 * 1024);
    const dir = await writeRepo('large', [...CONNECTED, WF('large', big)]);
    // A worker with a 48 MB heap dies of this file (measured: it does when MAIN_THREAD_BYTES is
    // set out of reach) and lives through the rest (down to 24 MB); so it never receives the file.
    const spread = await withoutWorkerHeap(dir, 48);
    expect(spread).toEqual({ lost: 0, report: await report(dir, { identity: { owner: 'acme', name: 'app' } }, false) });
  });

  it('gives the same report on the fixture repositories', async () => {
    const fixtures = path.join(ROOT, 'test/fixtures');
    const dirs = [path.join(fixtures, 'gappy-repo'), path.join(fixtures, 'clean-repo'), path.join(fixtures, 'tui-repo')];
    for (const name of await readdir(path.join(fixtures, 'fixes'))) dirs.push(path.join(fixtures, 'fixes', name, 'before'));
    for (const dir of dirs.filter((d) => existsSync(d))) await expectSameBothWays(dir, { identity: { owner: 'demo-org', name: 'demo-repo' } });
  });

  it('--threads N gives the report --threads 0 gives, and a bad count is a usage error', () => {
    const bin = path.join(ROOT, 'bin/pipewarden.js');
    const run = (threads: string): string =>
      execFileSync(process.execPath, [bin, path.join(ROOT, 'test/fixtures/gappy-repo'), '--format', 'json', '--repo', 'demo-org/demo-repo', '--offline', '--fail-on', 'none', '--threads', threads], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
    const strip = (json: string): unknown => ({ ...JSON.parse(json), generatedAt: undefined, durationMs: undefined });
    expect(strip(run('1'))).toEqual(strip(run('0')));
    for (const bad of ['-1', 'two', '1.5']) {
      const r = spawnSync(process.execPath, [bin, `--threads=${bad}`, '--offline'], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--threads must be a whole number');
    }
  });

  it.skipIf(!CORPUS)('gives the same report on every corpus repository', async () => {
    for (const repo of await readdir(CORPUS!, { withFileTypes: true })) {
      if (!repo.isDirectory()) continue;
      const [owner, name] = repo.name.split('__') as [string, string];
      await expectSameBothWays(path.join(CORPUS!, repo.name), { identity: { owner, name } });
    }
  }, 120_000);
});
