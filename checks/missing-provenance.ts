import type { Check } from '../src/check.js';
import { actionName, isReleaseTriggered, runsCommand } from '../src/analysis/facts.js';
import { replaceScalar } from '../src/edits/yaml-edit.js';
import { hasProvenance, publications, stepAnchor } from '../src/analysis/publishing.js';

export const missingProvenance: Check = {
  meta: {
    id: 'missing-provenance',
    title: 'Published artifacts without SLSA build provenance',
    area: 'release-integrity',
    severity: 'medium',
    description:
      'docker/build-push-action with `provenance: false`, or a release/tag workflow that publishes images or artifacts without BuildKit provenance, actions/attest-build-provenance or the SLSA generator.',
    why:
      'Provenance is the signed statement of which workflow, commit and inputs produced an artifact. Without it, users cannot ' +
      'tell a release you built from one an attacker built with a stolen publishing credential, and policy engines ' +
      '(Kyverno, sigstore policy-controller, `gh attestation verify`) have nothing to verify.',
    howToFix:
      'Remove `provenance: false` (or set `provenance: mode=max`); for other artifacts add actions/attest-build-provenance ' +
      '(with `id-token: write` and `attestations: write` on that job) or the slsa-github-generator reusable workflow.',
    example: '- uses: docker/build-push-action@<sha> # v6.9.0\n  with:\n    push: true\n-   provenance: false\n+   provenance: mode=max',
    fixable: true,
  },
  workflow(wf, { memo, report }) {
      const release = isReleaseTriggered(wf);
      let turnedOff = false;
      for (const job of wf.jobs) {
        for (const step of job.steps) {
          const name = actionName(step);
          const provenance = step.with.get('provenance');
          if ((name === 'docker/build-push-action' || name === 'docker/bake-action') && provenance?.value.trim().toLowerCase() === 'false') {
            turnedOff = true;
            report({
              file: wf.file,
              range: provenance.range,
              fix: {
                title: 'Turn BuildKit provenance on (mode=max)',
                safety: 'safe',
                edits: [replaceScalar(wf.yaml, provenance.node, 'mode=max')],
                newFiles: [],
                changes: [{ file: wf.file, path: ['jobs', job.id, 'steps', step.index, 'with', 'provenance'] }],
              },
              severity: release ? 'high' : 'medium',
              messageId: 'provenance-false',
              message: `\`provenance: false\` turns off BuildKit's SLSA provenance for the image${release ? ' in a release workflow' : ''}`,
            });
          }
          if (step.run && runsCommand(step.run.value, /\bdocker\s+buildx\s+(?:build|bake)\b[^\n]*--provenance[ =]false\b/)) {
            turnedOff = true;
            report({ file: wf.file, range: step.run.range, severity: release ? 'high' : 'medium', messageId: 'provenance-flag-false', message: '`--provenance=false` turns off BuildKit\'s SLSA provenance' });
          }
        }
      }
      if (!release || hasProvenance(wf)) return;
      // Images whose provenance was turned off are reported above, at the setting.
      const published = publications(wf, undefined, memo).filter((p) => !(turnedOff && p.kind === 'image'));
      const first = published[0];
      if (!first) return;
      const kinds = [...new Set(published.map((p) => p.what))].join(', ');
      report({
        file: wf.file,
        range: stepAnchor(first.step),
        messageId: 'release-without-provenance',
        message: `release workflow publishes ${kinds} with no build provenance (no BuildKit provenance, attest-build-provenance or SLSA generator)`,
      });
  },
};
