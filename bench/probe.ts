import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli/main.js';
import { planFixes } from '../src/fix/engine.js';
import { discover } from '../src/loader/discover.js';
import { CHECKS } from '../src/registry.js';
import { HOSTILE } from './hostile.js';

const [shapeName, factor, mode] = process.argv.slice(2);
const shape = HOSTILE.find((s) => s.name === shapeName)!;
const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-probe-'));
await mkdir(path.join(dir, '.github/workflows'), { recursive: true });
const text = shape.make(Number(factor));
await writeFile(path.join(dir, '.github/workflows/h.yml'), text);
const t = performance.now();
let out = 0;
if (mode === 'fix') {
  const plan = await planFixes(await discover(dir), { include: 'all', checks: CHECKS, identity: { owner: 'a', name: 'b' } });
  out = plan.outcomes.filter((o) => o.status === 'applied').length;
} else {
  await main([dir, '--format', mode!, '--repo', 'a/b', '--offline', '--fail-on', 'none'], { stdout: (s) => { out += s.length; }, stderr: () => {}, isTTY: false, env: {} });
}
console.log(JSON.stringify({ shape: shapeName, factor, mode, bytes: text.length, ms: Math.round(performance.now() - t), out }));
await rm(dir, { recursive: true, force: true });
