import type { Check } from '../src/check.js';
import { dependabotFiles } from '../src/analysis/dependabot.js';
import { isMap, scalarText } from '../src/model/yaml.js';

export const dependabotInsecureExecution: Check = {
  meta: {
    id: 'dependabot-insecure-execution',
    title: 'Dependabot allowed to run code from dependencies',
    area: 'dependencies',
    severity: 'high',
    description: '`insecure-external-code-execution: allow` in the Dependabot configuration.',
    why:
      'With this setting Dependabot executes code from the manifests it updates (setup.py, gemspecs, Gradle scripts) with access ' +
      'to the private registry credentials configured for it: a malicious dependency release can steal them.',
    howToFix: 'Remove `insecure-external-code-execution: allow`; fix the ecosystem setup so updates work without executing code.',
    example: '  - package-ecosystem: pip\n-   insecure-external-code-execution: allow',
    fixable: false,
  },
  run({ repo, report }) {
    for (const file of dependabotFiles(repo)) {
      for (const u of file.updates) {
        const value = file.yaml.get(u.node, 'insecure-external-code-execution');
        if (!isMap(value) && scalarText(value)?.trim() === 'allow' && value) {
          report({ file: file.yaml.path, range: file.yaml.range(value), messageId: 'insecure-execution', message: `Dependabot may execute code from \`${u.ecosystem}\` dependencies while holding registry credentials` });
        }
      }
    }
  },
};
