/**
 * The data a fix's verification compares (src/model/yaml.ts comparableData): the package's own
 * toJS of the document, without its cost per alias, and refused when the aliases stand for far
 * more data than the text holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { comparableData, parseYaml } from '../src/model/yaml.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

const data = (text: string): unknown => {
  const r = comparableData(parseYaml(text), text.length);
  if ('unverifiable' in r) throw new Error(r.unverifiable);
  return r.value;
};

describe('comparable data', () => {
  it("is the package's toJS of every fixture, as JSON", () => {
    const files = yamlFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(50);
    let compared = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const doc = parseYaml(text);
      if (doc.errors.length) continue;
      expect(JSON.stringify(data(text)), file).toBe(JSON.stringify(doc.toJS({ maxAliasCount: -1 })));
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('follows anchors, merge keys, redefined anchors, odd keys and repeated keys as toJS does', () => {
    for (const text of [
      'a: &x {k: 1}\nb: *x\nc: {<<: *x, m: 2}\n',
      'a: &x 1\nb: *x\na2: &x 2\nb2: *x\n',
      'list: &l [1, &s two, {x: *s}]\nagain: *l\n',
      '1: one\nnull: nothing\n"__proto__": data\nk: 1\nk: 2\n',
      'a: !custom tagged\nb: 0x1F\nc: .inf\nd: ~\ne: "1"\n',
    ]) {
      expect(JSON.stringify(data(text)), text).toBe(JSON.stringify(parseYaml(text).toJS({ maxAliasCount: -1 })));
    }
  });

  it('tells a change inside an aliased node from none', () => {
    expect(data('a: &x {k: 1}\nb: *x\n')).not.toEqual(data('a: &x {k: 2}\nb: *x\n'));
    expect(data('a: &x {k: 1}\nb: *x\n')).toEqual(data('a: &x {k: 1}  # note\nb: *x\n'));
    // A collection as a key is compared by its content.
    expect(data('? [a, b]\n: v\n')).not.toEqual(data('? [a, c]\n: v\n'));
    expect(data('? [a, b]\n: v\n')).toEqual(data('? [ a,  b ]\n: v\n'));
  });

  it('refuses an alias bomb at once, and takes a thousand uses of a small anchor', () => {
    const lines = ['a0: &a0 [x, y]'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const bomb = `${lines.join('\n')}\n`;
    expect(comparableData(parseYaml(bomb), bomb.length)).toMatchObject({ unverifiable: expect.stringMatching(/too large to compare/) });
    const many = `base: &b {runs-on: x}\n${Array.from({ length: 1500 }, (_, i) => `j${i}: *b`).join('\n')}\n`;
    expect(Object.keys(data(many) as object)).toHaveLength(1501);
  });
});
