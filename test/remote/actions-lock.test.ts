/** The Actions lockfile reader (format of github/gh-actions-lock, v0.0.2 and v0.0.1 keys). */
import { describe, expect, it } from 'vitest';
import { lockedFor, lockedRefs } from '../../src/analysis/actions-lock.js';
import { discover } from '../../src/loader/discover.js';
import { buildRepoModel } from '../../src/model/repo.js';
import { makeRepo, yaml } from '../helpers/repo.js';

const CHECKOUT = 'de0fac2e4500dabe0009e67214ff5f5447ce83dd';
const SETUP_GO = '4a3601121dd01d1626a1e23e37211e3254c1c06c';

async function model(files: Record<string, string>) {
  return buildRepoModel(await discover(await makeRepo(files)), { owner: 'acme', name: 'widgets' });
}

describe('actions.lock', () => {
  it('reads v0.0.2: workflow lists of owner/repo@ref, commits from dependencies', async () => {
    const lock = yaml(
      "version: 'v0.0.2'",
      'workflows:',
      "    '.github/workflows/test.yml':",
      "        - 'actions/checkout@v6.0.2'",
      "        - 'Actions/Setup-Go@v6.4.0'",
      'dependencies:',
      "    'actions/checkout@v6.0.2':",
      "        ref: 'v6.0.2'",
      `        commit: 'sha1-${CHECKOUT}'`,
      '        owner_id: 44036562',
      '        repo_id: 197814629',
      "    'actions/setup-go@v6.4.0':",
      "        ref: 'v6.4.0'",
      `        commit: 'sha1-${SETUP_GO}'`,
      '        owner_id: 44036562',
      '        repo_id: 192624594',
    );
    const m = await model({ '.github/workflows/test.yml': yaml('on: push', 'jobs: {}'), '.github/workflows/actions.lock': lock });
    expect([...lockedRefs(m).keys()]).toEqual(['.github/workflows/test.yml']);
    expect(lockedFor(m, '.github/workflows/test.yml', 'actions', 'checkout', 'v6.0.2')).toEqual({ owner: 'actions', repo: 'checkout', ref: 'v6.0.2', commit: CHECKOUT });
    expect(lockedFor(m, '.github/workflows/test.yml', 'actions', 'setup-go', 'v6.4.0')?.commit).toBe(SETUP_GO);
    // Another ref of the same action, or another workflow, is not locked.
    expect(lockedFor(m, '.github/workflows/test.yml', 'actions', 'checkout', 'v5')).toBeUndefined();
    expect(lockedFor(m, '.github/workflows/other.yml', 'actions', 'checkout', 'v6.0.2')).toBeUndefined();
  });

  it('reads v0.0.1 canonical keys owner/repo@ref:sha1-<hex>', async () => {
    const lock = yaml('version: v0.0.1', 'workflows:', '  .github/workflows/deploy.yml:', `    - actions/checkout@v6:sha1-${CHECKOUT}`, 'dependencies:', `  actions/checkout@v6:sha1-${CHECKOUT}:`, '    tag: v6', '    branch: main', `    commit: sha1-${CHECKOUT}`, '    owner_id: 1', '    repo_id: 2');
    const m = await model({ '.github/workflows/deploy.yml': yaml('on: push', 'jobs: {}'), '.github/workflows/actions.lock': lock });
    expect(lockedFor(m, '.github/workflows/deploy.yml', 'actions', 'checkout', 'v6')?.commit).toBe(CHECKOUT);
  });

  it('no lockfile, or one that does not parse, locks nothing', async () => {
    expect(lockedRefs(await model({ '.github/workflows/a.yml': yaml('on: push', 'jobs: {}') })).size).toBe(0);
    expect(lockedRefs(await model({ '.github/workflows/a.yml': yaml('on: push', 'jobs: {}'), '.github/workflows/actions.lock': 'workflows: [unclosed\n' })).size).toBe(0);
  });
});
