/** Re-audits through one session reuse the parses of unchanged files and find exactly what a fresh audit finds. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepoSession } from '../src/engine/session.js';
import type { Audit } from '../src/audit/audit.js';
import { CHECKS } from '../src/registry.js';
import { makeRepo, yaml } from './helpers/repo.js';

const OPTS = { checks: CHECKS, identity: { owner: 'acme', name: 'widgets' }, now: new Date('2026-12-01T12:00:00Z') };

const ci = yaml(
  'on: pull_request_target',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '        with: { ref: "${{ github.event.pull_request.head.sha }}" }',
  '      - run: echo "${{ github.event.pull_request.title }}"',
);
const release = yaml(
  'on: push',
  'defaults: &d',
  '  run: { shell: bash }',
  'jobs:',
  '  publish:',
  '    runs-on: ubuntu-latest',
  '    permissions: write-all',
  '    steps:',
  '      - uses: actions/setup-node@v4',
  '      - run: npm publish',
  '        env: { NODE_AUTH_TOKEN: "${{ secrets.NPM_TOKEN }}" }',
);
const broken = 'on: push\njobs:\n  a: [unclosed\n';

/** Findings and errors as plain data (the lazy fix thunks are per audit by design). */
const plain = (a: Audit) => JSON.parse(JSON.stringify({ findings: a.report.findings, errors: a.report.errors }));
const docOf = (a: Audit, file: string) => a.model.workflows.find((w) => w.file === file)?.yaml.doc;

describe('the parse cache of a session', () => {
  it('re-parses only the changed file, and the re-audit equals a fresh audit of the changed tree', async () => {
    const dir = await makeRepo({
      '.github/workflows/ci.yml': ci,
      '.github/workflows/release.yml': release,
      '.github/workflows/broken.yml': broken,
      '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: { interval: weekly }\n',
      'renovate.json': '{ "extends": ["config:recommended"] }',
    });
    const session = await RepoSession.open(dir, OPTS);
    const first = await session.audit();
    expect(first.report.findings.length).toBeGreaterThan(0);
    expect(first.report.errors.some((e) => e.file === '.github/workflows/broken.yml')).toBe(true);
    // The wrapper (with its alias budget) this audit reads; a later audit must read another.
    const firstWrapper = first.model.workflows.find((w) => w.file === '.github/workflows/release.yml')?.yaml;

    // The same tree again: every parse is reused, and the answer does not change.
    const same = await session.audit();
    expect(plain(same)).toEqual(plain(first));
    expect(docOf(same, '.github/workflows/release.yml')).toBe(docOf(first, '.github/workflows/release.yml'));

    await writeFile(path.join(dir, '.github/workflows/ci.yml'), ci.replace('pull_request_target', 'pull_request'));
    const again = await session.audit();
    const fresh = await (await RepoSession.open(dir, OPTS)).audit();
    expect(plain(again)).toEqual(plain(fresh));
    expect(plain(again)).not.toEqual(plain(first));

    // Unchanged: the very same parsed document. Changed: a new one. Wrappers and models are per audit.
    expect(docOf(again, '.github/workflows/release.yml')).toBe(docOf(first, '.github/workflows/release.yml'));
    expect(docOf(again, '.github/workflows/ci.yml')).not.toBe(docOf(first, '.github/workflows/ci.yml'));
    expect(again.model.workflows.find((w) => w.file === '.github/workflows/release.yml')?.yaml).not.toBe(firstWrapper);
    expect(again.model).not.toBe(first.model);
    expect(again.model.errors).not.toBe(first.model.errors);
    // The broken file's parse error is listed once per audit, not once per audit so far.
    expect(again.report.errors.filter((e) => e.file === '.github/workflows/broken.yml')).toEqual(first.report.errors.filter((e) => e.file === '.github/workflows/broken.yml'));

    // A fresh session shares nothing with the first one.
    expect(docOf(fresh, '.github/workflows/release.yml')).not.toBe(docOf(first, '.github/workflows/release.yml'));
  });
});
