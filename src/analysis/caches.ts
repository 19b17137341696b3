/**
 * Steps that restore and/or save a GitHub Actions cache: actions/cache and its restore/save
 * halves, and setup-* actions whose caching is on (by an input, or by default).
 */
import type { Step } from '../model/workflow.js';

export interface CacheUse {
  restores: boolean;
  saves: boolean;
  /** How the step caches, for messages (`actions/setup-node cache: npm`). */
  what: string;
}

const off = (v: string | undefined): boolean => v === undefined || ['', 'false', "''", '""'].includes(v.trim().toLowerCase());
const on = (v: string | undefined): boolean => v !== undefined && !off(v);

/** The major version of a `@vN…` ref, when the step is pinned that way (or by SHA with a `# vN` comment). */
function major(step: Step): number | undefined {
  const ref = step.uses?.refKind === 'sha' ? step.uses.comment : step.uses?.ref;
  const m = /^v?(\d+)/.exec(ref ?? '');
  return m ? Number(m[1]) : undefined;
}

export function cacheUse(step: Step): CacheUse | undefined {
  const name = step.action;
  if (!name) return undefined;
  const input = (k: string): string | undefined => step.with.get(k)?.value;
  switch (name) {
    case 'actions/cache':
      return { restores: !on(input('lookup-only')), saves: true, what: 'actions/cache' };
    case 'actions/cache/restore':
      return { restores: true, saves: false, what: 'actions/cache/restore' };
    case 'actions/cache/save':
      return { restores: false, saves: true, what: 'actions/cache/save' };
    case 'actions/setup-node':
    case 'actions/setup-python':
    case 'actions/setup-java':
      return on(input('cache')) ? { restores: true, saves: true, what: `${name} \`cache: ${input('cache')!.trim()}\`` } : undefined;
    case 'actions/setup-dotnet':
      return on(input('cache')) && input('cache')!.trim().toLowerCase() !== 'false' ? { restores: true, saves: true, what: `${name} \`cache: true\`` } : undefined;
    case 'actions/setup-go': {
      // Caching is on by default from v4.
      const v = input('cache');
      const enabled = v === undefined ? (major(step) ?? 0) >= 4 : v.trim().toLowerCase() !== 'false';
      return enabled ? { restores: true, saves: true, what: v === undefined ? 'actions/setup-go (caches by default)' : `actions/setup-go \`cache: ${v.trim()}\`` } : undefined;
    }
    case 'astral-sh/setup-uv':
      return input('enable-cache')?.trim().toLowerCase() === 'true' ? { restores: true, saves: true, what: 'astral-sh/setup-uv `enable-cache: true`' } : undefined;
    case 'ruby/setup-ruby':
      return input('bundler-cache')?.trim().toLowerCase() === 'true' ? { restores: true, saves: true, what: 'ruby/setup-ruby `bundler-cache: true`' } : undefined;
    case 'swatinem/rust-cache':
      return { restores: true, saves: input('save-if')?.trim().toLowerCase() !== 'false', what: 'Swatinem/rust-cache' };
    default:
      return undefined;
  }
}
