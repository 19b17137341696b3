import ignore from 'ignore';
import type { Check } from '../src/check.js';
import { fileStart, lineRange } from '../src/repo-facts.js';

export const codeownersMissingWorkflows: Check = {
  meta: {
    id: 'codeowners-missing-workflows',
    title: 'No code owner for workflow changes',
    area: 'policy-files',
    severity: 'medium',
    description: 'No CODEOWNERS rule with an owner covers .github/workflows/.',
    why:
      'A workflow change is a change to what runs with your secrets and release credentials. With a CODEOWNERS rule and branch ' +
      'protection requiring code-owner review, such a change cannot merge without someone responsible for CI approving it.',
    howToFix: 'Add `/.github/workflows/ @org/ci-owners` to CODEOWNERS and require code-owner review on the default branch.',
    example: '/.github/workflows/ @my-org/release-engineering',
    fixable: false,
  },
  run({ repo, report }) {
    if (repo.workflows.length === 0) return;
    const files = repo.filesOfKind('codeowners');
    // GitHub uses the first of .github/, root, docs/.
    const order = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
    const file = order.map((p) => files.find((f) => f.path === p)).find((f) => f !== undefined);
    if (!file) {
      report({ file: '.github/CODEOWNERS', range: fileStart(), message: 'no CODEOWNERS file: workflow changes need no owner\'s review' });
      return;
    }
    const probe = '.github/workflows/pipewarden-probe.yml';
    let owned: boolean | undefined;
    file.text.split('\n').forEach((raw) => {
      const line = raw.replace(/\r$/, '').trim();
      if (!line || line.startsWith('#')) return;
      const [pattern, ...owners] = line.split(/\s+/);
      if (!pattern) return;
      // CODEOWNERS patterns follow .gitignore rules; the last matching rule wins.
      if (ignore().add(pattern).ignores(probe)) owned = owners.filter((o) => !o.startsWith('#')).length > 0;
    });
    if (owned) return;
    const lines = file.text.split('\n').length;
    report({
      file: file.path,
      range: lineRange(file.text, Math.max(1, lines - (file.text.endsWith('\n') ? 1 : 0))),
      message: owned === false ? 'the CODEOWNERS rule that covers .github/workflows/ names no owner' : 'no CODEOWNERS rule covers .github/workflows/',
    });
  },
};
