/** The GitHub Action: action.yml's wiring, and its entry run in a simulated Actions environment. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from './helpers/repo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = path.join(ROOT, 'bin/action.js');
const GAPPY = path.join(ROOT, 'test/fixtures/gappy-repo');
const CLEAN = path.join(ROOT, 'test/fixtures/clean-repo');

interface Simulated {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs bin/action.js as the Audit step would: a copy of `fixture` as the workspace, runner files in a temp dir. */
async function simulate(fixture: string, inputs: Record<string, string>): Promise<Simulated> {
  const workspace = await tempDir();
  await execa('cp', ['-r', `${fixture}/.`, workspace]);
  const runner = await tempDir();
  const outputFile = path.join(runner, 'output');
  const summaryFile = path.join(runner, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/gappy',
    RUNNER_TEMP: runner,
    XDG_CACHE_HOME: path.join(runner, 'cache'),
    PATH: process.env.PATH ?? '',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const run = await execa('node', [ENTRY], { cwd: ROOT, env, extendEnv: false, reject: false, stdin: 'ignore' });
  const outputs = Object.fromEntries(
    (await readFile(outputFile, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { exitCode: run.exitCode ?? -1, stdout: run.stdout, stderr: run.stderr, outputs, summary: await readFile(summaryFile, 'utf8') };
}

/** What the command line itself reports for the fixture, to compare the Action's outputs with. */
async function cliCounts(fixture: string): Promise<Record<string, number>> {
  const run = await execa('node', [path.join(ROOT, 'bin/pipewarden.js'), fixture, '--ci', '--format', 'json', '--repo', 'acme/gappy', '--fail-on', 'none'], { env: { CI: 'true' } });
  return JSON.parse(run.stdout).summary.bySeverity;
}

describe('GitHub Action entry', () => {
  it('audits the workspace: outputs, SARIF file, step summary, annotations, and fails by fail-on', async () => {
    const r = await simulate(GAPPY, { path: '.', 'fail-on': 'high', repo: 'acme/gappy' });
    expect(r.exitCode).toBe(1);

    const counts = await cliCounts(GAPPY);
    expect(counts.critical).toBeGreaterThan(0);
    for (const s of ['critical', 'high', 'medium', 'low', 'info']) expect(r.outputs[s]).toBe(String(counts[s]));
    expect(Number(r.outputs.total)).toBe(Object.values(counts).reduce((a, b) => a + b, 0));

    const sarif = JSON.parse(await readFile(r.outputs['sarif-path']!, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBe(Number(r.outputs.total));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('template-injection');

    expect(r.summary).toMatch(/^## pipewarden: \.\n/);
    expect(r.summary).toContain('| critical | high | medium | low | info |');
    expect(r.summary).toContain(`| ${['critical', 'high', 'medium', 'low', 'info'].map((s) => counts[s]).join(' | ')} |`);
    expect(r.summary).toMatch(/\| critical \| `template-injection` \| `\.github\/workflows\/triage\.yml:17` \|/);

    // One annotation per finding, on its line; the comment body expanded into a script is critical.
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l));
    expect(annotations).toHaveLength(Number(r.outputs.total));
    expect(annotations).toContainEqual(expect.stringMatching(/^::error file=\.github\/workflows\/triage\.yml,line=17,col=\d+,endLine=17,endColumn=\d+,title=pipewarden template-injection \(critical\)::/));

    // The text report goes to the log with workflow commands stopped around it.
    const stop = /^::stop-commands::([0-9a-f-]{36})$/m.exec(r.stdout);
    expect(stop).not.toBeNull();
    const inside = r.stdout.slice(stop!.index, r.stdout.indexOf(`::${stop![1]}::`));
    expect(inside).toContain('.github/workflows/triage.yml');
    expect(inside).toMatch(/\d+ findings: /);
    expect(r.stdout).toMatch(/^::error title=pipewarden::findings at or above high: \d+ critical, /m);
  });

  it('clean repository: zero counts, exit 0, "No findings" in the summary', async () => {
    const r = await simulate(CLEAN, { 'fail-on': 'low' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ critical: '0', high: '0', medium: '0', low: '0', info: '0', total: '0' });
    expect(r.summary).toContain('No findings.');
    expect(r.stdout).not.toMatch(/^::error/m);
  });

  it('annotations and summary can be turned off; fail-on none never fails; format picks the log report', async () => {
    const r = await simulate(GAPPY, { 'fail-on': 'none', annotations: 'false', 'step-summary': 'false', format: 'json' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(/^::(error|warning|notice) /m);
    expect(r.summary).toBe('');
    const token = /^::stop-commands::(.+)$/m.exec(r.stdout)![1]!;
    const logged = r.stdout.slice(r.stdout.indexOf('\n', r.stdout.indexOf(token)) + 1, r.stdout.indexOf(`::${token}::`));
    expect(JSON.parse(logged).tool.name).toBe('pipewarden');
    expect(Number(r.outputs.critical)).toBeGreaterThan(0);
  });

  it('bad inputs stop with an error annotation, exit 2, and no outputs', async () => {
    const bad: Array<Record<string, string>> = [{ 'fail-on': 'severe' }, { format: 'xml' }, { checks: 'no-such-check' }, { 'upload-sarif': 'yes' }];
    for (const inputs of bad) {
      const r = await simulate(GAPPY, inputs);
      expect(r.exitCode, JSON.stringify(inputs)).toBe(2);
      expect(r.stdout).toMatch(/^::error title=pipewarden::\S/m);
      expect(r.outputs).toEqual({});
    }
    const missing = await simulate(GAPPY, { path: 'does/not/exist' });
    expect(missing.exitCode).toBe(3);
    expect(missing.stdout).toMatch(/^::error title=pipewarden::/m);
  });
});

describe('action.yml', () => {
  const load = async () => parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8'));

  it('is a composite action whose inputs all reach the entry through env, never the script text', async () => {
    const action = await load();
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps as Array<{ id?: string; run?: string; uses?: string; env?: Record<string, string>; with?: Record<string, string> }>;
    for (const s of steps) if (s.run) expect(s.run, s.run).not.toContain('${{');
    const audit = steps.find((s) => s.id === 'audit')!;
    expect(audit.run).toBe('node "$GITHUB_ACTION_PATH/bin/action.js"');
    const names = Object.keys(action.inputs);
    expect(names).toEqual(expect.arrayContaining(['path', 'format', 'fail-on', 'checks', 'skip', 'upload-sarif', 'step-summary', 'annotations']));
    for (const name of names) expect(audit.env![`INPUT_${name.toUpperCase().replace(/-/g, '_')}`]).toBe(`\${{ inputs.${name} }}`);
    expect(Object.keys(audit.env!)).toHaveLength(names.length);
    // The entry reads exactly these variables.
    const source = await readFile(path.join(ROOT, 'src/action/main.ts'), 'utf8');
    const read = new Set([...source.matchAll(/'(INPUT_[A-Z_]+)'/g)].map((m) => m[1]));
    expect([...read].sort()).toEqual(Object.keys(audit.env!).sort());
  });

  it('declares the outputs the entry writes, and pins the SARIF upload by commit SHA', async () => {
    const action = await load();
    const r = await simulate(CLEAN, {});
    for (const [name, out] of Object.entries(action.outputs as Record<string, { value: string }>)) {
      expect(out.value).toBe(`\${{ steps.audit.outputs.${name} }}`);
      expect(r.outputs).toHaveProperty(name);
    }
    const upload = (action.runs.steps as Array<{ uses?: string; if?: string; with?: Record<string, string> }>).find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(upload.if).toContain("inputs.upload-sarif == 'true'");
    expect(upload.if).toContain('!cancelled()');
    expect(upload.with?.sarif_file).toBe('${{ steps.audit.outputs.sarif-path }}');
  });
});
