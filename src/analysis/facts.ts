/** Facts about workflows that several checks share: who can trigger them, what steps do. */
import type { RepoModel } from '../model/repo.js';
import type { YamlFile } from '../model/yaml.js';
import type { Step, Trigger, UsesRef, Workflow } from '../model/workflow.js';
import { isMap } from '../model/yaml.js';

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

function pushesTags(wf: Workflow, trigger: Trigger): boolean {
  const cfg = trigger.config;
  if (!isMap(cfg)) return false;
  return wf.yaml.entries(cfg).some((e) => e.key === 'tags' || e.key === 'tags-ignore');
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
  return script.split(/\r?\n/).some((line) => {
    const code = line.replace(/(^|\s)#.*$/, '');
    return command.test(code);
  });
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
  const out: UsesSite[] = [];
  for (const wf of repo.workflows) {
    for (const job of wf.jobs) {
      if (job.uses) out.push({ file: wf.file, yaml: wf.yaml, uses: job.uses, where: 'job', path: ['jobs', job.id, 'uses'] });
      for (const step of job.steps) if (step.uses) out.push({ file: wf.file, yaml: wf.yaml, uses: step.uses, where: 'step', path: ['jobs', job.id, 'steps', step.index, 'uses'] });
    }
  }
  for (const action of repo.actions) {
    for (const step of action.steps) if (step.uses) out.push({ file: action.file, yaml: action.yaml, uses: step.uses, where: 'step', path: ['runs', 'steps', step.index, 'uses'] });
  }
  return out;
}

export function isInternal(repo: RepoModel, owner: string | undefined): boolean {
  return !!owner && !!repo.identity && owner.toLowerCase() === repo.identity.owner.toLowerCase();
}

export function usesTarget(u: UsesRef): string {
  return `${u.owner}/${u.repo}${u.path ? `/${u.path}` : ''}`;
}
