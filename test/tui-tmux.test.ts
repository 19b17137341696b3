/**
 * The built binary in a real terminal (tmux): keys go in with send-keys, the screen comes back
 * with capture-pane, polled until the expected text appears. CI is cleared for the child, or it
 * would rightly fall back to the CI output.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/repo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/pipewarden.js');
const FIXTURE = path.join(ROOT, 'test/fixtures/tui-repo');

function haveTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

/** tmux, installed here only when this machine lets us (root with apt); otherwise the test is skipped. */
function ensureTmux(): string | undefined {
  if (haveTmux()) return undefined;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!root || !apt) return 'tmux is not installed and cannot be installed here (needs root and apt-get); skipping the real-terminal test';
  spawnSync('apt-get', ['install', '-y', 'tmux'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!haveTmux()) spawnSync('sh', ['-c', 'apt-get update && apt-get install -y tmux'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return haveTmux() ? undefined : 'tmux could not be installed with apt-get; skipping the real-terminal test';
}

const skipReason = ensureTmux();
if (skipReason) console.warn(`pipewarden: ${skipReason}`);

const sessions: string[] = [];
afterAll(() => {
  for (const s of sessions) spawnSync('tmux', ['kill-session', '-t', s]);
});

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

async function start(dir: string, env: string, size = { x: 120, y: 40 }): Promise<{ name: string; screen: (escapes?: boolean) => string; send: (...keys: string[]) => void; waitFor: (text: string | RegExp, ms?: number) => Promise<string> }> {
  const name = `pw-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const command = `cd ${JSON.stringify(ROOT)} && env -u CI ${env} node ${JSON.stringify(BIN)} ${JSON.stringify(dir)}; echo "PIPEWARDEN-EXIT=$?"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', String(size.x), '-y', String(size.y), command);
  const screen = (escapes = false): string => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', name);
  const waitFor = async (text: string | RegExp, ms = 15_000): Promise<string> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const s = screen();
      if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`tmux screen never showed ${text}; it shows:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { name, screen, send: (...keys) => void tmux('send-keys', '-t', name, ...keys), waitFor };
}

async function copy(): Promise<string> {
  const dir = await tempDir();
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

describe.skipIf(!!skipReason)('the built binary in tmux', () => {
  it('opens the view, follows keys, re-lays out on resize, and quits restoring the terminal', async () => {
    const t = await start(await copy(), 'TERM=xterm-256color');
    let s = await t.waitFor('Fix first');
    expect(s).toContain('[1 Overview]');
    expect(s).toContain('critical 1  high 1  medium 10  low 2  info 2');
    t.send('2');
    s = await t.waitFor('16 of 16 findings');
    expect(s).toMatch(/› \+ CRITICAL template-injection/);
    t.send('j');
    s = await t.waitFor(/› {3}HIGH/);
    t.send('k');
    await t.waitFor(/› \+ CRITICAL/);
    t.send('Enter');
    s = await t.waitFor('Why it matters');
    expect(s).toContain('> 13 │       - run: echo "Title ${{ github.event.pull_request.title }}"');
    t.send('y');
    await t.waitFor('queued 1 fix (1 in the queue)');
    t.send('?');
    s = await t.waitFor('Keys on the detail screen');
    expect(s).toContain('accept the fix (adds it to the queue)');
    t.send('Escape');
    await t.waitFor('Why it matters');
    t.send('3');
    s = await t.waitFor('Combined diff');
    expect(s).toContain('[3 Queue 1]');
    s = await t.waitFor('+          PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}');
    // Resizing re-lays out: at 80x24 every row fits and the keys line is still at the bottom.
    tmux('resize-window', '-t', t.name, '-x', '80', '-y', '24');
    // The rule under the tabs is drawn one column short of the width: 79 at 80 columns.
    s = await t.waitFor(/^─{79}$/m);
    s = await t.waitFor(/^d remove {2}w write/m);
    const rows = s.split('\n');
    expect(Math.max(...rows.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(rows.filter((l) => l.includes('[3 Queue 1]'))).toHaveLength(1);
    t.send('q');
    await t.waitFor('Quit anyway? (y/n)');
    t.send('y');
    s = await t.waitFor('PIPEWARDEN-EXIT=1');
    // The alternate screen is gone: the view's frame no longer shows.
    expect(s).not.toContain('Combined diff');
  });

  it('Ctrl-C exits cleanly, and NO_COLOR draws without colour codes', async () => {
    const plain = await start(await copy(), 'NO_COLOR=1 TERM=xterm-256color');
    await plain.waitFor('Fix first');
    const escapes = plain.screen(true);
    expect(escapes).not.toMatch(/\u001B\[[0-9;]*m/);
    plain.send('C-c');
    const s = await plain.waitFor('PIPEWARDEN-EXIT=130');
    expect(s).not.toContain('Fix first');
    const coloured = await start(await copy(), 'TERM=xterm-256color FORCE_COLOR=1');
    await coloured.waitFor('Fix first');
    expect(coloured.screen(true)).toMatch(/\u001B\[[0-9;]*m/);
  });
});
