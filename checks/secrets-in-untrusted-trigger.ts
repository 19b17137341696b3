import type { Check } from '../src/check.js';
import { PRIVILEGED_UNTRUSTED_EVENTS } from '../src/analysis/facts.js';
import { isTokenSecret, secretUsesInJob } from '../src/analysis/secrets.js';

export const secretsInUntrustedTrigger: Check = {
  meta: {
    id: 'secrets-in-untrusted-trigger',
    title: 'Secrets or a write token reachable from events outsiders cause',
    area: 'credentials',
    severity: 'high',
    description:
      'A workflow run by pull_request_target, workflow_run, issue_comment, issues or other events anyone can cause reads secrets, or gives its token write scopes.',
    why:
      'Anyone with a GitHub account can open an issue, comment or send a pull request from a fork. A workflow those events start ' +
      'runs with the base repository\'s secrets and token; one injection, one poisoned artifact or one compromised action in it ' +
      'hands them over.',
    howToFix:
      'Keep workflows that outsiders can trigger free of secrets and write scopes. Do the privileged part in a separate workflow ' +
      'behind an environment with required reviewers, or triggered only by maintainers (workflow_dispatch, push).',
    example: 'on: pull_request_target\npermissions:\n  pull-requests: write  # only to label; no secrets in this workflow',
    fixable: false,
  },
  workflow(wf, { memo, report }) {
      const untrusted = wf.triggers.map((t) => t.event).filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e) && e !== 'watch' && e !== 'fork');
      if (untrusted.length === 0) return;
      const events = untrusted.join(', ');
      for (const job of wf.jobs) {
        const uses = secretUsesInJob(wf, job, memo).filter((u) => !isTokenSecret(u.name));
        if (uses.length) {
          const names = [...new Set(uses.map((u) => u.name))];
          report({
            file: wf.file,
            range: uses[0]!.range,
            severity: job.environment ? 'medium' : 'high',
            messageId: job.environment ? 'secrets-gated' : 'secrets',
            message: `job \`${job.id}\` reads ${names.map((n) => `\`${n}\``).join(', ')} in a workflow run by ${events}${job.environment ? ` (gated by environment \`${job.environment.name}\`)` : ''}`,
          });
        }
      }
      const writes = (wf.permissions?.scopes ?? []).filter((s) => s.level === 'write');
      for (const s of writes) {
        report({ file: wf.file, range: s.keyRange, severity: 'medium', messageId: 'workflow-write', message: `\`${s.scope}: write\` for every job of a workflow run by ${events}` });
      }
      for (const job of wf.jobs) {
        for (const s of job.permissions?.scopes ?? []) {
          if (s.level === 'write' && (s.scope === 'contents' || s.scope === 'packages' || s.scope === 'actions' || s.scope === 'id-token')) {
            report({ file: wf.file, range: s.keyRange, severity: 'medium', messageId: 'job-write', message: `job \`${job.id}\` has \`${s.scope}: write\` in a workflow run by ${events}` });
          }
        }
      }
  },
};
