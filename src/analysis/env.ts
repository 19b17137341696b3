/**
 * What an audit knows beyond the repository's files: the clock, GitHub look-ups, local tool
 * results and the user's choices. Passed beside the (immutable) model, never stored in it, so
 * the same model can be audited again under another environment.
 */
import type { PipewardenConfig } from '../config/config.js';
import type { ResolveResult } from '../github/resolve.js';
import type { RemoteFacts } from '../github/settings.js';
import type { GoVerifyResult } from '../loader/go-verify.js';

export interface AuditSettings {
  /** Owner for a new CODEOWNERS rule (--owner). */
  owner?: string;
}

export interface AuditEnv {
  /** The date checks compare against (injectable so date-dependent checks are deterministic). */
  readonly now: Date;
  /** GitHub look-ups of `owner/repo@ref` (keys from `resolutionKey`), made before checks run. */
  readonly resolutions: ReadonlyMap<string, ResolveResult>;
  /** Results of `go mod verify` per go.mod path, when --go asked for them. */
  readonly goVerify?: ReadonlyMap<string, GoVerifyResult>;
  readonly settings: AuditSettings;
  /** The repository's .pipewarden.yml, when it has one (the expired-suppression check reads it). */
  readonly config?: PipewardenConfig;
  /** Repository settings and other GitHub facts no file shows; absent without a token or with --offline (remote checks then say nothing). */
  readonly remote?: RemoteFacts;
}

export function defaultEnv(overrides: Partial<AuditEnv> = {}): AuditEnv {
  return { now: new Date(), resolutions: new Map(), settings: {}, ...overrides };
}
