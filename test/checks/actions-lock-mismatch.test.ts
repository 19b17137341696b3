import { actionsLockMismatch } from '../../checks/actions-lock-mismatch.js';
import { yaml } from '../helpers/repo.js';
import { ruleTester } from '../helpers/rule-tester.js';

const WF = '.github/workflows/test.yml';
const LOCK = '.github/workflows/actions.lock';
const CHECKOUT = 'de0fac2e4500dabe0009e67214ff5f5447ce83dd';
const lock = (...refs: string[]): string =>
  yaml(
    "version: 'v0.0.2'",
    'workflows:',
    `    '${WF}':`,
    ...refs.map((r) => `        - '${r}'`),
    'dependencies:',
    ...refs.flatMap((r) => [`    '${r}':`, `        ref: '${r.split('@')[1]}'`, `        commit: 'sha1-${CHECKOUT}'`]),
  );
const workflow = (...uses: string[]): string => yaml('on: push', 'permissions: {}', 'jobs:', '  t:', '    runs-on: ubuntu-latest', '    steps:', ...uses.map((u) => `      - uses: ${u}`));

ruleTester(actionsLockMismatch, {
  valid: [
    { name: 'no lockfile: unpinned-uses speaks', files: { [WF]: workflow('actions/checkout@v6.0.2') } },
    { name: 'every ref locked', files: { [WF]: workflow('actions/checkout@v6.0.2', `actions/setup-go@${CHECKOUT}`), [LOCK]: lock('actions/checkout@v6.0.2') } },
    { name: 'a workflow the lock does not list', files: { [WF]: workflow('actions/checkout@v6.0.2'), '.github/workflows/other.yml': workflow('some/action@v1'), [LOCK]: lock('actions/checkout@v6.0.2') } },
  ],
  invalid: [
    {
      name: 'a ref added after the lock was written, and an entry left behind',
      files: { [WF]: workflow('actions/checkout@v6.0.2', 'tj-actions/changed-files@v46'), [LOCK]: lock('actions/checkout@v6.0.2', 'actions/setup-go@v6.4.0') },
      findings: [
        { file: LOCK, line: 5, column: 1, severity: 'low', message: 'the lock lists `actions/setup-go@v6.4.0` for .github/workflows/test.yml, which no longer uses that ref' },
        {
          line: 8,
          column: 15,
          severity: 'high',
          message: '`tj-actions/changed-files@v46` is not locked in .github/workflows/actions.lock, which lists this workflow: it runs whatever `v46` points at; regenerate the lock',
        },
      ],
    },
  ],
});

// Together with unpinned-uses: the lock finding stands for the tag finding at the same span.
import { describe, expect, it } from 'vitest';
import { auditDirectory } from '../../src/audit/audit.js';
import { unpinnedUses } from '../../checks/unpinned-uses.js';
import { makeRepo } from '../helpers/repo.js';

describe('actions-lock-mismatch with unpinned-uses', () => {
  it('locked refs count as pinned; an unlocked one is reported once, by the lock check, naming the other', async () => {
    const dir = await makeRepo({ [WF]: workflow('actions/checkout@v6.0.2', 'tj-actions/changed-files@v46'), [LOCK]: lock('actions/checkout@v6.0.2') });
    const { report } = await auditDirectory(dir, { checks: [unpinnedUses, actionsLockMismatch], identity: { owner: 'acme', name: 'w' } });
    expect(report.findings.map((f) => [f.check, f.line, f.also])).toEqual([['actions-lock-mismatch', 8, ['unpinned-uses']]]);
  });
});
