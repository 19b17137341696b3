import type { Check } from '../src/check.js';
import { distinctNames, isHighValueSecret, isLowValueSecret, isTokenSecret, reachLabels, secretKind, secretUsesInJob } from '../src/analysis/secrets.js';
import type { Severity } from '../src/types.js';

export const secretsOutsideEnvironment: Check = {
  meta: {
    id: 'secrets-outside-environment',
    title: 'Secrets read by a job without a protected environment',
    area: 'credentials',
    severity: 'medium',
    description: 'A job reads `secrets.*` (other than GITHUB_TOKEN) without `environment:`; medium for publishing, deploy, cloud, registry, signing and GitHub App credentials, low for notification, cache and test tokens and names that say nothing.',
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
  job(job, wf, { repo, memo, report }) {
    if (job.environment || job.uses) return;
    const uses = secretUsesInJob(wf, job, memo).filter((u) => !isTokenSecret(u.name));
    if (uses.length === 0) return;
    const names = distinctNames(uses);
    const high = names.filter(isHighValueSecret);
    const low = names.filter(isLowValueSecret);
    const severity: Severity = high.length ? 'medium' : names.some((n) => secretKind(n) === 'app-key') ? 'medium' : 'low';
    const { all } = reachLabels(repo, wf, memo);
    const forks = all.some((e) => e.startsWith('pull_request ') || e === 'pull_request') ? ' (pull requests from forks get no secrets)' : '';
    const kinds = names.map((n) => {
      const k = secretKind(n);
      return `\`${n}\`${k === 'unknown' || k === 'token' ? '' : ` (${KIND_LABEL[k]})`}`;
    });
    report({
      file: wf.file,
      range: uses[0]!.range,
      severity,
      confidence: high.length || low.length === names.length ? 'high' : 'medium',
      messageId: 'secrets-without-environment',
      message:
        `job \`${job.id}\` reads ${kinds.join(', ')} without an environment: runs on ${all.join(', ') || 'no trigger'}${forks} get ${names.length > 1 ? 'them' : 'it'}, ` +
        `and so does any workflow pushed to a branch of this repository`,
    });
  },
};

const KIND_LABEL: Record<string, string> = {
  publishing: 'a publishing credential',
  deploy: 'a deploy credential',
  cloud: 'a cloud credential',
  registry: 'a registry credential',
  signing: 'a signing key',
  'app-key': 'a GitHub App key',
  notification: 'a notification hook',
  cache: 'a cache or reporting token',
  test: 'a test credential',
};
