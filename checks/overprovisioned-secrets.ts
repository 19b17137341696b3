import type { Check, CheckContext } from '../src/check.js';
import type { YamlFile } from '../src/model/yaml.js';
import { expressionsIn } from '../src/model/workflow.js';

export const overprovisionedSecrets: Check = {
  meta: {
    id: 'overprovisioned-secrets',
    title: 'Every secret handed to a step at once',
    area: 'credentials',
    severity: 'medium',
    description: '`toJSON(secrets)`, a bare `secrets` context or `secrets[<computed key>]` in a workflow or action.',
    why:
      'GitHub gives a job only the secrets its workflow names, and masks each in the logs. `toJSON(secrets)` names them all: every ' +
      'repository, environment and organization secret lands in one value that a single step (or the action it runs, or a ' +
      'compromised dependency of that action) can read or leak. A computed key (`secrets[format(...)]`) does the same for every ' +
      'secret the key can reach, and hides from reviewers which ones are used.',
    howToFix: 'Name each secret the step needs: `env: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`. Where a key must be chosen at run time, use a fixed map of the few allowed names (a `case` in the script, or one step per secret).',
    example: '- env:\n-   SECRETS: ${{ toJSON(secrets) }}\n+ env:\n+   NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
    fixable: false,
  },
  workflow(wf, ctx) {
    scan(wf.yaml, ctx);
  },
  action(action, ctx) {
    scan(action.yaml, ctx);
  },
};

function scan(yaml: YamlFile, { report }: CheckContext): void {
  for (const s of yaml.strings(yaml.root)) {
    if (!s.value.includes('secrets')) continue;
    for (const expr of expressionsIn(yaml, s)) {
      const whole = expr.paths.includes('secrets');
      const computed = expr.paths.includes('secrets.?');
      if (!whole && !computed) continue;
      report({
        file: yaml.path,
        range: expr.range,
        messageId: whole ? 'whole-context' : 'computed-key',
        message: whole
          ? `\`${expr.inner.trim()}\` hands every secret of the repository to this step; name the ones it needs`
          : `\`${expr.inner.trim()}\` picks a secret by a computed name, which exposes every secret the name can reach; name the ones it needs`,
      });
    }
  }
}
