/** Recognises steps that publish images or release artifacts, and the attestations around them. */
import { actionName, runsCommand } from './facts.js';
import { NO_MEMO, type Memo } from './memo.js';
import type { RepoModel } from '../model/repo.js';
import type { Step, Workflow } from '../model/workflow.js';
import { isMap, isSeq } from '../model/yaml.js';

export interface Publication {
  step: Step;
  kind: 'image' | 'artifact';
  what: string;
}

const IMAGE_BUILD_ACTIONS = new Set(['docker/build-push-action', 'docker/bake-action']);

const ARTIFACT_ACTIONS: Record<string, string> = {
  'goreleaser/goreleaser-action': 'GoReleaser',
  'softprops/action-gh-release': 'a GitHub release',
  'ncipollo/release-action': 'a GitHub release',
  'actions/upload-release-asset': 'a release asset',
  'pypa/gh-action-pypi-publish': 'a PyPI package',
};

const ARTIFACT_COMMANDS: Array<[RegExp, string]> = [
  [/\bgoreleaser\b(?:\s+\S+)*\s+release\b/, 'GoReleaser'],
  [/\bgh\s+release\s+(?:create|upload)\b/, 'a GitHub release'],
  [/\b(?:npm|pnpm|yarn)\s+(?:\S+\s+)*publish\b/, 'an npm package'],
  [/\btwine\s+upload\b/, 'a PyPI package'],
  [/\b(?:uv|poetry)\s+publish\b/, 'a Python package'],
  [/\bcargo\s+publish\b/, 'a crate'],
  [/\bhelm\s+push\b/, 'a Helm chart'],
];

const IMAGE_COMMANDS: Array<[RegExp, string]> = [
  [/\b(?:docker|podman|buildah)\s+push\b/, 'docker push'],
  [/\bdocker\s+(?:buildx\s+)?(?:build|bake)\b[^\n]*\s--push\b/, 'docker buildx --push'],
  [/\bdocker\s+buildx\s+imagetools\s+create\b/, 'docker buildx imagetools create'],
  [/\bko\s+(?:build|publish|resolve|apply)\b/, 'ko'],
  [/\bcrane\s+(?:push|copy|cp)\b/, 'crane'],
];

function withValue(step: Step, key: string): string | undefined {
  return step.with.get(key)?.value.trim().toLowerCase();
}

export function isImagePushAction(step: Step): boolean {
  const name = actionName(step);
  if (!name || !IMAGE_BUILD_ACTIONS.has(name)) return false;
  const push = withValue(step, 'push');
  return push === 'true' || !!push?.includes('${{');
}

/** What the repository's GoReleaser configuration does beyond archives: images, signatures, SBOMs. */
export interface GoReleaserFacts {
  images: boolean;
  signs: boolean;
  sboms: boolean;
}

export function goReleaserFacts(repo: RepoModel): GoReleaserFacts {
  const facts = { images: false, signs: false, sboms: false };
  for (const yaml of repo.yamlOfKind('goreleaser')) {
    const root = yaml.root;
    if (!isMap(root)) continue;
    const has = (key: string): boolean => {
      const v = yaml.get(root, key);
      return v !== null && !(isSeq(v) && v.items.length === 0);
    };
    facts.images ||= has('dockers') || has('dockers_v2') || has('kos') || has('docker_manifests');
    facts.signs ||= has('docker_signs') || has('signs');
    facts.sboms ||= has('sboms');
  }
  return facts;
}

function runsGoReleaser(step: Step): boolean {
  return actionName(step) === 'goreleaser/goreleaser-action' || (!!step.run && runsCommand(step.run.value, /\bgoreleaser\b(?:\s+\S+)*\s+release\b/));
}

/** What a workflow publishes, once per audit (the GoReleaser facts are the repository's, so one answer per workflow). */
export function publications(wf: Workflow, goreleaser?: GoReleaserFacts, memo: Memo = NO_MEMO): Publication[] {
  return memo.get(goreleaser?.images ? 'publications+goreleaser' : 'publications', wf, () => findPublications(wf, goreleaser));
}

function findPublications(wf: Workflow, goreleaser?: GoReleaserFacts): Publication[] {
  const out: Publication[] = [];
  for (const job of wf.jobs) {
    for (const step of job.steps) {
      const name = actionName(step);
      if (isImagePushAction(step)) out.push({ step, kind: 'image', what: name! });
      else if (goreleaser?.images && runsGoReleaser(step)) {
        out.push({ step, kind: 'image', what: 'GoReleaser dockers' });
        out.push({ step, kind: 'artifact', what: 'GoReleaser' });
      }
      else if (name && ARTIFACT_ACTIONS[name]) out.push({ step, kind: 'artifact', what: ARTIFACT_ACTIONS[name]! });
      else if (step.run) {
        const script = step.run.value;
        const image = IMAGE_COMMANDS.find(([re]) => runsCommand(script, re));
        if (image) out.push({ step, kind: 'image', what: image[1] });
        const artifact = ARTIFACT_COMMANDS.find(([re]) => runsCommand(script, re));
        if (artifact) out.push({ step, kind: 'artifact', what: artifact[1] });
      }
    }
  }
  return out;
}

/** Does anything in the workflow produce SLSA provenance for what it publishes? */
export function hasProvenance(wf: Workflow): boolean {
  if (wf.jobs.some((j) => j.uses?.owner?.toLowerCase() === 'slsa-framework' && j.uses.repo?.toLowerCase() === 'slsa-github-generator')) return true;
  for (const job of wf.jobs) {
    for (const step of job.steps) {
      const name = actionName(step) ?? '';
      if (name === 'actions/attest-build-provenance' || name === 'actions/attest') return true;
      if (name.startsWith('slsa-framework/slsa-github-generator')) return true;
      if (IMAGE_BUILD_ACTIONS.has(name) && isImagePushAction(step) && withValue(step, 'provenance') !== 'false') return true;
      if (name === 'pypa/gh-action-pypi-publish' && withValue(step, 'attestations') !== 'false') return true;
      const script = step.run?.value ?? '';
      if (runsCommand(script, /\bnpm\s+(?:\S+\s+)*publish\b[^\n]*--provenance\b/)) return true;
      if (runsCommand(script, /\bcosign\s+attest\b[^\n]*--type[ =](?:slsaprovenance\S*|https:\/\/slsa\.dev\/provenance\S*)/)) return true;
      if (runsCommand(script, /\bdocker\s+buildx\s+(?:build|bake)\b[^\n]*--push\b/) && !/--provenance[ =]false\b/.test(script)) return true;
      if ((step.env.get('NPM_CONFIG_PROVENANCE')?.value ?? job.env.get('NPM_CONFIG_PROVENANCE')?.value) === 'true') return true;
    }
  }
  return false;
}

function someStep(wf: Workflow, test: (step: Step, name: string, script: string) => boolean): boolean {
  return wf.jobs.some((job) => job.steps.some((step) => test(step, actionName(step) ?? '', step.run?.value ?? '')));
}

/**
 * Sigstore signing of what the workflow pushes: `cosign sign`, GoReleaser with `docker_signs`
 * or `signs` configured, or (config unseen) GoReleaser with cosign installed beside it.
 */
export function signsImages(wf: Workflow, goreleaser?: GoReleaserFacts): boolean {
  const releases = someStep(wf, (step) => runsGoReleaser(step));
  if (goreleaser?.signs && releases) return true;
  const cosignInstalled = someStep(wf, (_s, name) => name === 'sigstore/cosign-installer');
  return (
    someStep(wf, (_s, _n, script) => runsCommand(script, /\bcosign\s+sign\b/)) ||
    (releases && cosignInstalled) ||
    wf.jobs.some((j) => /slsa-github-generator/.test(j.uses?.repo ?? '') && /container/.test(j.uses?.path ?? ''))
  );
}

export function generatesSbom(wf: Workflow, goreleaser?: GoReleaserFacts): boolean {
  if (goreleaser?.sboms && someStep(wf, (step) => runsGoReleaser(step))) return true;
  return someStep(wf, (step, name, script) => {
    if (name === 'anchore/sbom-action' || name === 'anchore/sbom-action/download-syft') return true;
    if ((name === 'docker/build-push-action' || name === 'docker/bake-action') && /^(?:true|.*generator=)/.test(step.with.get('sbom')?.value.trim() ?? '')) return true;
    if (name === 'goreleaser/goreleaser-action' && someStep(wf, (_s, n) => n.startsWith('anchore/sbom-action'))) return true;
    return (
      runsCommand(script, /\bsyft\b/) ||
      runsCommand(script, /\bcosign\s+attest\b[^\n]*--type[ =](?:spdx|spdxjson|cyclonedx)\b/) ||
      runsCommand(script, /\bdocker\s+buildx\s+(?:build|bake)\b[^\n]*--sbom[ =]true\b/) ||
      runsCommand(script, /\btrivy\b[^\n]*--format[ =](?:cyclonedx|spdx|spdx-json)\b/) ||
      runsCommand(script, /\bcyclonedx-(?:gomod|npm|py)\b|\bcdxgen\b/)
    );
  });
}

/** A vulnerability scan that fails the job when it finds something. */
export function hasScanGate(wf: Workflow): boolean {
  return someStep(wf, (step, name, script) => {
    if (name === 'anchore/scan-action') return step.with.get('fail-build')?.value.trim().toLowerCase() !== 'false';
    if (name === 'aquasecurity/trivy-action') return /^[1-9]/.test(step.with.get('exit-code')?.value.trim() ?? '');
    return runsCommand(script, /\bgrype\b[^\n]*--fail-on\b|\btrivy\b[^\n]*--exit-code[ =]+[1-9]/);
  });
}

/** Where a finding about a step points: its `uses:` value, else its script, else the step. */
export function stepAnchor(step: Step) {
  return step.uses?.range ?? step.run?.range ?? step.range;
}
