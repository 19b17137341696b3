import type { Check } from '../src/check.js';
import { isReleaseTriggered } from '../src/analysis/facts.js';
import { describePublications, goReleaserFacts, publications, signsImages, stepAnchor } from '../src/analysis/publishing.js';

export const unsignedImage: Check = {
  meta: {
    id: 'unsigned-image',
    title: 'Container images pushed without a Sigstore signature',
    area: 'release-integrity',
    severity: 'medium',
    description:
      'A workflow pushes container images to a registry users pull from (build-push-action `push: true`, `docker push`, ko, GoReleaser) and neither it nor the workflows it calls or is called by signs them with cosign.',
    why:
      'Without a signature, users and admission controllers cannot tell the image you built from one pushed with a stolen registry ' +
      'credential. Keyless cosign signing binds the image digest to this workflow\'s identity in a public transparency log.',
    howToFix:
      'Install sigstore/cosign-installer and run `cosign sign --yes <image>@<digest>` after the push (the job needs `id-token: write`).',
    example:
      '- uses: sigstore/cosign-installer@<sha> # v3\n- run: cosign sign --yes "ghcr.io/org/app@${DIGEST}"\n  env:\n    DIGEST: ${{ steps.build.outputs.digest }}',
    fixable: false,
  },
  workflow(wf, { repo, memo, report }) {
    const goreleaser = goReleaserFacts(repo, memo);
    const images = publications(repo, wf, goreleaser, memo).filter((p) => p.kind === 'image');
    const first = images[0];
    if (!first || signsImages(repo, wf, goreleaser, memo)) return;
    const release = isReleaseTriggered(wf);
    report({
      file: wf.file,
      range: stepAnchor(first.step),
      messageId: 'pushes-unsigned',
      severity: release ? 'high' : 'medium',
      message: `pushes ${describePublications(repo, wf, images, memo)} without a cosign signature in this workflow or the workflows it calls or is called by`,
    });
  },
};
