/**
 * A workflow summary (src/model/summary.ts) crosses threads as plain data and, hydrated, reads
 * as the workflow it came from: plain fields without parsing, YAML nodes and source ranges from
 * one full model built on the first such read (again once per epoch).
 */
import { describe, expect, it } from 'vitest';
import { dehydrate, hydrate } from '../src/model/summary.js';
import { buildWorkflow } from '../src/model/workflow.js';
import { YamlFile } from '../src/model/yaml.js';

const TEXT = `name: ci
on:
  push:
    branches: [main]
    tags: ['v*']
  pull_request_target:
env: { A: "\${{ secrets.X }}" }
jobs:
  build:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    services: { db: { image: postgres:16 } }
    steps:
      - uses: actions/checkout@v4 # v4.2.2
        with: { ref: "\${{ github.head_ref }}" }
      - run: echo hi
        env: { B: "1" }
  call:
    uses: ./.github/workflows/x.yml
`;

const model = () => buildWorkflow(new YamlFile('.github/workflows/ci.yml', TEXT));

describe('workflow summary', () => {
  it('shares one read-only map for every empty with: and env:, in the model and once hydrated', () => {
    const original = model();
    const [checkout, echo] = original.jobs[0]!.steps;
    expect(checkout!.env).toBe(echo!.with);
    expect(checkout!.env.size).toBe(0);
    expect(() => checkout!.env.set('X', echo!.env.get('B')!)).toThrow(/read-only/);
    expect(() => checkout!.env.delete('X')).toThrow(/read-only/);
    const wf = hydrate(structuredClone(dehydrate(original)), () => model());
    const [c2, e2] = wf.jobs[0]!.steps;
    expect(c2!.env).toBe(e2!.with);
    expect(c2!.env).toBe(checkout!.env);
    expect(e2!.env.get('B')?.value).toBe('1');
  });

  it('hydrated, reads every value the model has: plain ones as they were, nodes and ranges from one full build', () => {
    const original = model();
    let builds = 0;
    let latest = original;
    const wf = hydrate(structuredClone(dehydrate(original)), () => {
      builds++;
      return (latest = model());
    });
    expect(wf.name).toBe('ci');
    expect(wf.triggers.map((t) => [t.event, t.filters && Object.fromEntries(t.filters)])).toEqual(original.triggers.map((t) => [t.event, t.filters && Object.fromEntries(t.filters)]));
    expect(wf.jobs[0]!.condition).toBe("github.event_name == 'push'");
    expect(wf.jobs[0]!.serviceNames).toEqual(['db']);
    expect(wf.jobs[0]!.steps[0]!.uses!.range).toEqual(original.jobs[0]!.steps[0]!.uses!.range);
    expect(builds).toBe(0);
    // A node: the full model is built once, and every hole answers from it.
    expect(wf.jobs[0]!.steps[0]!.node).toBe(latest.jobs[0]!.steps[0]!.node);
    expect(builds).toBe(1);
    expect(wf.yaml).toBe(latest.yaml);
    expect(wf.jobs[0]!.steps[1]!.env.get('B')!.node).toBe(latest.jobs[0]!.steps[1]!.env.get('B')!.node);
    expect(wf.jobs[1]!.range).toEqual(original.jobs[1]!.range);
    expect(wf.onRange).toEqual(original.onRange);
    expect(wf.triggers[0]!.config).toBe(latest.triggers[0]!.config);
    expect(builds).toBe(1);
    // Nothing of the summary shows the machinery: keys and JSON are the plain model's.
    expect(Object.keys(wf.jobs[0]!.steps[0]!)).not.toContain('node');
    expect(JSON.stringify(wf.jobs[0]!.steps[1]!.run)).toBe(JSON.stringify({ value: 'echo hi' }));
  });

  it('builds the full model again when the epoch moves (a kept workflow gets a fresh YAML wrapper per audit)', () => {
    let epoch = 0;
    let builds = 0;
    const wf = hydrate(structuredClone(dehydrate(model())), () => (builds++, model()), () => epoch);
    const first = wf.yaml;
    expect(wf.yaml).toBe(first);
    epoch++;
    expect(wf.yaml).not.toBe(first);
    expect(builds).toBe(2);
  });

  it('carries only the fields it is given: a field left out is read from the full model, a field the object never had reads undefined without building it', () => {
    const original = model();
    let builds = 0;
    const fields = { file: true, jobs: { '*': { id: {}, steps: { '*': { index: {}, run: { value: {} } } } } } } as const;
    const wf = hydrate(structuredClone(dehydrate(original, fields)), () => (builds++, model()));
    expect(wf.jobs.map((j) => j.id)).toEqual(['build', 'call']);
    expect(wf.jobs[0]!.steps[1]!.run!.value).toBe('echo hi');
    expect(Object.keys(wf.jobs[0]!.steps[0]!)).toEqual(['index']);
    // The checkout step has no run:, the run step no uses: neither was left out, so neither builds.
    expect(wf.jobs[0]!.steps[0]!.run).toBeUndefined();
    expect(builds).toBe(0);
    // The second job's uses: was left out: reading it builds the full model, once.
    expect(wf.jobs[1]!.uses!.raw).toBe('./.github/workflows/x.yml');
    expect(builds).toBe(1);
    expect(wf.jobs[0]!.steps[0]!.uses!.raw).toBe(original.jobs[0]!.steps[0]!.uses!.raw);
    expect(wf.triggers.map((t) => t.event)).toEqual(original.triggers.map((t) => t.event));
    expect(builds).toBe(1);
  });
});
