import type { Check } from '../src/check.js';
import { isReleaseTriggered } from '../src/analysis/facts.js';
import { describePublications, generatesSbom, goReleaserFacts, publications, stepAnchor } from '../src/analysis/publishing.js';

export const missingSbom: Check = {
  meta: {
    id: 'missing-sbom',
    title: 'Images or releases published without an SBOM',
    area: 'release-integrity',
    severity: 'medium',
    description:
      'Image or release publishing (to a registry users pull from; not throwaway registries, snapshots or pull-request runs) with no SBOM generated (anchore/sbom-action, syft, cyclonedx, build-push-action `sbom: true`), attested (`cosign attest`, actions/attest-sbom) or uploaded to the release, in any job of the workflow or the workflows it calls or is called by.',
    why:
      'When the next critical CVE lands, an SBOM is how users find out in minutes, not days, whether your release contains the ' +
      'vulnerable component. Attested SBOMs also let them verify that the list came from your build.',
    howToFix: 'Set `sbom: true` on docker/build-push-action, or generate one with anchore/sbom-action and attach or attest it.',
    example: '- uses: docker/build-push-action@<sha> # v6\n  with:\n    push: true\n+   sbom: true',
    fixable: false,
    // Release-triggered workflows anywhere in the repository count as evidence (publishing.ts).
    wholeRepo: (repo) => repo.workflows.some((wf) => wf.triggers.some((t) => t.event === 'release')),
  },
  workflow(wf, { repo, memo, report }) {
    const goreleaser = goReleaserFacts(repo, memo);
    const published = publications(repo, wf, goreleaser, memo);
    const first = published[0];
    if (!first) return;
    const githubRelease = published.some((p) => /GitHub release|release asset|GoReleaser/.test(p.what));
    if (generatesSbom(repo, wf, goreleaser, memo, githubRelease)) return;
    const release = isReleaseTriggered(wf);
    report({
      file: wf.file,
      range: stepAnchor(first.step),
      messageId: 'publishes-without-sbom',
      severity: release ? 'medium' : 'low',
      message: `publishes ${describePublications(repo, wf, published, memo)} with no SBOM generated, attested or uploaded (looked in this workflow's jobs and the workflows it calls or is called by)`,
    });
  },
};
