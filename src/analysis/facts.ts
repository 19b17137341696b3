/** Facts about workflows that several checks share: who can trigger them, what steps do. */
import type { RepoModel } from '../model/repo.js';
import type { YamlFile } from '../model/yaml.js';
import type { ActionModel, Step, Trigger, UsesRef, Workflow } from '../model/workflow.js';

/** Events whose runs get a privileged token and secrets while acting on outsiders' input. */
export const PRIVILEGED_UNTRUSTED_EVENTS = new Set([
  'pull_request_target',
  'workflow_run',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment',
  'pull_request_review',
  'pull_request_review_comment',
  'fork',
  'watch',
]);

/** Events that run fork pull requests' code (self-hosted runners must not see them). */
export const FORK_CODE_EVENTS = new Set(['pull_request', 'pull_request_target']);

export function eventNames(wf: Workflow): string[] {
  return wf.triggers.map((t) => t.event);
}


/** Triggered by a release or by pushing a tag: a publishing workflow. */
export function isReleaseTriggered(wf: Workflow): boolean {
  return wf.triggers.some((t) => t.event === 'release' || (t.event === 'push' && pushesTags(wf, t)));
}

function pushesTags(_wf: Workflow, trigger: Trigger): boolean {
  return !!trigger.filters && (trigger.filters.has('tags') || trigger.filters.has('tags-ignore'));
}

/** `owner/repo[/path]` of the action a step uses, lower-cased (computed once, when the model is built). */
export function actionName(step: Step): string | undefined {
  return step.action;
}

export function usesAction(step: Step, name: string): boolean {
  return actionName(step) === name.toLowerCase();
}

export function isCheckout(step: Step): boolean {
  return usesAction(step, 'actions/checkout');
}



/** A shell command appears in a run script as a command word (not inside another word). */
export function runsCommand(script: string, command: RegExp): boolean {
  for (const code of codeLines(script)) if (command.test(code)) return true;
  return false;
}

/**
 * A script's lines with shell comments cut off. A dozen checks ask runsCommand about each
 * script, each with its own pattern: the lines are split and stripped once per script text.
 * The checks of one workflow ask one after another, so a few thousand recent scripts suffice;
 * emptied when full, it holds at most that many (no audit's scripts outlive the next ones).
 */
const codeLinesCache = new Map<string, readonly string[]>();

/** The last script asked about: a check asks about one script with several patterns in a row, and `===` on the same string is a pointer compare where the map hashes and compares its text. */
let lastScript: string | undefined;
let lastLines: readonly string[] = [];

function codeLines(script: string): readonly string[] {
  if (script === lastScript) return lastLines;
  let lines = codeLinesCache.get(script);
  if (lines) {
    lastScript = script;
    lastLines = lines;
    return lines;
  }
  lines = script.split(/\r?\n/).map((line) => line.replace(/(^|\s)#.*$/, ''));
  if (codeLinesCache.size >= 4_096) codeLinesCache.clear();
  codeLinesCache.set(script, lines);
  lastScript = script;
  lastLines = lines;
  return lines;
}

export function isGitHubOwned(owner: string | undefined): boolean {
  const o = owner?.toLowerCase();
  return o === 'actions' || o === 'github';
}


/** Every place a workflow or action names code or an image to run. */
export interface UsesSite {
  file: string;
  yaml: YamlFile;
  uses: UsesRef;
  /** `step`, or `job` (a reusable-workflow call). */
  where: 'step' | 'job';
  /** Document path of the `uses:` value, for fixes. */
  path: Array<string | number>;
}

export function usesSites(repo: RepoModel): UsesSite[] {
  return [...repo.workflows.flatMap(workflowUsesSites), ...repo.actions.flatMap(actionUsesSites)];
}

/**
 * The YAML is read only when a fix needs it: a workflow summarised by a worker thread parses again
 * on that read. A class with the getter on its prototype: an object literal with an accessor was
 * slow to build (and to read from) for every `uses:`.
 */
class Site implements UsesSite {
  readonly file: string;
  readonly #owner: Workflow | ActionModel;
  constructor(
    owner: Workflow | ActionModel,
    readonly uses: UsesRef,
    readonly where: UsesSite['where'],
    readonly path: UsesSite['path'],
  ) {
    this.file = owner.file;
    this.#owner = owner;
  }

  get yaml(): YamlFile {
    return this.#owner.yaml;
  }
}

const site = (owner: Workflow | ActionModel, uses: UsesRef, where: UsesSite['where'], path: UsesSite['path']): UsesSite => new Site(owner, uses, where, path);

/**
 * Each workflow's and action's sites, built on first request: half a dozen checks ask for them
 * (and the look-ups before the audit), and the model they are read from never changes. Held
 * weakly, so they go with the model.
 */
const sitesOf = new WeakMap<Workflow | ActionModel, readonly UsesSite[]>();

/** The `uses:` of one workflow: reusable-workflow calls and steps, in file order. */
export function workflowUsesSites(wf: Workflow): readonly UsesSite[] {
  const known = sitesOf.get(wf);
  if (known) return known;
  const out: UsesSite[] = [];
  for (const job of wf.jobs) {
    if (job.uses) out.push(site(wf, job.uses, 'job', ['jobs', job.id, 'uses']));
    for (const step of job.steps) if (step.uses) out.push(site(wf, step.uses, 'step', ['jobs', job.id, 'steps', step.index, 'uses']));
  }
  sitesOf.set(wf, out);
  return out;
}

export function actionUsesSites(action: ActionModel): readonly UsesSite[] {
  const known = sitesOf.get(action);
  if (known) return known;
  const out = action.steps.flatMap((step) => (step.uses ? [site(action, step.uses, 'step', ['runs', 'steps', step.index, 'uses'])] : []));
  sitesOf.set(action, out);
  return out;
}

export function isInternal(repo: RepoModel, owner: string | undefined): boolean {
  return !!owner && !!repo.identity && owner.toLowerCase() === repo.identity.owner.toLowerCase();
}

export function usesTarget(u: UsesRef): string {
  return `${u.owner}/${u.repo}${u.path ? `/${u.path}` : ''}`;
}
