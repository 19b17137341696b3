/**
 * The interactive view's figures (benchmarks, not timed tests): time from findings ready to the
 * first frame, and from a key press to the frame that shows it, with about 5,000 findings.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { render as renderInk } from 'ink-testing-library';
import { RepoSession } from '../src/engine/session.js';
import { CHECKS } from '../src/registry.js';
import { App } from '../views/app.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
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
export async function tuiBench(): Promise<void> {
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

