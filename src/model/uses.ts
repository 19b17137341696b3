/** Parses the value of a `uses:` key into what it references and how firmly it is pinned. */

export type UsesKind = 'action' | 'reusable-workflow' | 'local' | 'docker';
export type RefKind = 'sha' | 'short-sha' | 'tag' | 'branch' | 'expression' | 'missing';

export interface ParsedUses {
  kind: UsesKind;
  owner?: string;
  repo?: string;
  /** Path inside the repository (`.github/workflows/ci.yml`, `sub/action`), without slashes at the ends. */
  path?: string;
  ref?: string;
  refKind: RefKind;
  /** For docker://: the image without the scheme, and its digest when pinned. */
  image?: string;
  digest?: string;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
const SHORT_SHA = /^[0-9a-f]{7,39}$/;
const TAG_LIKE = /^v?\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.-]+)?$/;
const NAME_PART = /^[A-Za-z0-9_.-]+$/;
const WORKFLOW_PATH = /^\.github\/workflows\/[^/]+\.ya?ml$/;

export function classifyRef(ref: string): RefKind {
  if (ref === '') return 'missing';
  if (ref.includes('${{')) return 'expression';
  if (FULL_SHA.test(ref)) return 'sha';
  if (SHORT_SHA.test(ref) && /[a-f]/.test(ref) && /\d/.test(ref)) return 'short-sha';
  if (TAG_LIKE.test(ref)) return 'tag';
  return 'branch';
}

/**
 * @param where `step` for a step's `uses:` (an action), `job` for a job's (a reusable workflow).
 * @returns the parsed reference, or a sentence saying what is wrong with it.
 */
export function parseUses(value: string, where: 'step' | 'job'): ParsedUses | { error: string } {
  const v = value.trim();
  if (v === '') return { error: '`uses:` is empty' };
  if (v.startsWith('./') || v.startsWith('$/')) {
    if (where === 'job' && !/\.ya?ml$/.test(v)) return { error: `\`uses: ${v}\` on a job must name a workflow file (.yml or .yaml)` };
    return { kind: 'local', path: v.slice(2).replace(/\/+$/, ''), refKind: 'missing' };
  }
  if (v.startsWith('docker://')) {
    if (where === 'job') return { error: 'a job cannot `uses:` a docker:// image; use `container:`' };
    const image = v.slice('docker://'.length);
    if (!image) return { error: '`uses: docker://` names no image' };
    const at = image.indexOf('@');
    const digest = at === -1 ? undefined : image.slice(at + 1);
    const tagPart = at === -1 ? image : image.slice(0, at);
    const lastSlash = tagPart.lastIndexOf('/');
    const colon = tagPart.indexOf(':', lastSlash + 1);
    return {
      kind: 'docker',
      image,
      ...(digest ? { digest } : {}),
      ...(colon !== -1 ? { ref: tagPart.slice(colon + 1) } : {}),
      refKind: digest && /^sha256:[0-9a-f]{64}$/.test(digest) ? 'sha' : colon !== -1 ? 'tag' : 'missing',
    };
  }
  const at = v.lastIndexOf('@');
  if (at === -1) return { error: `\`uses: ${v}\` has no @ref (pin it to a commit SHA)` };
  const ref = v.slice(at + 1);
  if (ref === '') return { error: `\`uses: ${v}\` has nothing after @` };
  const segments = v.slice(0, at).split('/');
  if (segments.length < 2 || segments.some((s) => s === '')) return { error: `\`uses: ${v}\` is not of the form owner/repo[/path]@ref` };
  const [owner, repo, ...rest] = segments as [string, string, ...string[]];
  if (!NAME_PART.test(owner) || !NAME_PART.test(repo)) return { error: `\`uses: ${v}\` has an invalid owner or repository name` };
  const path = rest.join('/');
  const isWorkflow = WORKFLOW_PATH.test(path);
  if (where === 'job' && !isWorkflow) {
    return { error: `\`uses: ${v}\` on a job must be owner/repo/.github/workflows/<file>.yml@ref` };
  }
  if (where === 'step' && isWorkflow) return { error: `\`uses: ${v}\` is a reusable workflow; call it from a job, not a step` };
  // Built key by key (the same keys in the same order as a literal with a conditional spread): every step's `uses:` comes here.
  const out: ParsedUses = { kind: isWorkflow ? 'reusable-workflow' : 'action', owner, repo } as ParsedUses;
  if (path) out.path = path;
  out.ref = ref;
  out.refKind = classifyRef(ref);
  return out;
}

/** A container image reference (`container:`, `services:`, `docker://`) pinned by digest? */
export function imageHasDigest(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image.trim());
}
