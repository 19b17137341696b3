/** The input hook: Ink key events -> keymap commands (or prompt text) -> the controller. */
import { useInput } from 'ink';
import { resolveKey, type CommandId } from './keymap.js';
import type { Action, AppState } from './state.js';

export function overlayOf(state: AppState): 'help' | 'prompt' | 'confirm' | 'where' | undefined {
  if (state.prompt?.kind === 'confirm-quit') return 'confirm';
  if (state.prompt?.kind === 'where') return 'where';
  if (state.prompt) return 'prompt';
  if (state.help) return 'help';
  return undefined;
}

export function useKeys(state: AppState, run: (command: CommandId) => void, dispatch: (a: Action) => void, active = true): void {
  useInput(
    (input, key) => {
      // While the engine works (writing, re-auditing) keys wait; Ctrl-C still quits (Ink handles it).
      if (state.busy) return;
      const overlay = overlayOf(state);
      const resolved = resolveKey(input, key, { screen: state.screen, ...(overlay ? { overlay } : {}) });
      if (!resolved) return;
      if ('text' in resolved) dispatch({ type: 'text', text: resolved.text });
      else run(resolved.command);
    },
    { isActive: active },
  );
}
