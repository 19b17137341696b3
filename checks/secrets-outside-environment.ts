import type { Check } from '../src/check.js';
import { isTokenSecret, secretUsesInJob } from '../src/analysis/secrets.js';

export const secretsOutsideEnvironment: Check = {
  meta: {
    id: 'secrets-outside-environment',
    title: 'Secrets read by a job without a protected environment',
    area: 'credentials',
    severity: 'medium',
    description: 'A job reads `secrets.*` (other than GITHUB_TOKEN) without `environment:`.',
    why:
      'Repository secrets are handed to any job of any workflow on any branch that asks for them, including workflows an ' +
      'attacker edits in a branch or pull request of their own. Secrets stored in a GitHub environment are released only to jobs ' +
      'that name it, and environment protection rules (required reviewers, allowed branches and tags) decide when.',
    howToFix:
      'Move production credentials into an environment (Settings → Environments) with deployment branch rules and, for release ' +
      'credentials, required reviewers; add `environment: <name>` to the job that deploys or publishes.',
    example: 'jobs:\n  publish:\n    environment: release\n    steps:\n      - run: ./publish.sh\n        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
    fixable: false,
  },
  job(job, wf, { memo, report }) {
        const triggers = wf.triggers.map((t) => t.event).join(', ') || 'no trigger';
        if (job.environment || job.uses) return;
        const uses = secretUsesInJob(wf, job, memo).filter((u) => !isTokenSecret(u.name));
        if (uses.length === 0) return;
        const names = [...new Set(uses.map((u) => u.name))];
        report({
          file: wf.file,
          range: uses[0]!.range,
          messageId: 'secrets-without-environment',
          message: `job \`${job.id}\` reads ${names.map((n) => `\`${n}\``).join(', ')} without an environment; any run on ${triggers} can use ${names.length > 1 ? 'them' : 'it'}`,
        });
  },
};
