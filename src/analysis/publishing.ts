/** Recognises steps that publish images or release artifacts, and the attestations around them. */
import { actionName, runsCommand } from './facts.js';
import { NO_MEMO, type Memo } from './memo.js';
import type { RepoModel } from '../model/repo.js';
import type { Job, Step, Workflow } from '../model/workflow.js';
import { isMap, isSeq } from '../model/yaml.js';
import type { SourceRange } from '../types.js';
import { reachingEvents, workflowFamily } from './workflow-graph.js';

export interface Publication {
  step: Step;
  job: Job;
  kind: 'image' | 'artifact';
  what: string;
}

/** Registries nobody pulls releases from: throwaway, local, in-cluster or test registries. */
const THROWAWAY = /\bttl\.sh\b|\blocalhost\b|\b127\.0\.0\.1\b|\bkind-registry\b|\bregistry\.local\b|\.local:\d+|--insecure-registry\b|--allow-http-registry\b|\bexample\.com\b/;
const REAL_REGISTRY = /\b(?:ghcr\.io|docker\.io|quay\.io|gcr\.io|[a-z0-9-]+\.pkg\.dev|amazonaws\.com|azurecr\.io|registry\.k8s\.io|public\.ecr\.aws|registry\.gitlab\.com|docker\.pkg\.github\.com)\b/;
const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);

const IMAGE_BUILD_ACTIONS = new Set(['docker/build-push-action', 'docker/bake-action']);

const ARTIFACT_ACTIONS: Record<string, string> = {
  'goreleaser/goreleaser-action': 'GoReleaser',
  'softprops/action-gh-release': 'a GitHub release',
  'ncipollo/release-action': 'a GitHub release',
  'actions/upload-release-asset': 'a release asset',
  'pypa/gh-action-pypi-publish': 'a PyPI package',
};

const ARTIFACT_COMMANDS: Array<[RegExp, string]> = [
  [/\bgoreleaser\b(?:\s+\S+)*\s+release\b(?![^\n]*--snapshot)/, 'GoReleaser'],
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

/** The repository's GoReleaser facts, read once per audit. */
export function goReleaserFacts(repo: RepoModel, memo: Memo = NO_MEMO): GoReleaserFacts {
  return memo.get('goreleaser', repo, () => readGoReleaserFacts(repo));
}

function readGoReleaserFacts(repo: RepoModel): GoReleaserFacts {
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

/** GoReleaser publishing a release: `goreleaser release` without --snapshot (`build`, `check` and snapshots publish nothing). */
function runsGoReleaser(step: Step): boolean {
  if (actionName(step) === 'goreleaser/goreleaser-action') {
    const args = step.with.get('args')?.value ?? 'release';
    return /\brelease\b/.test(args) && !/--snapshot\b|--skip[= ]publish\b/.test(args);
  }
  return !!step.run && runsCommand(step.run.value, /\bgoreleaser\b(?:\s+\S+)*\s+release\b(?![^\n]*(?:--snapshot|--skip[= ]publish)\b)/);
}

/** The text that names where a step pushes: its script, inputs and the env it sees. */
function targetText(wf: Workflow, job: Job, step: Step): string {
  const env = [...wf.env.values(), ...job.env.values(), ...step.env.values()].map((v) => v.value);
  return [step.run?.value ?? '', ...[...step.with.values()].map((v) => v.value), ...env].join('\n');
}

/** Host names of the job's `services:` (a registry container the job pushes to). */
function serviceHosts(job: Job): string[] {
  return job.serviceNames;
}

/** An image push whose every target is a throwaway or local registry. */
function pushesOnlyToThrowaway(wf: Workflow, job: Job, step: Step): boolean {
  const text = targetText(wf, job, step);
  const services = serviceHosts(job).map((h) => new RegExp(`(?:^|[\\s"'/=])${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`));
  const throwaway = THROWAWAY.test(text) || services.some((re) => re.test(text));
  return throwaway && !REAL_REGISTRY.test(text);
}

/** The job runs only for pull requests (its workflow's triggers, or its `if:`). */
function onlyOnPullRequests(job: Job, events: string[]): boolean {
  if (events.length > 0 && events.every((e) => PR_EVENTS.has(e))) return true;
  const cond = job.condition;
  return !!cond && /github\.event_name\s*==\s*'pull_request(?:_target)?'/.test(cond) && !/\|\|/.test(cond);
}

/** What a workflow publishes, once per audit (the GoReleaser facts are the repository's, so one answer per workflow). */
export function publications(repo: RepoModel, wf: Workflow, goreleaser?: GoReleaserFacts, memo: Memo = NO_MEMO): Publication[] {
  return memo.get(goreleaser?.images ? 'publications+goreleaser' : 'publications', wf, () => findPublications(repo, wf, goreleaser, memo));
}

/** What the message says was recognised as the publication: "container images (docker/build-push-action) in a workflow run on release". */
export function describePublications(repo: RepoModel, wf: Workflow, published: Publication[], memo: Memo = NO_MEMO): string {
  const what = [...new Set(published.map((p) => (p.kind === 'image' ? `container images (${p.what})` : p.what)))].join(', ');
  const events = [
    ...new Set(
      reachingEvents(repo, wf, memo).map((e) => {
        const t = e.origin.triggers.find((x) => x.event === e.event);
        const name = e.event === 'push' && t && t.filters?.get('tags') ? 'push of tags' : e.event;
        return e.via.length ? `${name} (via ${e.origin.file})` : name;
      }),
    ),
  ];
  return `${what}${events.length ? ` in a workflow run on ${events.join(', ')}` : ''}`;
}

function findPublications(repo: RepoModel, wf: Workflow, goreleaser: GoReleaserFacts | undefined, memo: Memo): Publication[] {
  const out: Publication[] = [];
  const events = reachingEvents(repo, wf, memo).map((e) => e.event);
  for (const job of wf.jobs) {
    if (onlyOnPullRequests(job, events)) continue;
    for (const step of job.steps) {
      const name = actionName(step);
      const image = (what: string): void => {
        if (!pushesOnlyToThrowaway(wf, job, step)) out.push({ step, job, kind: 'image', what });
      };
      if (isImagePushAction(step)) image(name!);
      else if (name === 'goreleaser/goreleaser-action' || (goreleaser?.images && step.run && /\bgoreleaser\b/.test(step.run.value))) {
        if (!runsGoReleaser(step)) continue;
        if (goreleaser?.images) image('GoReleaser dockers');
        out.push({ step, job, kind: 'artifact', what: 'GoReleaser' });
      } else if (name && ARTIFACT_ACTIONS[name]) out.push({ step, job, kind: 'artifact', what: ARTIFACT_ACTIONS[name]! });
      else if (step.run) {
        const script = step.run.value;
        const img = IMAGE_COMMANDS.find(([re]) => runsCommand(script, re));
        if (img) image(img[1]);
        const artifact = ARTIFACT_COMMANDS.find(([re]) => runsCommand(script, re));
        if (artifact && !(artifact[1] === 'an npm package' && /--dry-run\b/.test(script))) out.push({ step, job, kind: 'artifact', what: artifact[1] });
      }
    }
  }
  return out;
}

/** Where a piece of release evidence (an SBOM, a signature, provenance, a scan) was found. */
export interface Evidence {
  file: string;
  range: SourceRange;
  what: string;
}

type StepTest = (step: Step, name: string, script: string, wf: Workflow) => string | undefined;

/**
 * Looks for evidence across the workflow's jobs, the workflows it calls and those that call
 * it (and, for GitHub releases, workflows started by the release event).
 */
function findEvidence(repo: RepoModel, wf: Workflow, memo: Memo, test: StepTest, jobTest?: (job: Job, wf: Workflow) => string | undefined, releaseWorkflows = false): Evidence | undefined {
  const family = [...workflowFamily(repo, wf, memo)];
  if (releaseWorkflows) for (const w of repo.workflows) if (!family.includes(w) && w.triggers.some((t) => t.event === 'release')) family.push(w);
  for (const w of family) {
    for (const job of w.jobs) {
      const j = jobTest?.(job, w);
      if (j) return { file: w.file, range: job.uses?.range ?? job.idRange, what: j };
      for (const step of job.steps) {
        const what = test(step, actionName(step) ?? '', step.run?.value ?? '', w);
        if (what) return { file: w.file, range: stepAnchor(step), what };
      }
    }
  }
  return undefined;
}

const isSlsaGenerator = (job: Job): boolean => job.uses?.owner?.toLowerCase() === 'slsa-framework' && job.uses.repo?.toLowerCase() === 'slsa-github-generator';

/** A step or job that produces SLSA provenance separately from the image build (the generator, attest-build-provenance, cosign attest). */
export function separateProvenance(repo: RepoModel, wf: Workflow, memo: Memo = NO_MEMO): Evidence | undefined {
  return findEvidence(
    repo,
    wf,
    memo,
    (_step, name, script) => {
      if (name === 'actions/attest-build-provenance' || name === 'actions/attest') return name;
      if (name.startsWith('slsa-framework/slsa-github-generator')) return name;
      if (runsCommand(script, /\bcosign\s+attest\b[^\n]*--type[ =](?:slsaprovenance\S*|https:\/\/slsa\.dev\/provenance\S*)/)) return 'cosign attest --type slsaprovenance';
      return undefined;
    },
    (job) => (isSlsaGenerator(job) ? `the SLSA generator (${job.uses!.path?.split('/').pop()})` : undefined),
  );
}

/** Does anything in the workflow, or the workflows it calls or is called by, produce SLSA provenance? */
export function hasProvenance(repo: RepoModel, wf: Workflow, memo: Memo = NO_MEMO): Evidence | undefined {
  return (
    separateProvenance(repo, wf, memo) ??
    findEvidence(repo, wf, memo, (step, name, script, w) => {
      if (IMAGE_BUILD_ACTIONS.has(name) && isImagePushAction(step) && withValue(step, 'provenance') !== 'false') return `${name} (BuildKit provenance)`;
      if (name === 'pypa/gh-action-pypi-publish' && withValue(step, 'attestations') !== 'false') return `${name} attestations`;
      if (runsCommand(script, /\bnpm\s+(?:\S+\s+)*publish\b[^\n]*--provenance\b/)) return 'npm publish --provenance';
      if (runsCommand(script, /\bdocker\s+buildx\s+(?:build|bake)\b[^\n]*--push\b/) && !/--provenance[ =]false\b/.test(script)) return 'docker buildx --push (BuildKit provenance)';
      const job = w.jobs.find((j) => j.steps.includes(step));
      if ((step.env.get('NPM_CONFIG_PROVENANCE')?.value ?? job?.env.get('NPM_CONFIG_PROVENANCE')?.value ?? w.env.get('NPM_CONFIG_PROVENANCE')?.value) === 'true') return 'NPM_CONFIG_PROVENANCE';
      return undefined;
    })
  );
}

/**
 * Sigstore signing of what the workflow pushes: `cosign sign`, GoReleaser with `docker_signs`
 * or `signs` configured, or (config unseen) GoReleaser with cosign installed beside it.
 */
export function signsImages(repo: RepoModel, wf: Workflow, goreleaser?: GoReleaserFacts, memo: Memo = NO_MEMO): Evidence | undefined {
  const cosignInstalled = workflowFamily(repo, wf, memo).some((w) => w.jobs.some((j) => j.steps.some((s) => actionName(s) === 'sigstore/cosign-installer')));
  return findEvidence(
    repo,
    wf,
    memo,
    (step, _name, script) => {
      if (runsCommand(script, /\bcosign\s+sign\b/)) return 'cosign sign';
      if (runsGoReleaser(step) && (goreleaser?.signs || cosignInstalled)) return 'GoReleaser signing';
      return undefined;
    },
    (job) => (/slsa-github-generator/.test(job.uses?.repo ?? '') && /container/.test(job.uses?.path ?? '') ? 'the SLSA container generator' : undefined),
  );
}

const SBOM_UPLOAD = /\bgh\s+release\s+upload\b[^\n]*(?:sbom|\.spdx|cyclonedx|\.cdx)/i;

export function generatesSbom(repo: RepoModel, wf: Workflow, goreleaser?: GoReleaserFacts, memo: Memo = NO_MEMO, releaseWorkflows = false): Evidence | undefined {
  const family = workflowFamily(repo, wf, memo);
  const anchore = family.some((w) => w.jobs.some((j) => j.steps.some((s) => (actionName(s) ?? '').startsWith('anchore/sbom-action'))));
  return findEvidence(
    repo,
    wf,
    memo,
    (step, name, script) => {
      if (goreleaser?.sboms && runsGoReleaser(step)) return 'GoReleaser sboms';
      if (name === 'anchore/sbom-action' || name === 'anchore/sbom-action/download-syft' || name === 'actions/attest-sbom') return name;
      if ((name === 'docker/build-push-action' || name === 'docker/bake-action') && /^(?:true|.*generator=)/.test(step.with.get('sbom')?.value.trim() ?? '')) return `${name} \`sbom:\``;
      if (name === 'goreleaser/goreleaser-action' && anchore) return 'GoReleaser with syft';
      if (runsCommand(script, /\bsyft\b/)) return 'syft';
      if (runsCommand(script, /\bcosign\s+attest\b[^\n]*--type[ =](?:spdx|spdxjson|cyclonedx)\b/)) return 'cosign attest (SBOM)';
      if (runsCommand(script, /\bdocker\s+buildx\s+(?:build|bake)\b[^\n]*--sbom[ =]true\b/)) return 'docker buildx --sbom';
      if (runsCommand(script, /\btrivy\b[^\n]*--format[ =](?:cyclonedx|spdx|spdx-json)\b/)) return 'trivy (SBOM format)';
      if (runsCommand(script, /\bcyclonedx(?:-[a-z]+)?\b|\bcdxgen\b|\bcargo\s+cyclonedx\b|\bspdx-sbom-generator\b|\bbom\s+generate\b|\b(?:npm|pnpm)\s+(?:\S+\s+)*sbom\b/)) return 'an SBOM generator';
      if (runsCommand(script, SBOM_UPLOAD)) return 'gh release upload of an SBOM';
      return undefined;
    },
    undefined,
    releaseWorkflows,
  );
}

/** A vulnerability scan that fails the job when it finds something. */
export function hasScanGate(repo: RepoModel, wf: Workflow, memo: Memo = NO_MEMO): Evidence | undefined {
  return findEvidence(repo, wf, memo, (step, name, script) => {
    if (name === 'anchore/scan-action') return step.with.get('fail-build')?.value.trim().toLowerCase() !== 'false' ? name : undefined;
    if (name === 'aquasecurity/trivy-action') return /^[1-9]/.test(step.with.get('exit-code')?.value.trim() ?? '') ? name : undefined;
    return runsCommand(script, /\bgrype\b[^\n]*--fail-on\b|\btrivy\b[^\n]*--exit-code[ =]+[1-9]/) ? 'a scan with a failing exit code' : undefined;
  });
}

/** Where a finding about a step points: its `uses:` value, else its script, else the step. */
export function stepAnchor(step: Step) {
  return step.uses?.range ?? step.run?.range ?? step.range;
}
