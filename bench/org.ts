/**
 * Benchmark of `pipewarden org` (not a test): an organisation of 500 small repositories on the
 * loopback stand-in, each with one tiny workflow, listed through the API, cloned over smart HTTP
 * and audited with the real checks. Measures time per repository and the heap after 100 and
 * after 500 repositories (after a forced GC: what the run holds on to), to show that memory
 * does not grow with the count beyond the compact per-repository results.
 *
 *   npm run build && node --expose-gc dist/bench/org.js [count=500]
 */
import os from 'node:os';
import { startGitHubStandin } from '../scripts/github-standin.js';
import { filterRepositories, listOrgRepositories, repositoryAuditor, runOrg, type RepoResult } from '../src/engine/org.js';
import { createClient } from '../src/github/client.js';
import { CHECKS } from '../src/registry.js';
import { renderOrgJson } from '../src/reporters/org.js';

const count = Number(process.argv[2] ?? 500);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function workflow(i: number): string {
  const ref = i % 2 ? 'v4' : '11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
  return `on: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${ref}\n      - run: make test-${i}\n`;
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const gh = await startGitHubStandin({}, true);
  try {
    for (let i = 0; i < count; i++) gh.seedRepository(`bench/r${String(i).padStart(4, '0')}`, { files: { '.github/workflows/ci.yml': workflow(i) } });
    const client = createClient({ githubUrl: gh.url });
    const t0 = performance.now();
    const repos = filterRepositories(await listOrgRepositories(client, 'bench'), {});
    console.log(`listed ${repos.length} repositories in ${(performance.now() - t0).toFixed(0)} ms`);
    const audit = repositoryAuditor({ checks: CHECKS, gitBase: gh.url });
    gc!();
    const base = process.memoryUsage().heapUsed;
    console.log(`heap before: ${mb(base)}; ${os.cpus().length} CPUs`);
    const marks = new Map<number, number>();
    let done = 0;
    const started = performance.now();
    const report = await runOrg({
      org: 'bench',
      repositories: repos,
      concurrency: 4,
      audit: async (r): Promise<RepoResult> => {
        const result = await audit(r);
        done++;
        if (done === 100 || done === count) {
          gc!();
          marks.set(done, process.memoryUsage().heapUsed);
        }
        return result;
      },
    });
    const ms = performance.now() - started;
    const findings = report.repositories.reduce((n, r) => n + r.findings.length, 0);
    const failed = report.repositories.filter((r) => r.status === 'failed');
    console.log(`audited ${report.repositories.length} repositories (${failed.length} failed${failed[0] ? `: ${failed[0].error}` : ''}), ${findings} findings, in ${(ms / 1000).toFixed(1)} s: ${(ms / report.repositories.length).toFixed(0)} ms per repository at concurrency 4`);
    for (const [n, heap] of marks) console.log(`heap after ${n} repositories: ${mb(heap)} (+${mb(heap - base)} over the start)`);
    console.log(`JSON report: ${mb(renderOrgJson(report).length)}`);
  } finally {
    await gh.close();
  }
}

await main();
