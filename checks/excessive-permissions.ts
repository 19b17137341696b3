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
        for (const s of perms.scopes) {
          if (s.level !== 'write') continue;
          const severity: Severity = HIGH_RISK_SCOPES.has(s.scope) ? 'high' : 'medium';
          const jobs = wf.jobs.length;
          report({
            file: wf.file,
            range: s.keyRange,
            severity,
            confidence: jobs <= 1 ? 'medium' : 'high',
            ...withTopFix,
            messageId: 'workflow-scope-write',
            message:
              jobs <= 1
                ? `\`${s.scope}: write\` at workflow level also reaches every job added later; grant it on the job that needs it`
                : `\`${s.scope}: write\` at workflow level reaches all ${jobs} jobs; grant it on the job that needs it`,
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
