import type { Check } from '../src/check.js';
import { isReleaseTriggered } from '../src/analysis/facts.js';
import { generatesSbom, goReleaserFacts, publications, stepAnchor } from '../src/analysis/publishing.js';

export const missingSbom: Check = {
  meta: {
    id: 'missing-sbom',
    title: 'Images or releases published without an SBOM',
    area: 'release-integrity',
    severity: 'medium',
    description:
      'Image or release publishing with no SBOM generated (anchore/sbom-action, syft, build-push-action `sbom: true`) or attested (`cosign attest --type spdxjson|cyclonedx`).',
    why:
      'When the next critical CVE lands, an SBOM is how users find out in minutes, not days, whether your release contains the ' +
      'vulnerable component. Attested SBOMs also let them verify that the list came from your build.',
    howToFix: 'Set `sbom: true` on docker/build-push-action, or generate one with anchore/sbom-action and attach or attest it.',
    example: '- uses: docker/build-push-action@<sha> # v6\n  with:\n    push: true\n+   sbom: true',
    fixable: false,
  },
  workflow(wf, { repo, memo, report }) {
      const goreleaser = memo.get('goreleaser', repo, () => goReleaserFacts(repo));
      const published = publications(wf, goreleaser, memo);
      const first = published[0];
      if (!first || generatesSbom(wf, goreleaser)) return;
      const release = isReleaseTriggered(wf);
      report({
        file: wf.file,
        range: stepAnchor(first.step),
        messageId: 'publishes-without-sbom',
        severity: release ? 'medium' : 'low',
        message: `publishes ${[...new Set(published.map((p) => (p.kind === 'image' ? `container images (${p.what})` : p.what)))].join(', ')} with no SBOM generated or attested`,
      });
  },
};
