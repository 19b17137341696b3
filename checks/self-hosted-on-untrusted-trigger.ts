import type { Check } from '../src/check.js';
import { FORK_CODE_EVENTS } from '../src/analysis/facts.js';

export const selfHostedOnUntrustedTrigger: Check = {
  meta: {
    id: 'self-hosted-on-untrusted-trigger',
    title: 'Self-hosted runner reachable from fork pull requests',
    area: 'triggers',
    severity: 'high',
    description: 'A job on `self-hosted` runner labels (or a runner group) in a workflow that pull requests from forks can trigger.',
    why:
      'Self-hosted runners are usually persistent: code from one job can leave a backdoor that the next job, a release build with ' +
      'secrets, runs on. A fork pull request lets anyone put code on such a runner (this is how the PyTorch and TensorFlow runner ' +
      'compromises worked).',
    howToFix:
      'Run fork pull requests on GitHub-hosted runners; keep self-hosted runners for trusted events, use ephemeral just-in-time runners, ' +
      'and require approval for workflows from outside collaborators.',
    example: 'on: pull_request\njobs:\n  test:\n-   runs-on: [self-hosted, linux]\n+   runs-on: ubuntu-latest',
    fixable: false,
  },
  job(job, wf, { report }) {
        const events = wf.triggers.map((t) => t.event).filter((e) => FORK_CODE_EVENTS.has(e));
        if (events.length === 0) return;
        const { labels, group, range } = job.runsOn;
        if (!range) return;
        // Only the `self-hosted` label says so; GitHub-hosted larger runners use custom labels (`ubuntu-latest-16-cores`) and runner groups too.
        const selfHosted = labels.some((l) => l.trim().toLowerCase() === 'self-hosted');
        const knownGroup = !!group && /self-hosted/i.test(group);
        if (!selfHosted && !group) return;
        report({
          file: wf.file,
          range,
          severity: selfHosted || knownGroup ? 'high' : 'info',
          confidence: selfHosted || knownGroup ? 'high' : 'low',
          messageId: selfHosted ? 'self-hosted' : knownGroup ? 'self-hosted-group' : 'runner-group',
          message: selfHosted
            ? `job \`${job.id}\` runs on a self-hosted runner in a workflow that ${events.join(' and ')} from forks can trigger`
            : knownGroup
              ? `job \`${job.id}\` runs in runner group \`${group}\`, named as self-hosted, in a workflow that ${events.join(' and ')} from forks can trigger`
              : `job \`${job.id}\` runs in runner group \`${group}\` in a workflow that ${events.join(' and ')} from forks can trigger; whether the group holds self-hosted or GitHub-hosted larger runners is unknown from the workflow`,
        });
  },
};
