import { usesSiteHooks, type Check, type CheckContext } from '../src/check.js';
import { isInternal, usesTarget, type UsesSite } from '../src/analysis/facts.js';
import { pinFix } from '../src/edits/pin.js';

export const mutableInternalRef: Check = {
  meta: {
    id: 'mutable-internal-ref',
    title: "Internal action or workflow referenced by a branch",
    area: 'pinning',
    severity: 'medium',
    description: "A `uses:` points into the repository owner's own organisation by a branch such as `@main`.",
    why:
      'A branch reference runs whatever that branch holds when the job starts. Anyone who can push to it (or merge a pull ' +
      'request into it) changes the code every workflow that references it runs, release workflows included, without the ' +
      'change ever being reviewed as a CI change. It also makes builds irreproducible: the same commit builds differently on ' +
      'different days.',
    howToFix:
      'Pin the reference to a commit SHA (with the branch or version in a comment) and let Renovate or Dependabot update it, ' +
      'or use a local reference (`./.github/actions/x`) when the action lives in the same repository.',
    example:
      '- uses: my-org/shared-actions/setup@main\n+ uses: my-org/shared-actions/setup@8f4b7f84864484a7bf31766abe9204da3cbe65b3 # main',
    fixable: true,
    lookups: true,
  },
  // Per file: the look-ups it needs for fixes are made before the audit walks (see `lookups`).
  ...usesSiteHooks(visit),
};

function visit(site: UsesSite, { repo, env, report }: CheckContext): void {
  const { file, uses } = site;
  if (uses.kind !== 'action' && uses.kind !== 'reusable-workflow') return;
  if (uses.refKind !== 'branch' || !isInternal(repo, uses.owner)) return;
  const target = `${usesTarget(uses)}@${uses.ref}`;
  report({
    file,
    range: uses.range,
    group: target,
    fix: () => pinFix(env, site, repo.file(file)?.text),
    messageId: uses.kind === 'action' ? 'internal-action-branch' : 'internal-workflow-branch',
    message: `\`${target}\` follows the branch \`${uses.ref}\` of an internal ${uses.kind === 'action' ? 'action' : 'workflow'}: whoever can push there changes this CI`,
  });
}
