import type { Check } from '../src/check.js';

export const secretsInherit: Check = {
  meta: {
    id: 'secrets-inherit',
    title: 'Reusable workflow called with every secret',
    area: 'credentials',
    severity: 'medium',
    description: '`secrets: inherit` on a reusable-workflow call.',
    why:
      '`secrets: inherit` passes every repository, organisation and environment secret to the called workflow, whatever it needs. ' +
      'A change to that workflow (or to the branch or tag it is referenced by) can then read all of them.',
    howToFix: 'Pass only the secrets the called workflow declares: `secrets: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`.',
    example: '  call:\n    uses: org/repo/.github/workflows/release.yml@<sha>\n-   secrets: inherit\n+   secrets:\n+     NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
    fixable: false,
  },
  job(job, wf, { report }) {
        if (!job.secretsInherit) return;
        const target = job.uses ? (job.uses.kind === 'local' ? `./${job.uses.path}` : `${job.uses.owner}/${job.uses.repo}/${job.uses.path}@${job.uses.ref}`) : 'the called workflow';
        // A workflow in this repository changes only through this repository's review; one elsewhere does not.
        const local = job.uses?.kind === 'local';
        report({
          file: wf.file,
          range: job.secretsInherit,
          severity: local ? 'low' : 'medium',
          messageId: local ? 'inherit-local' : 'inherit-remote',
          message: `job \`${job.id}\` passes every secret to \`${target}\`${local ? '' : ', which is maintained outside this repository'}`,
        });
  },
};
