import type { Check } from '../src/check.js';
import { jobPermissionsFix, leastPrivilegeFix } from '../src/edits/permissions.js';
import type { Severity } from '../src/types.js';

/** Write access to these lets a token change code, releases, packages or mint cloud credentials. */
const HIGH_RISK_SCOPES = new Set(['contents', 'packages', 'actions', 'id-token']);

export const excessivePermissions: Check = {
  meta: {
    id: 'excessive-permissions',
    title: 'Write permissions granted to the whole workflow',
    area: 'permissions',
    severity: 'high',
    description: '`write-all` anywhere, write scopes at workflow level (every job inherits them), or `read-all`.',
    why:
      'Permissions at the top of a workflow reach every job, including the ones that run tests, linters and third-party ' +
      'actions. One compromised step then holds a token that can push to the default branch, overwrite release assets, ' +
      'publish packages or (with id-token: write) obtain cloud credentials.',
    howToFix: 'Set `permissions: contents: read` at the top and move each write scope to the one job that needs it.',
    example:
      'permissions:\n  contents: read\njobs:\n  publish:\n    permissions:\n      packages: write  # pushes the image to ghcr.io',
    fixable: true,
  },
  workflow(wf, { repo, memo, report }) {
      const perms = wf.permissions;
      const withTopFix = {
        fix: () => (perms && perms.kind !== 'other' ? leastPrivilegeFix(wf, repo.actions, 'Set contents: read at the top and move write scopes to the jobs that need them', memo) : undefined),
      };
      if (perms?.kind === 'write-all') {
        report({ file: wf.file, range: perms.valueRange, messageId: 'workflow-write-all', message: 'workflow grants `write-all`: every job can write to every scope', ...withTopFix });
      } else if (perms?.kind === 'read-all') {
        report({
          file: wf.file,
          range: perms.valueRange,
          severity: 'low',
          ...withTopFix,
          messageId: 'workflow-read-all',
          message: '`read-all` grants read access to every scope (including security events and secrets metadata); list the scopes needed',
        });
      } else if (perms?.kind === 'map') {
        // Jobs with their own `permissions:` (and reusable-workflow calls, which also take the caller's) ignore the top-level block.
        const reached = wf.jobs.filter((j) => !j.permissions);
        for (const s of perms.scopes) {
          if (s.level !== 'write') continue;
          if (wf.jobs.length > 0 && reached.length === 0) {
            report({
              file: wf.file,
              range: s.keyRange,
              severity: 'low',
              confidence: 'high',
              ...withTopFix,
              messageId: 'workflow-scope-dead',
              message: `\`${s.scope}: write\` at workflow level reaches no job: ${wf.jobs.length === 1 ? 'the only job declares its' : wf.jobs.length === 2 ? 'both jobs declare their' : `all ${wf.jobs.length} jobs declare their`} own permissions, so it is dead configuration that a job added later would inherit`,
            });
            continue;
          }
          // With one job the scope goes where it is used anyway; what is left is the job added later
          // that would inherit it: worth moving, not urgent.
          const severity: Severity = wf.jobs.length <= 1 ? 'low' : HIGH_RISK_SCOPES.has(s.scope) ? 'high' : 'medium';
          const names = reached.map((j) => `\`${j.id}\``).join(', ');
          report({
            file: wf.file,
            range: s.keyRange,
            severity,
            confidence: wf.jobs.length <= 1 ? 'medium' : 'high',
            ...withTopFix,
            messageId: 'workflow-scope-write',
            message:
              wf.jobs.length <= 1
                ? `\`${s.scope}: write\` at workflow level reaches job ${names} and every job added later; grant it on the job that needs it`
                : reached.length === wf.jobs.length
                  ? `\`${s.scope}: write\` at workflow level reaches ${wf.jobs.length === 2 ? 'both jobs' : `all ${wf.jobs.length} jobs`} (${names}); grant it on the job that needs it`
                  : `\`${s.scope}: write\` at workflow level reaches ${reached.length} of ${wf.jobs.length} jobs (${names}); grant it on the job that needs it`,
          });
        }
      }
  },
  job(job, wf, { repo, report }) {
    if (job.permissions?.kind !== 'write-all') return;
    report({
      file: wf.file,
      range: job.permissions.valueRange,
      messageId: 'job-write-all',
      message: `job \`${job.id}\` grants \`write-all\`; list the scopes it needs`,
      fix: () => jobPermissionsFix(wf, job, repo.actions),
    });
  },
};
