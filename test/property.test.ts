/**
 * Property-based tests (fast-check, fixed seed): mutated workflows never throw past a per-file
 * error, and every fix applied to a mutated file leaves a file that parses and re-audits without
 * that finding. `npm run fuzz` runs the same properties many times longer (PIPEWARDEN_FUZZ=N
 * multiplies the case counts, PIPEWARDEN_FUZZ_SEED picks another seed).
 */
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { auditDiscovered } from '../src/audit/audit.js';
import { diffSizeAtLeast, directHunks, editsDiff, lineStarts, unifiedDiff } from '../src/fix/diff.js';
import { planFixes } from '../src/fix/engine.js';
import { classify, type DiscoveredRepo } from '../src/loader/discover.js';
import { findExpressions, parseExpression } from '../src/model/expressions.js';
import { parseUses } from '../src/model/uses.js';
import { parseYaml } from '../src/model/yaml.js';
import { CHECKS } from '../src/registry.js';

const SCALE = Math.max(1, Number(process.env.PIPEWARDEN_FUZZ ?? 1));
const SEED = Number(process.env.PIPEWARDEN_FUZZ_SEED ?? 20240611);
const runs = (n: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: n * SCALE, endOnFailure: true });

const SEEDS = [
  `name: ci
on:
  pull_request_target:
  issues:
    types: [opened]
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: |
          echo "\${{ github.event.issue.title }}"
          echo '\${{ github.event.issue.body }}'
      - uses: docker://alpine:3
      - uses: ./local/action
`,
  `on: [push, pull_request]
env: &env
  A: \${{ github.head_ref }}
jobs:
  base: &base
    runs-on: [self-hosted, linux]
    env: *env
    steps:
      - &co
        uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - run: echo "\${{ github.event.pull_request.title }}" && echo \${{ env.A }}
  other:
    <<: *base
    needs: base
    permissions:
      contents: write
    steps:
      - *co
      - name: "quoted \${{ github.event.comment.body }}"
        run: echo "\${{ github.event.comment.body }}"
        shell: bash
  call:
    uses: acme/shared/.github/workflows/release.yml@main
    secrets: inherit
`,
  `name: composite
on:
  workflow_dispatch:
    inputs:
      who: {type: string}
jobs:
  j: {runs-on: ubuntu-latest, steps: [{uses: "actions/setup-node@v4", with: {node-version: 20}}, {run: "echo \${{ inputs.who }}"}]}
`,
];

const ODD = ['~', 'null', '.nan', '-.inf', '0x1F', '0o17', '1e999', 'yes', 'no', 'on', '""', "''", '!!binary aGVsbG8=', '!!str 3', '&a x', '*a', '<<: *a', '|', '>-', '[', '{', '- ', '? ', ': ', '%YAML 1.1', '---', '...', '\\', '\u0000', '\uFEFF', '\u2028'];
const INSERTS = ['\t', "'", '"', '[', ']', '{', '}', ':', '#', '&', '*', '!', '|', '>', '${{', '}}', ',', '-', '\n', '  '];

type Mutation =
  | { op: 'drop' | 'dup'; at: number }
  | { op: 'indent'; at: number; by: number }
  | { op: 'insert'; at: number; col: number; text: string }
  | { op: 'odd'; at: number; text: string }
  | { op: 'truncate'; at: number }
  | { op: 'anchor'; at: number; name: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop' as const, 'dup' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), col: fc.nat(), text: fc.constantFrom(...INSERTS) }),
  fc.record({ op: fc.constant('odd' as const), at: fc.nat(), text: fc.constantFrom(...ODD) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('anchor' as const), at: fc.nat(), name: fc.constantFrom('a', 'b', 'env', 'base') }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let lines = text.split('\n');
  for (const m of mutations) {
    const i = m.at % Math.max(1, lines.length);
    const line = lines[i] ?? '';
    switch (m.op) {
      case 'drop':
        lines.splice(i, 1);
        break;
      case 'dup':
        lines.splice(i, 0, line);
        break;
      case 'indent':
        lines[i] = m.by >= 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
        break;
      case 'insert': {
        const col = m.col % (line.length + 1);
        lines[i] = line.slice(0, col) + m.text + line.slice(col);
        break;
      }
      case 'odd': {
        // Replace the value after a key's colon (or the whole line) with an odd scalar.
        const colon = line.indexOf(': ');
        lines[i] = colon === -1 ? `${line.match(/^\s*/)![0]}${m.text}` : `${line.slice(0, colon + 2)}${m.text}`;
        break;
      }
      case 'truncate': {
        const joined = lines.join('\n');
        lines = joined.slice(0, m.at % (joined.length + 1)).split('\n');
        break;
      }
      case 'anchor': {
        const colon = line.indexOf(':');
        lines[i] = colon === -1 ? `${line} *${m.name}` : `${line.slice(0, colon + 1)} &${m.name}${line.slice(colon + 1)}`;
        lines.splice(i + 1, 0, `${line.match(/^\s*/)![0]}<<: *${m.name}`);
        break;
      }
    }
  }
  return lines.join('\n');
}

const mutated = fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([seed, ms]) => mutate(seed, ms));

function repoOf(texts: Record<string, string>): DiscoveredRepo {
  const files = Object.entries(texts)
    .map(([path, text]) => ({ path, text, kind: classify(path)! }))
    .filter((f) => f.kind)
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return { root: '/nonexistent-property-repo', files, vendorDirs: [], errors: [] };
}

const identity = { owner: 'acme', name: 'widgets' };
const WF = '.github/workflows/fuzz.yml';

describe('properties', () => {
  it('the loader, model and every check never throw on a mutated workflow; problems are per-file errors with a line', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (text) => {
        const audit = await auditDiscovered(repoOf({ [WF]: text, 'sub/action.yml': text }), { checks: CHECKS, identity });
        for (const e of audit.report.errors) {
          expect(typeof e.message).toBe('string');
          // Errors name the file (or '.' for a check's own failure, which must not happen here).
          expect([WF, 'sub/action.yml']).toContain(e.file);
        }
        for (const f of audit.report.findings) expect(f.line).toBeGreaterThanOrEqual(1);
      }),
      runs(600),
    );
  });

  it('unique keys checked in linear time give the same errors as the yaml package', () => {
    const lineOf = (text: string, pos: number): number => text.slice(0, pos).split('\n').length;
    fc.assert(
      fc.property(mutated, (text) => {
        const ours = parseYaml(text).errors;
        const theirs = parseDocument(text, { prettyErrors: false, uniqueKeys: true }).errors;
        const others = (list: typeof ours): string[] => list.filter((e) => e.code !== 'DUPLICATE_KEY').map((e) => `${e.code}@${e.pos[0]}`);
        const dupes = (list: typeof ours): number[] => list.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => lineOf(text, e.pos[0]));
        expect(others(ours)).toEqual(others(theirs));
        // The same repeated keys, on the same line, or (where the package points at the end of the
        // line before the key: after an empty value, in a flow map) on the key's own line.
        const a = dupes(ours).sort((x, y) => x - y);
        const b = dupes(theirs).sort((x, y) => x - y);
        expect(a.length).toBe(b.length);
        a.forEach((line, i) => expect([b[i], b[i]! + 1]).toContain(line));
      }),
      runs(1000),
    );
  });

  it('uses: parsing never throws, and what it parses reassembles to the value', () => {
    const part = fc.stringMatching(/^[A-Za-z0-9_.\-/@:${} ]{0,20}$/);
    const value = fc.oneof(part, fc.tuple(part, part, part).map(([a, b, c]) => `${a}/${b}@${c}`), fc.string());
    fc.assert(
      fc.property(value, fc.constantFrom('step' as const, 'job' as const), (v, where) => {
        const parsed = parseUses(v, where);
        if ('error' in parsed) expect(parsed.error.length).toBeGreaterThan(0);
        else if (parsed.kind === 'action' || parsed.kind === 'reusable-workflow') {
          expect(`${parsed.owner}/${parsed.repo}${parsed.path ? `/${parsed.path}` : ''}@${parsed.ref}`).toBe(v.trim());
        }
      }),
      runs(2000),
    );
  });

  it('expression spans are ordered, inside the text, delimited, and parsing never throws', () => {
    const text = fc.array(fc.constantFrom('${{', '}}', "'", "''", ' ', 'github.event.issue.title', '(', ')', '||', 'x', '.', '*', '[0]', 'format(', ','), { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (t) => {
        let last = 0;
        for (const span of findExpressions(t)) {
          expect(span.start).toBeGreaterThanOrEqual(last);
          expect(span.end).toBeLessThanOrEqual(t.length);
          expect(t.startsWith('${{', span.start)).toBe(true);
          last = span.end;
          parseExpression(span.inner);
        }
      }),
      runs(2000),
    );
  });

  it('a fix diff computed over the edited lines equals the diff of the whole file', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'run: x', '', '  - uses: y', 'a'), { minLength: 1, maxLength: 80 }).map((l) => l.join('\n') + '\n');
    fc.assert(
      fc.property(lines, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom('', 'a\n', 'z', '\nb\n', 'a\na\n')), { minLength: 1, maxLength: 3 }), (text, raw) => {
        // Non-overlapping edits, as a fix's own edits are.
        const edits: Array<{ start: number; end: number; text: string }> = [];
        for (const [at, len, t] of raw) {
          const start = at % (text.length + 1);
          const end = Math.min(text.length, start + len);
          if (edits.every((e) => end < e.start || start > e.end)) edits.push({ start, end, text: t });
        }
        let after = text;
        for (const e of [...edits].sort((a, b) => b.start - a.start)) after = after.slice(0, e.start) + e.text + after.slice(e.end);
        expect(editsDiff('f.yml', text, edits)).toBe(unifiedDiff('f.yml', text, after));
      }),
      runs(1500),
    );
  });

  it('a fix that changes one line gives the hunk jsdiff gives (the direct one-line hunk)', () => {
    const text = fc
      .tuple(fc.array(fc.constantFrom('a', 'b', 'run: x', '', '  - uses: y', 'a', 'z'), { minLength: 1, maxLength: 40 }), fc.boolean())
      .map(([l, newline]) => l.join('\n') + (newline ? '\n' : ''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat({ max: 6 }), fc.constantFrom('', 'z', 'a', 'run: x', 'q', '  '), (t, at, len, insert) => {
        const starts = [0];
        for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
        const line = at % starts.length;
        const lineEnd = line + 1 < starts.length ? starts[line + 1]! - 1 : t.length;
        const start = Math.min(lineEnd, starts[line]! + (at % 7));
        const edit = { start, end: Math.min(lineEnd, start + len), text: insert };
        const after = t.slice(0, edit.start) + edit.text + t.slice(edit.end);
        expect(editsDiff('f.yml', t, [edit])).toBe(unifiedDiff('f.yml', t, after));
      }),
      runs(3000),
    );
  });

  it('a fix of several edits gives the diff of the whole file, its hunks written directly or by jsdiff', () => {
    // Lines repeat (so changes could slide), hold a CR, or are rarer; some files lack the final newline.
    const line = fc.oneof({ arbitrary: fc.constantFrom('a', 'b', 'run: x', '', '  - uses: y', 'env:', '  X: v', 'c\r'), weight: 1 }, { arbitrary: fc.nat({ max: 60 }).map((n) => `u${n}`), weight: 2 });
    const text = fc.tuple(fc.array(line, { minLength: 1, maxLength: 120 }), fc.boolean()).map(([l, newline]) => l.join('\n') + (newline ? '\n' : ''));
    const lines = fc.array(line, { minLength: 1, maxLength: 3 });
    // Where an edit goes: any line, or near the edit before it (adjacent edits, or two on one line).
    const place = { line: fc.nat(), near: fc.boolean(), delta: fc.integer({ min: -2, max: 3 }) };
    const spec = fc.oneof(
      // Whole lines inserted at a line's start (an env: entry).
      fc.record({ kind: fc.constant('lines' as const), ...place, lines }),
      // A copy of a line nearby inserted (a change that could slide along its twin).
      fc.record({ kind: fc.constant('copy' as const), ...place, from: fc.integer({ min: -3, max: 3 }) }),
      // A span within one line replaced (an expression by its variable).
      fc.record({ kind: fc.constant('inline' as const), ...place, column: fc.nat({ max: 8 }), length: fc.nat({ max: 6 }), text: fc.constantFrom('', '$X', 'a', 'z', '${{ x }}', '\r') }),
      // A span across lines replaced by lines (a multi-line replacement), or by nothing.
      fc.record({ kind: fc.constant('span' as const), ...place, column: fc.nat({ max: 8 }), length: fc.nat({ max: 30 }), lines, newline: fc.boolean(), empty: fc.boolean() }),
    );
    let direct = 0;
    let total = 0;
    fc.assert(
      fc.property(text, fc.array(spec, { minLength: 1, maxLength: 4 }), (t, specs) => {
        const starts = lineStarts(t);
        const lineEnd = (l: number): number => (l + 1 < starts.length ? starts[l + 1]! - 1 : t.length);
        const edits: Array<{ start: number; end: number; text: string }> = [];
        let previous = 0;
        for (const s of specs) {
          const l = Math.min(starts.length - 1, Math.max(0, s.near ? previous + s.delta : s.line % starts.length));
          previous = l;
          let edit: { start: number; end: number; text: string };
          if (s.kind === 'lines') edit = { start: starts[l]!, end: starts[l]!, text: s.lines.map((x) => `${x}\n`).join('') };
          else if (s.kind === 'copy') {
            const from = Math.min(starts.length - 1, Math.max(0, l + s.from));
            edit = { start: starts[l]!, end: starts[l]!, text: `${t.slice(starts[from]!, lineEnd(from))}\n` };
          } else {
            const start = Math.min(lineEnd(l), starts[l]! + s.column);
            const end = s.kind === 'inline' ? Math.min(lineEnd(l), start + s.length) : Math.min(t.length, start + s.length);
            edit = { start, end, text: s.kind === 'inline' ? s.text : s.empty ? '' : s.lines.join('\n') + (s.newline ? '\n' : '') };
          }
          // A fix's edits do not overlap (they may touch).
          if (edits.every((e) => edit.end <= e.start || edit.start >= e.end)) edits.push(edit);
        }
        let after = t;
        for (const e of [...edits].sort((a, b) => b.start - a.start)) after = after.slice(0, e.start) + e.text + after.slice(e.end);
        total++;
        if (directHunks(t, edits, starts) !== undefined) direct++;
        expect(editsDiff('f.yml', t, edits)).toBe(unifiedDiff('f.yml', t, after));
      }),
      runs(5000),
    );
    // Both ways are exercised: the hunks written directly and those left to jsdiff.
    expect(direct / total).toBeGreaterThan(0.2);
    expect(direct / total).toBeLessThan(0.8);
  });

  it('the size bound a fix diff is capped by never exceeds the diff it stands for', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'run: x', '', '  - uses: y', 'a', 'x'.repeat(40)), { minLength: 1, maxLength: 60 }).map((l) => l.join('\n') + (l.length % 2 ? '\n' : ''));
    fc.assert(
      fc.property(lines, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 50 }), fc.constantFrom('', 'a\n', 'z', '\nb\n', 'a\na\n', 'x'.repeat(40), '\n')), { minLength: 1, maxLength: 4 }), (text, raw) => {
        const edits: Array<{ start: number; end: number; text: string }> = [];
        for (const [at, len, t] of raw) {
          const start = at % (text.length + 1);
          const end = Math.min(text.length, start + len);
          if (edits.every((e) => end < e.start || start > e.end)) edits.push({ start, end, text: t });
        }
        expect(diffSizeAtLeast(text, edits)).toBeLessThanOrEqual(editsDiff('f.yml', text, edits).length);
      }),
      runs(1500),
    );
  });

  it('the size bound of a one-line edit is both versions of the line', () => {
    const line = 'x'.repeat(1000);
    const text = `a\n${line}\nb\n`;
    // The old line and the new one are each in the diff in full, with their prefixes.
    expect(diffSizeAtLeast(text, [{ start: 502, end: 505, text: 'yy' }])).toBe(1002 + 1001);
    expect(diffSizeAtLeast(text, [{ start: 2, end: 2, text: 'new\n' }])).toBe(5);
    expect(diffSizeAtLeast(text, [{ start: 502, end: 505, text: 'xxx' }])).toBe(0);
  });

  it('every fix applied to a mutated workflow parses and re-audits without its finding, or is refused', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (text) => {
        const discovered = repoOf({ [WF]: text });
        const before = await auditDiscovered(discovered, { checks: CHECKS, identity, fixes: 'lazy' });
        const plan = await planFixes(discovered, { include: 'all', checks: CHECKS, identity });
        const applied = plan.outcomes.filter((o) => o.status === 'applied');
        if (applied.length === 0) return void expect(plan.files.size).toBe(0);
        const texts: Record<string, string> = { [WF]: text };
        for (const [file, { after }] of plan.files) {
          texts[file] = after;
          if (/\.ya?ml$/.test(file)) expect(parseDocument(after, { uniqueKeys: true }).errors).toEqual([]);
        }
        const reaudit = await auditDiscovered(repoOf(texts), { checks: CHECKS, identity, fixes: 'lazy' });
        const kind = (f: { check: string; file: string; messageId: string }): string => `${f.check}\0${f.file}\0${f.messageId}`;
        const count = (list: Array<{ check: string; file: string; messageId: string }>, k: string): number => list.filter((f) => kind(f) === k).length;
        for (const k of new Set(applied.map((o) => kind(o.finding)))) {
          expect(count(reaudit.report.findings, k)).toBeLessThanOrEqual(count(before.report.findings, k) - count(applied.map((o) => o.finding), k));
        }
        // A fix is kept only when every file it edits audits without errors.
        for (const file of plan.files.keys()) expect(reaudit.report.errors.filter((e) => e.file === file)).toEqual([]);
      }),
      runs(120),
    );
  });
});
