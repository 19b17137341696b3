import type { Check } from '../src/check.js';
import { isGitHubOwned, isInternal, usesSites, usesTarget } from '../src/analysis/facts.js';
import { pinFix } from '../src/edits/pin.js';
import { imageHasDigest } from '../src/model/uses.js';
import type { Severity } from '../src/types.js';

/** SLSA's generator must be referenced by tag: it verifies its own tag to build provenance. */
const TAG_REQUIRED = /^slsa-framework\/slsa-github-generator\//i;

/** pipewarden reaches no container registry, so it never guesses a digest. */
const IMAGE_REMEDIATION =
  'Pin the image by digest (image@sha256:…), e.g. from `docker buildx imagetools inspect`. Not pinned automatically: pipewarden looks up no container registry, and a digest it cannot verify is not written.';

const REF_WORDS: Record<string, string> = {
  tag: 'a tag',
  branch: 'a branch',
  'short-sha': 'a short SHA',
};

export const unpinnedUses: Check = {
  meta: {
    id: 'unpinned-uses',
    title: 'Action, workflow or image not pinned to an immutable reference',
    area: 'pinning',
    severity: 'high',
    description:
      'A `uses:` that is not a full 40-character commit SHA, or a `docker://`, `container:` or `services:` image without an `@sha256:` digest.',
    why:
      'Tags and branches can be moved: whoever controls the action (or steals its maintainer token, as in the tj-actions/changed-files ' +
      'compromise of March 2025) can point `@v4` at malicious code that then runs with your token and secrets. A commit SHA cannot be ' +
      'moved; an image digest cannot be re-pushed.',
    howToFix:
      'Pin to the full commit SHA and keep the version in a comment (`uses: actions/checkout@<sha> # v4.2.2`); pin images by digest. ' +
      'Renovate (helpers:pinGitHubActionDigests) or Dependabot keep the pins current.',
    example: '- uses: actions/checkout@v4\n+ uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    fixable: true,
  },
  run({ repo, env, report }) {
    for (const site of usesSites(repo)) {
      const { file, uses } = site;
      if (uses.kind === 'local') continue;
      if (uses.kind === 'docker') {
        if (uses.refKind !== 'sha') {
          report({ file, range: uses.range, severity: 'medium', messageId: 'docker-image-tag', message: `image \`${uses.image}\` is not pinned by digest (@sha256:…)`, remediation: IMAGE_REMEDIATION });
        }
        continue;
      }
      if (uses.refKind === 'sha' || uses.refKind === 'expression') continue;
      const target = usesTarget(uses);
      if (TAG_REQUIRED.test(target) && uses.kind === 'reusable-workflow') continue;
      const internal = isInternal(repo, uses.owner);
      // Internal branch references are mutable-internal-ref's to report.
      if (internal && uses.refKind === 'branch') continue;
      let severity: Severity = 'high';
      if (uses.refKind === 'short-sha' || (uses.refKind === 'tag' && isGitHubOwned(uses.owner))) severity = 'medium';
      if (internal) severity = 'low';
      report({
        file,
        range: uses.range,
        severity,
        group: `${target}@${uses.ref}`,
        fix: () => pinFix(env, site),
        messageId: `ref-${uses.refKind}`,
        message: `\`${target}@${uses.ref}\` is pinned to ${REF_WORDS[uses.refKind] ?? 'a mutable ref'}, not a full commit SHA`,
      });
    }
    const images = [
      ...repo.workflows.flatMap((wf) =>
        wf.jobs.flatMap((job) => [
          ...(job.container ? [{ file: wf.file, ref: job.container, what: `job \`${job.id}\` container` }] : []),
          ...job.services.map((s) => ({ file: wf.file, ref: s, what: `job \`${job.id}\` service` })),
        ]),
      ),
      ...repo.actions.flatMap((a) => (a.image && a.image.image.startsWith('docker://') ? [{ file: a.file, ref: a.image, what: 'action image' }] : [])),
    ];
    for (const { file, ref, what } of images) {
      const image = ref.image.replace(/^docker:\/\//, '');
      if (image.includes('${{') || imageHasDigest(image)) continue;
      report({ file, range: ref.range, severity: 'medium', messageId: 'image-tag', message: `${what} \`${image}\` is not pinned by digest (@sha256:…)`, remediation: IMAGE_REMEDIATION });
    }
  },
};
