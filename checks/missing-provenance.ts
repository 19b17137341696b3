import type { Check } from '../src/check.js';
import { actionName, isReleaseTriggered, runsCommand } from '../src/analysis/facts.js';
import { replaceScalar } from '../src/edits/yaml-edit.js';
import { describePublications, hasProvenance, publications, separateProvenance, stepAnchor, type Evidence } from '../src/analysis/publishing.js';

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
      'Remove `provenance: false` (or set `provenance: mode=max`, or `mode=min` when build arguments or secrets are passed); for other artifacts add actions/attest-build-provenance ' +
      '(with `id-token: write` and `attestations: write` on that job) or the slsa-github-generator reusable workflow.',
    example: '- uses: docker/build-push-action@<sha> # v6.9.0\n  with:\n    push: true\n-   provenance: false\n+   provenance: mode=max',
    fixable: true,
  },
  workflow(wf, { repo, memo, report }) {
    const release = isReleaseTriggered(wf);
    const published = publications(repo, wf, undefined, memo);
    const publishedSteps = new Set(published.map((p) => p.step));
    const elsewhere = (): Evidence | undefined => memo.get('missing-provenance/separate', wf, () => ({ e: separateProvenance(repo, wf, memo) })).e;
    let turnedOff = false;
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const name = actionName(step);
        const provenance = step.with.get('provenance');
        const flagOff = !!step.run && runsCommand(step.run.value, /\bdocker\s+buildx\s+(?:build|bake)\b[^\n]*--provenance[ =]false\b/);
        const inputOff = (name === 'docker/build-push-action' || name === 'docker/bake-action') && provenance?.value.trim().toLowerCase() === 'false';
        if (!inputOff && !flagOff) continue;
        // An image nobody pulls (not pushed, or pushed to a throwaway registry) needs no provenance.
        if (!publishedSteps.has(step)) continue;
        turnedOff = true;
        const other = elsewhere();
        const severity = other ? 'info' : release ? 'high' : 'medium';
        const related = other ? [{ file: other.file, range: other.range, note: `provenance comes from ${other.what} here` }] : undefined;
        const setting = inputOff ? '`provenance: false`' : '`--provenance=false`';
        const message = other
          ? `${setting} turns off BuildKit's SLSA provenance for the image; provenance comes from ${other.what} in ${other.file === wf.file ? 'this workflow' : other.file} instead`
          : `${setting} turns off BuildKit's SLSA provenance for the image${release ? ' in a release workflow' : ''}`;
        if (inputOff) {
          const passesInputs = step.with.has('build-args') || step.with.has('secrets') || step.with.has('secret-files') || step.with.has('secret-envs');
          const mode = passesInputs ? 'mode=min' : 'mode=max';
          report({
            file: wf.file,
            range: provenance!.range,
            fix: {
              title: passesInputs
                ? 'Turn BuildKit provenance on (mode=min: mode=max would record the build arguments and secret ids this step passes in the public attestation)'
                : 'Turn BuildKit provenance on (mode=max records the build arguments too)',
              safety: 'safe',
              edits: [replaceScalar(wf.yaml, provenance!.node, mode)],
              newFiles: [],
              changes: [{ file: wf.file, path: ['jobs', job.id, 'steps', step.index, 'with', 'provenance'] }],
            },
            severity,
            messageId: 'provenance-false',
            message,
            ...(related ? { related } : {}),
          });
        } else {
          report({ file: wf.file, range: step.run!.range, severity, messageId: 'provenance-flag-false', message, ...(related ? { related } : {}) });
        }
      }
    }
    if (!release || hasProvenance(repo, wf, memo)) return;
    // Images whose provenance was turned off are reported above, at the setting.
    const rest = published.filter((p) => !(turnedOff && p.kind === 'image'));
    const first = rest[0];
    if (!first) return;
    report({
      file: wf.file,
      range: stepAnchor(first.step),
      messageId: 'release-without-provenance',
      message: `publishes ${describePublications(repo, wf, rest, memo)} with no build provenance (no BuildKit provenance, attest-build-provenance or SLSA generator in this workflow or the workflows it calls or is called by)`,
    });
  },
};
