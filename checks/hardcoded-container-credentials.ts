import type { Check } from '../src/check.js';
import { isMap, isScalar, type Node } from '../src/model/yaml.js';

export const hardcodedContainerCredentials: Check = {
  meta: {
    id: 'hardcoded-container-credentials',
    title: 'Registry password written into the workflow',
    area: 'credentials',
    severity: 'high',
    description: 'A job `container:` or `services:` entry whose `credentials.password` is a literal value rather than an expression.',
    why:
      'Everything in a workflow file is readable by whoever can read the repository, its forks and every clone, forever (git ' +
      'history keeps it after the line is deleted). A registry password written there lets anyone pull, and often push, the ' +
      'images that account can reach.',
    howToFix:
      'Store the password as an encrypted secret and reference it (`password: ${{ secrets.REGISTRY_PASSWORD }}`); for GHCR use ' +
      '`${{ secrets.GITHUB_TOKEN }}` with `packages: read`. Then revoke the password that was committed: it stays in git history.',
    example: '  credentials:\n    username: bot\n-   password: hunter2\n+   password: ${{ secrets.REGISTRY_PASSWORD }}',
    fixable: false,
  },
  job(job, wf, { report }) {
    const { yaml } = wf;
    const holders: Array<{ node: Node | null; what: string }> = [{ node: yaml.get(job.node, 'container'), what: `job \`${job.id}\` container` }];
    const services = yaml.get(job.node, 'services');
    if (isMap(services)) for (const { key, value } of yaml.entries(services)) holders.push({ node: value, what: `job \`${job.id}\` service \`${key}\`` });
    for (const { node, what } of holders) {
      if (!isMap(node)) continue;
      const credentials = yaml.get(node, 'credentials');
      if (!isMap(credentials)) continue;
      const password = yaml.get(credentials, 'password');
      if (!isScalar(password) || password.value === null || password.value === undefined) continue;
      const text = String(password.value);
      if (text.trim() === '' || text.includes('${{')) continue;
      // The value itself is never quoted back: it is a credential.
      report({ file: wf.file, range: yaml.range(password), messageId: 'literal-password', message: `${what} logs in to its registry with a password written into the workflow; use a secret` });
    }
  },
};
