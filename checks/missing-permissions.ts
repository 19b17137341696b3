import type { Check } from '../src/check.js';
import { eventNames } from '../src/analysis/facts.js';
import { leastPrivilegeFix } from '../src/edits/permissions.js';

export const missingPermissions: Check = {
  meta: {
    id: 'missing-permissions',
    title: 'GITHUB_TOKEN permissions left to the repository default',
    area: 'permissions',
    severity: 'medium',
    description: 'A workflow has no top-level `permissions:` and at least one of its jobs declares none either.',
    why:
      'Without `permissions:`, the GITHUB_TOKEN gets the repository or organisation default, which is read-write on every scope ' +
      'for repositories created before February 2023 and can be changed by any admin. A compromised step (a hijacked action, ' +
      'an injected command) then holds a token that can push code, move tags and publish releases.',
    howToFix: 'Add `permissions: contents: read` at the top of the workflow and grant each job only the scopes it needs.',
    example: 'on: push\npermissions:\n  contents: read\njobs:\n  release:\n    permissions:\n      contents: write  # creates the GitHub release',
    fixable: true,
  },
  workflow(wf, { repo, memo, report }) {
      if (wf.permissions || wf.jobs.length === 0) return;
      // Reusable-workflow calls get their token from the called workflow's own declaration.
      const bare = wf.jobs.filter((j) => !j.permissions && !j.uses);
      if (bare.length === 0) return;
      const onlyCalled = eventNames(wf).every((e) => e === 'workflow_call');
      const names = bare.map((j) => `\`${j.id}\``).join(', ');
      report({
        fix: () => leastPrivilegeFix(wf, repo.actions, 'Set contents: read at the top and each job\'s least privilege', memo),
        refusedSuffix: '; those jobs keep their current permissions',
        messageId: onlyCalled ? 'reusable-no-permissions' : 'no-permissions',
        file: wf.file,
        range: bare[0]!.idRange,
        severity: onlyCalled ? 'low' : 'medium',
        message: onlyCalled
          ? `reusable workflow has no top-level permissions; job${bare.length > 1 ? 's' : ''} ${names} ${bare.length > 1 ? 'run' : 'runs'} with whatever token the caller grants`
          : `no top-level permissions and job${bare.length > 1 ? 's' : ''} ${names} declare${bare.length > 1 ? '' : 's'} none: the token gets the repository default`,
      });
  },
};
