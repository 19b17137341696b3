import type { Check } from '../src/check.js';
import { known, settingsAnchor } from '../src/analysis/remote.js';
import type { Workflow } from '../src/model/workflow.js';

/** A workflow gets the default token permissions when neither it nor one of its (non-reusable-call) jobs declares `permissions:`. */
function reliesOnDefault(wf: Workflow): boolean {
  return !wf.permissions && wf.jobs.some((j) => !j.permissions && !j.uses);
}

export const defaultTokenWrite: Check = {
  meta: {
    id: 'default-token-write',
    title: 'Default GITHUB_TOKEN permissions are read and write',
    area: 'remote',
    severity: 'high',
    description: 'The repository setting for the default GITHUB_TOKEN permissions (Settings > Actions > General) is "read and write".',
    why:
      'Every job that declares no `permissions:` gets a token that can push code, move tags and edit releases. One injectable step or ' +
      'compromised action in such a job can then write to the repository. Read-only by default means a workflow has to ask for write.',
    howToFix:
      'Set "Workflow permissions" to "Read repository contents and packages permissions" in Settings > Actions > General (or ' +
      '`PUT /repos/{owner}/{repo}/actions/permissions/workflow` with `default_workflow_permissions: read`), and declare `permissions:` in each workflow.',
    example: 'Settings > Actions > General > Workflow permissions: (x) Read repository contents and packages permissions',
    fixable: false,
  },
  run({ repo, env, report }) {
    const perms = known(env.remote?.workflowPermissions);
    if (!perms || perms.defaultWorkflowPermissions !== 'write' || repo.workflows.length === 0) return;
    const relying = repo.workflows.filter(reliesOnDefault).sort((a, b) => (a.file < b.file ? -1 : 1));
    const first = relying[0];
    if (first) {
      report({
        file: first.file,
        range: first.onRange ?? settingsAnchor(repo).range,
        messageId: 'default-write',
        message: `the API reports default_workflow_permissions: write, and ${relying.length} workflow${relying.length === 1 ? '' : 's'} declare${relying.length === 1 ? 's' : ''} no permissions for some job, so ${relying.length === 1 ? 'it runs' : 'they run'} with a read-write token`,
        related: relying.slice(1, 20).map((wf) => ({ file: wf.file, range: wf.onRange ?? settingsAnchor(repo).range, note: 'also declares no permissions' })),
      });
      return;
    }
    report({
      ...settingsAnchor(repo),
      severity: 'medium',
      messageId: 'default-write-declared',
      message: 'the API reports default_workflow_permissions: write; every workflow here declares its permissions, so the default only reaches workflows added later',
    });
  },
};
