import type { Check } from '../src/check.js';
import { describePublications, goReleaserFacts, hasScanGate, publications, stepAnchor } from '../src/analysis/publishing.js';

export const noScanGate: Check = {
  meta: {
    id: 'no-scan-gate',
    title: 'Images published with no vulnerability scan that can fail the job',
    area: 'release-integrity',
    severity: 'low',
    description:
      'Image publishing to a registry users pull from with no grype/anchore scan-action with a fail threshold, or trivy / aquasecurity/trivy-action with a non-zero exit code, in the workflow or the workflows it calls or is called by.',
    why: 'A scan that cannot fail the build is a report nobody reads; a gate stops an image with a known critical vulnerability from shipping.',
    howToFix: 'Scan the built image before pushing (anchore/scan-action with `fail-build: true` and `severity-cutoff`, or trivy with `exit-code: 1`).',
    example: '- uses: aquasecurity/trivy-action@<sha> # 0.28.0\n  with:\n    image-ref: app:ci\n    exit-code: 1\n    severity: CRITICAL,HIGH',
    fixable: false,
  },
  workflow(wf, { repo, memo, report }) {
    const goreleaser = goReleaserFacts(repo, memo);
    const images = publications(repo, wf, goreleaser, memo).filter((p) => p.kind === 'image');
    const first = images[0];
    if (!first || hasScanGate(repo, wf, memo)) return;
    report({
      file: wf.file,
      range: stepAnchor(first.step),
      messageId: 'pushes-without-scan',
      message: `pushes ${describePublications(repo, wf, images, memo)} with no vulnerability scan that can fail the job`,
    });
  },
};
