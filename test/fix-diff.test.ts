/** Fix diffs computed around the edits (editsDiff) against the diff of the whole file (unifiedDiff). */
import { describe, expect, it } from 'vitest';
import { editsDiff, unifiedDiff, type TextEdit } from '../src/fix/diff.js';

function applied(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** An edit replacing the first `find` at or after `from` in `text`. */
function replace(text: string, find: string, by: string, from = 0): TextEdit {
  const start = text.indexOf(find, from);
  if (start === -1) throw new Error(`${find} not in the text`);
  return { start, end: start + find.length, text: by };
}

describe('editsDiff', () => {
  it('numbers a far hunk in the new text after lines added above it', () => {
    const text = `a\n${Array.from({ length: 60 }, (_, i) => `l${i}`).join('\n')}\n`;
    // An insertion at the top and, far below, a one-line change and a change of two lines into one.
    const oneLine = [{ start: 0, end: 0, text: 'env:\n  X: v\n' }, replace(text, 'l50', 'm50')];
    const diff = editsDiff('f.yml', text, oneLine);
    expect(diff).toBe(unifiedDiff('f.yml', text, applied(text, oneLine)));
    expect(diff).toContain('@@ -49,7 +51,7 @@\n l47\n');
    const twoLines = [{ start: 0, end: 0, text: 'env:\n  X: v\n' }, replace(text, 'l50\nl51', 'm50')];
    expect(editsDiff('f.yml', text, twoLines)).toBe(unifiedDiff('f.yml', text, applied(text, twoLines)));
    expect(editsDiff('f.yml', text, twoLines)).toContain('@@ -49,8 +51,7 @@\n l47\n');
  });
});
