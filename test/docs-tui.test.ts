/** docs/tui.md carries the keymap verbatim: every command, every key, as views/keymap.ts defines them. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BINDINGS, keymapMarkdown } from '../views/keymap.js';

describe('docs/tui.md', () => {
  it('lists every keymap command with its keys, exactly as generated from the keymap', async () => {
    const doc = await readFile(new URL('../docs/tui.md', import.meta.url), 'utf8');
    const section = /<!-- keymap:start -->\n([\s\S]*)<!-- keymap:end -->/.exec(doc)?.[1];
    // On a mismatch, paste keymapMarkdown() between the markers.
    expect(section).toBe(keymapMarkdown());
    for (const b of BINDINGS) expect(section).toContain(`| ${b.command} | ${b.description} |`);
  });

  it('documents the .pipewarden.yml keys and the inline comment form', async () => {
    const doc = await readFile(new URL('../docs/tui.md', import.meta.url), 'utf8');
    for (const key of ['ignore:', 'check:', 'path:', 'line:', 'yaml-path:', 'reason:', 'expires:', 'checks:', 'exclude:', '# pipewarden: ignore[']) expect(doc).toContain(key);
  });
});
