import type { Check } from '../src/check.js';
import { isCheckout, runsCommand } from '../src/analysis/facts.js';
import { setStepInput } from '../src/edits/step-input.js';
import type { Step } from '../src/model/workflow.js';

export const persistCredentials: Check = {
  meta: {
    id: 'persist-credentials',
    title: 'actions/checkout leaves the token in .git/config',
    area: 'credentials',
    severity: 'medium',
    description: '`actions/checkout` without `persist-credentials: false`.',
    why:
      'By default actions/checkout writes the GITHUB_TOKEN into .git/config for the rest of the job. Every later step, every ' +
      'third-party action and every build script can read it there, and an `actions/upload-artifact` of the workspace ' +
      'publishes it (the "ArtiPACKED" leak).',
    howToFix:
      'Add `persist-credentials: false` under the checkout step\'s `with:`. A job that must push passes the token explicitly to ' +
      'that one command instead.',
    example: '- uses: actions/checkout@<sha> # v4.2.2\n  with:\n    persist-credentials: false',
    fixable: true,
  },
  step(step, { file, yaml, steps, stepsPath }, { report }) {
        if (!isCheckout(step) || !step.uses) return;
        const value = step.with.get('persist-credentials')?.value.trim().toLowerCase();
        if (value === 'false' || value?.includes('${{')) return;
        const pushes = steps.slice(steps.indexOf(step) + 1).some(pushesWithGit);
        report({
          fix: () => {
            const fix = setStepInput(yaml, step, [...stepsPath, step.index], 'persist-credentials', 'false', 'Set persist-credentials: false on actions/checkout');
            return fix && pushes ? { ...fix, safety: 'unsafe' as const } : fix;
          },
          file,
          range: step.uses.range,
          confidence: pushes ? 'medium' : 'high',
          messageId: pushes ? 'checkout-then-push' : 'checkout',
          message: pushes
            ? 'checkout persists the token in .git/config; a later step pushes with git, so pass the token to that command instead'
            : 'checkout persists the token in .git/config, where every later step and artifact upload can read it',
        });
  },
};

function pushesWithGit(step: Step): boolean {
  return !!step.run && runsCommand(step.run.value, /\bgit\s+(?:-\S+\s+)*push\b/);
}
