/**
 * The layers stay visible in the tree: loader -> model -> config -> analysis -> edits -> checks ->
 * audit -> fix -> engine -> reporters / views -> cli. No module imports from a layer above its
 * own, and there are no import cycles.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Lower numbers are lower layers; a module may import its own layer and any lower one. */
const LAYERS: Array<[RegExp, number, string]> = [
  [/^src\/(types|version)\.ts$/, 0, 'shared vocabulary'],
  [/^src\/github\//, 1, 'github client'],
  [/^src\/loader\//, 1, 'loader'],
  [/^src\/model\//, 2, 'model'],
  [/^src\/config\//, 3, 'config'],
  [/^src\/analysis\//, 4, 'analysis'],
  [/^src\/check\.ts$/, 5, 'check contract'],
  [/^src\/edits\//, 5, 'edits'],
  [/^checks\//, 6, 'checks'],
  [/^src\/registry\.ts$/, 7, 'registry'],
  [/^src\/audit\//, 7, 'audit'],
  [/^src\/fix\//, 8, 'fix'],
  [/^src\/engine\//, 9, 'engine'],
  [/^src\/reporters\//, 10, 'reporters'],
  [/^views\//, 10, 'views'],
  [/^src\/cli\//, 11, 'cli'],
  [/^src\/action\//, 12, 'GitHub Action entry'],
];

function layer(file: string): [number, string] {
  const hit = LAYERS.find(([re]) => re.test(file));
  if (!hit) throw new Error(`${file} is in no layer; add it to LAYERS`);
  return [hit[1], hit[2]];
}

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(ROOT, dir), { withFileTypes: true }).catch(() => [])) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await sources(rel)));
    else if (/\.tsx?$/.test(e.name)) out.push(rel);
  }
  return out;
}

async function graph(): Promise<Map<string, string[]>> {
  const files = [...(await sources('src')), ...(await sources('checks')), ...(await sources('views'))];
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(path.join(ROOT, file), 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)).replace(/\.js$/, '');
      const target = [`${resolved}.ts`, `${resolved}.tsx`].find((t) => known.has(t));
      if (target) targets.push(target);
    }
    edges.set(file, targets);
  }
  return edges;
}

describe('architecture', () => {
  it('no import runs up the layers', async () => {
    const upward: string[] = [];
    for (const [file, targets] of await graph()) {
      const [mine, name] = layer(file);
      for (const t of targets) {
        const [theirs, theirName] = layer(t);
        if (theirs > mine) upward.push(`${file} (${name}) -> ${t} (${theirName})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycles', async () => {
    const edges = await graph();
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const t of edges.get(file) ?? []) visit(t, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of edges.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
