/** Mounting the interactive view on a session, for ink-testing-library tests. */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { RepoSession, type SessionOptions } from '../../src/engine/session.js';
import { CHECKS } from '../../src/registry.js';
import { App } from '../../views/app.js';
import type { ViewOptions } from '../../views/controller.js';
import { KEYS, waitForFrame } from './frames.js';
import { tempDir } from './repo.js';

export const TUI_REPO = fileURLToPath(new URL('../fixtures/tui-repo', import.meta.url));
export const NOW = new Date('2026-01-15T12:00:00Z');

/** A copy of the fixture repository in a temp dir (the flow writes to it). */
export async function tuiRepo(): Promise<string> {
  const dir = await tempDir();
  await cp(TUI_REPO, dir, { recursive: true });
  return dir;
}

export async function openSession(dir: string, extra: Partial<SessionOptions> = {}): Promise<RepoSession> {
  return RepoSession.open(dir, { checks: CHECKS, now: NOW, label: path.basename(dir), ...extra });
}

export function mount(session: RepoSession, options: Partial<ViewOptions> = {}, size = { columns: 110, rows: 32 }) {
  let exited = 0;
  const app = render(createElement(App, { session, options: { color: false, onExit: () => exited++, ...options }, size }));
  const frame = (): string => app.lastFrame() ?? '';
  /** Presses one key and waits until the screen satisfies `until`. */
  const press = async (key: string, until: (f: string) => boolean | string): Promise<string> => {
    app.stdin.write(key);
    return waitForFrame(app.lastFrame, (f) => {
      const r = until(f);
      return typeof r === 'string' ? f.includes(r) : r;
    });
  };
  /** Presses `key` (j: down) until the cursor's row satisfies `wanted`. */
  const moveTo = async (wanted: (cursorRow: string) => boolean, key = 'j', max = 60): Promise<string> => {
    for (let i = 0; i < max; i++) {
      const before = cursorLine(frame());
      if (wanted(before)) return before;
      await press(key, (f) => cursorLine(f) !== before);
    }
    throw new Error(`the cursor never reached the row wanted; it is on: ${cursorLine(frame())}`);
  };
  return { ...app, frame, press, moveTo, exited: () => exited, KEYS };
}

/** The row under the cursor (the one marked ›). */
export function cursorLine(frame: string): string {
  return frame.split('\n').find((l) => l.startsWith('› ')) ?? '';
}
