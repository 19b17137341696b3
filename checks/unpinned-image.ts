import type { Check, CheckContext } from '../src/check.js';
import { actionUsesSites, workflowUsesSites } from '../src/analysis/facts.js';
import { findExpressions } from '../src/model/expressions.js';
import { imageHasDigest } from '../src/model/uses.js';
import type { ImageRef, Job, UsesRef, Workflow } from '../src/model/workflow.js';
import { isMap, isScalar, isSeq, type Node, type Scalar } from '../src/model/yaml.js';

/** pipewarden reaches no container registry, so it never guesses a digest. */
const IMAGE_REMEDIATION =
  'Pin the image by digest (image@sha256:…), e.g. from `docker buildx imagetools inspect`. Not pinned automatically: pipewarden looks up no container registry, and a digest it cannot verify is not written.';

export const unpinnedImage: Check = {
  meta: {
    id: 'unpinned-image',
    title: 'Container image not pinned by digest',
    area: 'pinning',
    severity: 'medium',
    description:
      'A `docker://` step, job `container:`, `services:` image or Docker action image referenced by tag, including `${{ matrix.* }}` images whose matrix values are tags.',
    why:
      'A tag is a pointer the image\'s publisher (or whoever takes over their registry account) can move: the next run pulls ' +
      'whatever the tag names then, and runs it with the job\'s token and secrets. A digest names exactly one image. Images are ' +
      'reported here, apart from unpinned-uses, because they are pinned differently (a registry digest, not a commit) and ' +
      'pipewarden cannot pin them itself.',
    howToFix:
      'Pin each image by digest and keep the tag for readers: `image: postgres:16@sha256:<digest>` (get it with ' +
      '`docker buildx imagetools inspect postgres:16`). Renovate\'s docker manager (pinDigests) or Dependabot keep digests current. ' +
      'For a matrix of images, pin each matrix value.',
    example: '- container: node:20\n+ container: node:20@sha256:<digest>',
    fixable: false,
  },
  // Per site: a workflow's images and its `uses: docker://`, an action's.
  workflow(wf, { report }) {
    for (const { file, uses } of workflowUsesSites(wf)) dockerUses(file, uses, report);
    for (const job of wf.jobs) {
      const refs: Array<{ ref: ImageRef; what: string }> = [
        ...(job.container ? [{ ref: job.container, what: `job \`${job.id}\` container` }] : []),
        ...job.services.map((ref) => ({ ref, what: `job \`${job.id}\` service` })),
      ];
      for (const { ref, what } of refs) {
        const image = ref.image.replace(/^docker:\/\//, '');
        if (!image.includes('${{')) {
          if (!imageHasDigest(image)) report({ file: wf.file, range: ref.range, messageId: 'image-tag', message: `${what} \`${image}\` is not pinned by digest (@sha256:…)`, remediation: IMAGE_REMEDIATION });
          continue;
        }
        for (const value of matrixImages(wf, job, image)) {
          if (imageHasDigest(value.image)) continue;
          report({
            file: wf.file,
            range: wf.yaml.range(value.node),
            messageId: 'matrix-image-tag',
            message: `${what} \`${image}\` is \`${value.image}\` for this matrix value, not pinned by digest (@sha256:…)`,
            remediation: IMAGE_REMEDIATION,
            related: [{ file: wf.file, range: ref.range, note: `the image built from \`matrix.${value.key}\`` }],
          });
        }
      }
    }
  },
  action(a, { report }) {
    for (const { file, uses } of actionUsesSites(a)) dockerUses(file, uses, report);
    if (!a.image?.image.startsWith('docker://')) return;
    const image = a.image.image.slice('docker://'.length);
    if (image.includes('${{') || imageHasDigest(image)) return;
    report({ file: a.file, range: a.image.range, messageId: 'image-tag', message: `action image \`${image}\` is not pinned by digest (@sha256:…)`, remediation: IMAGE_REMEDIATION });
  },
};

function dockerUses(file: string, uses: UsesRef, report: CheckContext['report']): void {
  if (uses.kind !== 'docker' || uses.refKind === 'sha') return;
  report({ file, range: uses.range, messageId: 'docker-image-tag', message: `image \`${uses.image}\` is not pinned by digest (@sha256:…)`, remediation: IMAGE_REMEDIATION });
}

/**
 * The images an image template (`${{ matrix.image }}`, `postgres:${{ matrix.pg }}`) takes, one
 * per literal value of the one matrix key it reads (axis values and `include:` entries).
 * Templates reading anything else, or more than one key, give nothing: their values are not
 * known without running the workflow.
 */
function matrixImages(wf: Workflow, job: Job, template: string): Array<{ image: string; key: string; node: Scalar }> {
  const spans = findExpressions(template);
  const keys = new Set<string>();
  for (const span of spans) {
    const m = /^\s*matrix\.([A-Za-z_][\w-]*)\s*$/.exec(span.inner);
    if (!m) return [];
    keys.add(m[1]!);
  }
  if (keys.size !== 1) return [];
  const key = [...keys][0]!;
  const values = matrixValues(wf, job, key);
  return values.map((node) => {
    let image = '';
    let at = 0;
    for (const span of spans) {
      image += template.slice(at, span.start) + String(node.value);
      at = span.end;
    }
    return { image: image + template.slice(at), key, node };
  });
}

/** The literal string values a job's `strategy.matrix.<key>` takes (list items and include entries). */
function matrixValues(wf: Workflow, job: Job, key: string): Scalar[] {
  const { yaml } = wf;
  const strategy = yaml.get(job.node, 'strategy');
  const matrix = isMap(strategy) ? yaml.get(strategy, 'matrix') : null;
  if (!isMap(matrix)) return [];
  const out: Scalar[] = [];
  const literal = (n: Node | null): n is Scalar => isScalar(n) && typeof n.value === 'string' && !n.value.includes('${{') && n.value.trim() !== '';
  const axis = yaml.get(matrix, key);
  if (isSeq(axis)) out.push(...yaml.items(axis).filter(literal));
  else if (literal(axis)) out.push(axis);
  const include = yaml.get(matrix, 'include');
  if (isSeq(include)) {
    for (const entry of yaml.items(include)) {
      const v = isMap(entry) ? yaml.get(entry, key) : null;
      if (literal(v)) out.push(v);
    }
  }
  return out;
}
