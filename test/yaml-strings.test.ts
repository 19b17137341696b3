/**
 * YamlFile.strings keeps one list of a document's string scalars (found by the parse's walk, or
 * walked on first request) and answers for a node by its span (model/yaml.ts): held equal here,
 * node by node, to a plain recursive walk, on documents in every layout the span reasoning has
 * to survive, and on generated ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAlias, isMap, isPair, isScalar, isSeq, stringify, visit, type Node, type Scalar } from 'yaml';
import { parseYamlFile, YamlFile } from '../src/model/yaml.js';

/** Every string scalar below a node, keys before values, aliases followed (once per path). */
function walk(yaml: YamlFile, node: unknown, open = new Set<unknown>()): Scalar[] {
  const n = isAlias(node) ? yaml.deref(node) : node;
  if (isScalar(n)) return typeof n.value === 'string' ? [n] : [];
  if (!n || open.has(n)) return [];
  open.add(n);
  const out: Scalar[] = [];
  if (isMap(n)) for (const pair of n.items) if (isPair(pair)) out.push(...walk(yaml, pair.key, open), ...walk(yaml, pair.value, open));
  if (isSeq(n)) for (const item of n.items) out.push(...walk(yaml, item, open));
  open.delete(n);
  return out;
}

/** Both ways a YamlFile comes by its list: from the parse's walk, and (a parse without it) walking on first request. */
function expectEveryNodeAgrees(text: string): number {
  const parsed = parseYamlFile('w.yml', text);
  let count = 0;
  for (const yaml of [new YamlFile('w.yml', text, [], parsed), new YamlFile('w.yml', text, [], { doc: parsed.doc, lineCounter: parsed.lineCounter, errors: parsed.errors })]) {
    expect(yaml.doc.errors).toEqual([]);
    const nodes: Node[] = [];
    visit(yaml.doc, { Map: (_k, n) => void nodes.push(n), Seq: (_k, n) => void nodes.push(n), Scalar: (_k, n) => void nodes.push(n) });
    for (const node of nodes) expect(yaml.strings(node)).toEqual(walk(yaml, node));
    count = nodes.length;
  }
  return count;
}

const LAYOUTS = `name: "layouts"
on: { push: { branches: [main, 'x'] }, pull_request: }
jobs:
  a:
    runs-on: [ubuntu-latest,
      "self-hosted"]
    env: {A: "1", B: '2',
      C: "multi \${{ secrets.B }}"
      }
    outputs:
      C: |
        multi \${{ secrets.B }}
    steps:
      - run: |
          echo \${{ secrets.C }}

      - run: >-
          folded
          \${{ secrets.D }}
        # a comment between keys
      - ? complex key
        : value
      - ? [a, b]
        : c
      - {uses: 'x/y@v1', with: {a: "\${{ secrets.E }}"}}
      - name: ''
        run: ""
  b:
    steps:
      - run: x # trailing
      -
      - "str"
      - !!str 12
      - |+
        keep

  c: {}
  d: []
  e: plain
`;

describe('YamlFile.strings', () => {
  it('gives every node the strings a recursive walk gives, in flow, block, complex-key and block-scalar layouts', () => {
    expect(expectEveryNodeAgrees(LAYOUTS)).toBeGreaterThan(50);
  });

  it('follows aliases in a document that has them, as the walk does', () => {
    const text = 'on: push\nx: &a\n  run: echo ${{ secrets.X }}\njobs:\n  a:\n    steps:\n      - *a\n      - <<: *a\n        name: y\n';
    expectEveryNodeAgrees(text);
    const yaml = new YamlFile('w.yml', text);
    const steps = (yaml.root as unknown as { items: Array<{ value: unknown }> }).items[2]!.value;
    expect(yaml.strings(steps as Node).map((s) => s.value)).toContain('echo ${{ secrets.X }}');
  });

  it('agrees on generated documents in every collection and scalar style', () => {
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), tie('map'), tie('list')),
      map: fc.dictionary(fc.string({ minLength: 1 }), tie('node'), { maxKeys: 4 }),
      list: fc.array(tie('node'), { maxLength: 4 }),
    })).node;
    fc.assert(
      fc.property(value, fc.constantFrom('block', 'flow'), fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'), (v, collectionStyle, defaultStringType) => {
        const text = stringify({ root: v }, { collectionStyle: collectionStyle as 'block' | 'flow', defaultStringType: defaultStringType as 'PLAIN' });
        expectEveryNodeAgrees(text);
      }),
      { numRuns: 300 },
    );
  });
});
