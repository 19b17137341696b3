/**
 * The check interface, in the spirit of ESLint rules and zizmor's audits: metadata plus hooks.
 * A check either walks the repository itself (`run`, for whole-repository questions such as
 * "is there a SECURITY.md") or declares visitor hooks and lets the runner do the walk:
 * `workflow`, `job`, `step` (job steps and composite-action steps alike), `action`, `file`.
 * Checks report source ranges; rendering happens later.
 */
import type { AuditEnv } from './analysis/env.js';
import { actionUsesSites, workflowUsesSites, type UsesSite } from './analysis/facts.js';
import type { Memo } from './analysis/memo.js';
import type { RepoFile } from './loader/discover.js';
import type { RepoModel } from './model/repo.js';
import type { ActionModel, Job, Step, Workflow } from './model/workflow.js';
import type { YamlFile } from './model/yaml.js';
import type { Area, Confidence, Fix, Severity, SourceRange } from './types.js';

export interface CheckMeta {
  id: string;
  title: string;
  area: Area;
  /** The severity a finding gets unless the check says otherwise for that occurrence. */
  severity: Severity;
  /** One sentence: what the check looks for. */
  description: string;
  /** Why the gap matters to a maintainer: the attack it enables. */
  why: string;
  /** How to close the gap by hand. */
  howToFix: string;
  /** A short before/after snippet for `pipewarden explain`. */
  example: string;
  fixable: boolean;
  /**
   * The check's findings about a workflow may depend on workflows other than that one and those
   * connected to it by calls and local actions (say, every release-triggered workflow). `true`:
   * always; a function: when it says so of the repository (otherwise the per-file answer is the
   * whole answer). Checks with a `run` hook are treated as `true` anyway. The parallel audit
   * (audit/parallel.ts) runs such checks on the main thread over every workflow; the others
   * run per file in worker threads.
   */
  wholeRepo?: true | ((repo: RepoModel) => boolean);
  /**
   * The check reads GitHub look-ups (env.resolutions, env.remote). They are made for the whole
   * repository before its checks run, so when an audit makes any, the check runs where they are.
   */
  lookups?: true;
}

/** A fix, the reason there is none, or nothing to say. */
export type FixResult = Fix | { refused: string } | undefined;

export interface Report {
  file: string;
  range: SourceRange;
  /** Stable kind of message within the check (see Finding.messageId); the check id is prefixed. */
  messageId: string;
  message: string;
  severity?: Severity;
  confidence?: Confidence;
  remediation?: string;
  /**
   * The fix: built now, or a function the runner calls only when someone needs the fix (fixing,
   * JSON output, the views' diffs). A refusal's reason is appended to the remediation.
   */
  fix?: FixResult | (() => FixResult);
  /** Appended to a refusal's reason: what happens instead. */
  refusedSuffix?: string;
  group?: string;
  related?: Array<{ file: string; range: SourceRange; note: string }>;
}

export interface CheckContext {
  repo: RepoModel;
  env: AuditEnv;
  /** Facts derived once per audit and shared between checks. */
  memo: Memo;
  report(r: Report): void;
}

/** Where a step stands: in a workflow job, or in a composite action. */
export interface StepSite {
  file: string;
  yaml: YamlFile;
  /** The step list the step belongs to. */
  steps: Step[];
  /** Document path of that list (`jobs.<id>.steps` or `runs.steps`). */
  stepsPath: Array<string | number>;
  workflow?: Workflow;
  job?: Job;
  action?: ActionModel;
}

export interface Check {
  meta: CheckMeta;
  /** Whole-repository checks. */
  run?(ctx: CheckContext): void;
  workflow?(wf: Workflow, ctx: CheckContext): void;
  job?(job: Job, wf: Workflow, ctx: CheckContext): void;
  step?(step: Step, site: StepSite, ctx: CheckContext): void;
  action?(action: ActionModel, ctx: CheckContext): void;
  file?(file: RepoFile, ctx: CheckContext): void;
}

/**
 * The hooks of a check that looks at each `uses:` on its own: every workflow's and every
 * action's sites, one file at a time (so the check runs per file; see CheckMeta.lookups).
 */
export function usesSiteHooks(visit: (site: UsesSite, ctx: CheckContext) => void): Pick<Check, 'workflow' | 'action'> {
  return {
    workflow(wf, ctx) {
      for (const site of workflowUsesSites(wf)) visit(site, ctx);
    },
    action(action, ctx) {
      for (const site of actionUsesSites(action)) visit(site, ctx);
    },
  };
}
