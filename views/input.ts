/** The input hook: Ink key events -> keymap commands (or prompt text) -> the controller. */
import { useInput } from 'ink';
import { useCallback, useRef } from 'react';
import { resolveKey, type CommandId, type KeyEvent } from './keymap.js';
import type { Action, AppState } from './state.js';

export function overlayOf(state: AppState): 'help' | 'prompt' | 'confirm' | 'where' | undefined {
  if (state.prompt?.kind === 'confirm-quit') return 'confirm';
  if (state.prompt?.kind === 'where') return 'where';
  if (state.prompt) return 'prompt';
  if (state.help) return 'help';
  return undefined;
}

export function useKeys(state: AppState, run: (command: CommandId) => void, dispatch: (a: Action) => void, active = true): void {
  // The handler reads the state of the last render through a ref: a key that arrives before
  // React re-subscribes a new handler must still be read against the screen the person sees.
  const ref = useRef({ state, run });
  ref.current = { state, run };
  const handler = useCallback((input: string, key: KeyEvent) => {
    const { state: s, run: r } = ref.current;
    // While the engine works (writing, re-auditing) keys wait; Ctrl-C still quits (Ink handles it).
    if (s.busy) return;
    const overlay = overlayOf(s);
    const resolved = resolveKey(input, key, { screen: s.screen, ...(overlay ? { overlay } : {}) });
    if (!resolved) return;
    if ('text' in resolved) dispatch({ type: 'text', text: resolved.text });
    else r(resolved.command);
  }, []);
  useInput(handler, { isActive: active });
}
