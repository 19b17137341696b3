/**
 * Entry of the interactive view: renders the App with Ink on the terminal (alternate screen),
 * hands the terminal to $EDITOR on request, and resolves when the person quits. Loaded only by
 * dynamic import from src/cli/commands/interactive.ts, so the CI path never loads Ink or React.
 */
import { spawnSync } from 'node:child_process';
import { render } from 'ink';
import type { RepoSession } from '../src/engine/session.js';
import { App } from './app.js';
import type { OpenPullRequest } from './controller.js';

export interface RunViewsOptions {
  color: boolean;
  /** $VISUAL / $EDITOR; undefined: the edit key says to set one. */
  editor?: string;
  openPullRequest?: OpenPullRequest;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export interface ViewsOutcome {
  /** How the view ended: q (after confirming) or Ctrl-C. */
  how: 'quit' | 'interrupted';
}

const ALT_SCREEN_ON = '\u001B[?1049h\u001B[H';
const ALT_SCREEN_OFF = '\u001B[?1049l';

export async function runViews(session: RepoSession, opts: RunViewsOptions): Promise<ViewsOutcome> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  let how: ViewsOutcome['how'] = 'interrupted';
  stdout.write(ALT_SCREEN_ON);
  const restore = (): void => void stdout.write(ALT_SCREEN_OFF);
  process.once('exit', restore);
  let instance: ReturnType<typeof render> | undefined;
  const openEditor = (absPath: string, line: number): { error?: string } => {
    if (!opts.editor) return { error: 'no editor: set $VISUAL or $EDITOR' };
    // Hand the terminal over: raw mode off, the editor inherits stdio, then Ink draws again.
    instance?.clear();
    const wasRaw = stdin.isTTY && stdin.isRaw;
    if (wasRaw) stdin.setRawMode(false);
    const [cmd, ...args] = opts.editor.split(/\s+/).filter(Boolean);
    const result = spawnSync(cmd!, [...args, `+${line}`, absPath], { stdio: 'inherit' });
    if (wasRaw) stdin.setRawMode(true);
    stdout.write(ALT_SCREEN_ON);
    if (result.error) return { error: `${cmd}: ${result.error.message}` };
    return {};
  };
  instance = render(
    <App
      session={session}
      options={{
        color: opts.color,
        openEditor,
        ...(opts.openPullRequest ? { openPullRequest: opts.openPullRequest } : {}),
        onExit: () => {
          how = 'quit';
          instance?.unmount();
        },
      }}
    />,
    { stdin, stdout, exitOnCtrlC: true, patchConsole: true },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    restore();
    process.off('exit', restore);
  }
  return { how };
}
