import type { Check } from '../src/check.js';
import { eventNames, PRIVILEGED_UNTRUSTED_EVENTS } from '../src/analysis/facts.js';
import { known } from '../src/analysis/remote.js';
import { isTokenSecret, secretUsesInJob } from '../src/analysis/secrets.js';

export const environmentUnprotected: Check = {
  meta: {
    id: 'environment-unprotected',
    title: 'Environment guarding secrets has no protection rules',
    area: 'remote',
    severity: 'medium',
    description: 'A job that reads secrets names an environment that has no required reviewers and no deployment branch policy.',
    why:
      'An environment only protects its secrets through its rules. Without required reviewers or a branch policy, a workflow on any ' +
      'branch — pushed by anyone with write access, or a compromised token — can deploy to it and read its secrets.',
    howToFix:
      'In Settings > Environments, add required reviewers and restrict deployment branches to protected branches (or a named list).',
    example: 'Settings > Environments > production > Required reviewers: @org/release; Deployment branches: Protected branches only',
    fixable: false,
    // Reads the environments GitHub reports (env.remote).
    lookups: true,
  },
  job(job, wf, { env, memo, report }) {
    const remote = env.remote;
    const environment = job.environment;
    if (!remote || !environment || environment.name.includes('${{')) return;
    const secrets = [...new Set(secretUsesInJob(wf, job, memo).filter((u) => !isTokenSecret(u.name)).map((u) => u.name))];
    if (secrets.length === 0) return;
    const fact = remote.environments.get(environment.name.toLowerCase());
    if (!fact || !('value' in fact)) return;
    const settings = known(fact);
    if (settings && (settings.requiredReviewers > 0 || settings.branchPolicy)) return;
    const untrusted = eventNames(wf).some((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e));
    const names = secrets.slice(0, 3).join(', ') + (secrets.length > 3 ? ', …' : '');
    report({
      file: wf.file,
      range: environment.range,
      severity: untrusted ? 'high' : 'medium',
      confidence: settings === null ? 'medium' : 'high',
      messageId: settings === null ? 'environment-missing' : 'no-protection',
      message:
        settings === null
          ? `job \`${job.id}\` reads ${names} in environment \`${environment.name}\`, which the API reports does not exist: the first run creates it without protection rules`
          : `job \`${job.id}\` reads ${names} in environment \`${environment.name}\`, which the API reports has no required reviewers and no deployment branch policy`,
    });
  },
};
