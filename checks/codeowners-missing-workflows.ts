import ignore from 'ignore';
import type { Check } from '../src/check.js';
import { appendLine } from '../src/edits/text-files.js';
import { fileStart, lineRange } from '../src/analysis/repo-facts.js';

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
    howToFix:
      'Add `/.github/workflows/ @org/ci-owners` to CODEOWNERS and require code-owner review on the default branch. The fix uses --owner, else the owners of the file\'s `*` rule.',
    example: '/.github/workflows/ @my-org/release-engineering',
    fixable: true,
  },
  run({ repo, env, report }) {
    if (repo.workflows.length === 0) return;
    const files = repo.filesOfKind('codeowners');
    // GitHub uses the first of .github/, root, docs/.
    const order = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
    const file = order.map((p) => files.find((f) => f.path === p)).find((f) => f !== undefined);
    const rule = (owner: string): string => `/.github/workflows/ ${owner}`;
    if (!file) {
      const owner = env.settings.owner;
      report({
        file: '.github/CODEOWNERS',
        range: fileStart(),
        messageId: 'no-codeowners',
        message: 'no CODEOWNERS file: workflow changes need no owner\'s review',
        ...(owner
          ? { fix: { title: `Add .github/CODEOWNERS giving ${owner} the workflows`, safety: 'safe' as const, edits: [], newFiles: [{ file: '.github/CODEOWNERS', content: `# Changes to CI need a review from its owners.\n${rule(owner)}\n` }], changes: [] } }
          : {}),
      });
      return;
    }
    const probe = '.github/workflows/pipewarden-probe.yml';
    let owned: boolean | undefined;
    let defaultOwners: string[] = [];
    file.text.split('\n').forEach((raw) => {
      const line = raw.replace(/\r$/, '').trim();
      if (!line || line.startsWith('#')) return;
      const [pattern, ...rest] = line.split(/\s+/);
      if (!pattern) return;
      const owners = rest.slice(0, rest.findIndex((o) => o.startsWith('#')) === -1 ? undefined : rest.findIndex((o) => o.startsWith('#')));
      if (pattern === '*') defaultOwners = owners;
      // CODEOWNERS patterns follow .gitignore rules; the last matching rule wins.
      if (ignore().add(pattern).ignores(probe)) owned = owners.length > 0;
    });
    if (owned) return;
    const owner = env.settings.owner ?? (defaultOwners.length ? defaultOwners.join(' ') : undefined);
    const lines = file.text.split('\n').length;
    report({
      file: file.path,
      range: lineRange(file.text, Math.max(1, lines - (file.text.endsWith('\n') ? 1 : 0))),
      messageId: owned === false ? 'rule-without-owner' : 'no-rule',
      message: owned === false ? 'the CODEOWNERS rule that covers .github/workflows/ names no owner' : 'no CODEOWNERS rule covers .github/workflows/',
      ...(owner
        ? { fix: { title: `Give ${owner} the workflows in CODEOWNERS`, safety: 'safe' as const, edits: [appendLine(file.path, file.text, rule(owner))], newFiles: [], changes: [] } }
        : {}),
    });
  },
};
