/** Fix diffs computed around the edits (editsDiff) against the diff of the whole file (unifiedDiff). */
import { describe, expect, it } from 'vitest';
import { auditDirectory } from '../src/audit/audit.js';
import { directHunks, editsDiff, lineStarts, unifiedDiff, type TextEdit } from '../src/fix/diff.js';
import { fixDiff } from '../src/fix/preview.js';
import { CHECKS } from '../src/registry.js';
import { makeRepo, yaml } from './helpers/repo.js';

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

describe('editsDiff of template-injection fixes (hunks written directly)', () => {
  const workflow = yaml(
    'on: issues',
    'jobs:',
    '  greet:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - run: echo "${{ github.event.issue.title }}"',
    '      - name: with env',
    '        env:',
    '          FOO: bar',
    '        run: |',
    '          echo one',
    '          echo "${{ github.event.issue.body }}"',
    '          echo three',
    '      - run: |',
    ...Array.from({ length: 8 }, (_, i) => `          echo ${i + 1}`),
    '          echo "${{ github.head_ref }}"',
    '          echo 10',
  );

  it('gives the diff of the whole file for each fix the audit offers, written directly where provable', async () => {
    const dir = await makeRepo({ '.github/workflows/ci.yml': workflow });
    const { report, model } = await auditDirectory(dir, { checks: CHECKS, identity: { owner: 'acme', name: 'app' } });
    const fixes = report.findings.filter((f) => f.check === 'template-injection').map((f) => f.fix!);
    expect(fixes.map((f) => f.edits.length)).toEqual([2, 2, 2]);
    const starts = lineStarts(workflow);
    for (const fix of fixes) expect(fixDiff(model, fix)).toBe(unifiedDiff('.github/workflows/ci.yml', workflow, applied(workflow, fix.edits)));
    // The first fix's new `env:` line is also the next step's `env:` line, two lines below: a
    // least-cost diff could match them, so that one is left to jsdiff; the other two (the last
    // one's `env:` added at the end of the file) are written.
    expect(fixes.map((f) => directHunks(workflow, f.edits, starts) !== undefined)).toEqual([false, true, true]);
    expect(fixDiff(model, fixes[1]!)).toBe(
      [
        'diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml',
        '--- a/.github/workflows/ci.yml',
        '+++ b/.github/workflows/ci.yml',
        '@@ -8,9 +8,10 @@',
        '       - name: with env',
        '         env:',
        '           FOO: bar',
        '+          ISSUE_BODY: ${{ github.event.issue.body }}',
        '         run: |',
        '           echo one',
        '-          echo "${{ github.event.issue.body }}"',
        '+          echo "${ISSUE_BODY}"',
        '           echo three',
        '       - run: |',
        '           echo 1',
        '',
      ].join('\n'),
    );
  });

  it('cuts an env: entry and an expression far apart into two hunks, the second numbered after the added line', () => {
    const text = yaml('jobs:', '  j:', '    steps:', '      - env:', '          A: b', '        run: |', ...Array.from({ length: 12 }, (_, i) => `          echo ${i}`), '          echo "${{ github.event.issue.title }}"', '          echo end', 'x: y');
    const entry = text.indexOf('        run: |');
    const edits = [replace(text, '${{ github.event.issue.title }}', '${ISSUE_TITLE}'), { start: entry, end: entry, text: '          ISSUE_TITLE: ${{ github.event.issue.title }}\n' }];
    const starts = lineStarts(text);
    expect(directHunks(text, edits, starts)).toEqual([
      '@@ -3,6 +3,7 @@',
      '     steps:',
      '       - env:',
      '           A: b',
      '+          ISSUE_TITLE: ${{ github.event.issue.title }}',
      '         run: |',
      '           echo 0',
      '           echo 1',
      '@@ -16,6 +17,6 @@',
      '           echo 9',
      '           echo 10',
      '           echo 11',
      '-          echo "${{ github.event.issue.title }}"',
      '+          echo "${ISSUE_TITLE}"',
      '           echo end',
      ' x: y',
    ]);
    expect(editsDiff('f.yml', text, edits)).toBe(unifiedDiff('f.yml', text, applied(text, edits)));
  });

  it('joins the two edits into one hunk when at most six lines part them', () => {
    const text = yaml('steps:', '  - run: |', '      echo a', '      echo "${{ github.head_ref }}"', '      echo b', '    shell: bash', 'other: 1');
    const end = text.indexOf('other: 1');
    const edits = [replace(text, '${{ github.head_ref }}', '${HEAD_REF}'), { start: end, end, text: '    env:\n      HEAD_REF: ${{ github.head_ref }}\n' }];
    const hunks = directHunks(text, edits, lineStarts(text));
    expect(hunks?.filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,7 +1,9 @@']);
    expect(editsDiff('f.yml', text, edits)).toBe(unifiedDiff('f.yml', text, applied(text, edits)));
  });

  it('leaves to jsdiff a fix whose context reaches a last line without a newline, or whose added line could slide', () => {
    const noNewline = 'steps:\n  - run: echo "${{ github.head_ref }}"\n    shell: bash';
    const fix = [replace(noNewline, '${{ github.head_ref }}', '${HEAD_REF}')];
    expect(directHunks(noNewline, fix, lineStarts(noNewline))).toBeUndefined();
    expect(editsDiff('f.yml', noNewline, fix)).toBe(unifiedDiff('f.yml', noNewline, applied(noNewline, fix)));
    expect(editsDiff('f.yml', noNewline, fix)).toContain('\\ No newline at end of file');
    // An env: entry inserted just above an equal line: the diff could show either as the new one.
    const twin = yaml('a:', '  env:', '    X: 1', '  run: x', 'b:', 'c:', 'd:', 'e:');
    const at = text(twin, '    X: 1');
    const dup = [{ start: at, end: at, text: '    X: 1\n' }];
    expect(directHunks(twin, dup, lineStarts(twin))).toBeUndefined();
    expect(editsDiff('f.yml', twin, dup)).toBe(unifiedDiff('f.yml', twin, applied(twin, dup)));
  });
});

function text(of: string, find: string): number {
  const at = of.indexOf(find);
  if (at === -1) throw new Error(`${find} not in the text`);
  return at;
}
