/** Repository-wide facts: does any workflow run a given tool. */
import { actionName, runsCommand } from './facts.js';
import type { RepoModel } from '../model/repo.js';
import type { Step, Workflow } from '../model/workflow.js';
import { parseGoMod } from './gomod.js';

/**
 * What a whole-repository check asked of each workflow, by question. A workflow is immutable and
 * a session keeps the unchanged ones across its audits (audit/result-cache.ts), so a re-audit
 * after one file changed asks each question of that file alone; these scans over every step of
 * every workflow were a fifth of such a re-audit (1,000 workflows). Weak: an answer goes with
 * its workflow. Only pure questions of the workflow's own model belong here, named by `key`.
 */
const answers = new WeakMap<Workflow, Map<string, unknown>>();

/** `compute(wf)`, once per workflow object and question `key` (see `answers`). */
export function ofWorkflow<T>(wf: Workflow, key: string, compute: (wf: Workflow) => T): T {
  let known = answers.get(wf);
  if (!known) answers.set(wf, (known = new Map()));
  if (known.has(key)) return known.get(key) as T;
  const value = compute(wf);
  known.set(key, value);
  return value;
}

/** Whether any step of any workflow or action passes `test`, which `key` names (see ofWorkflow). */
export function anyStep(repo: RepoModel, key: string, test: (step: Step) => boolean): boolean {
  return (
    repo.workflows.some((wf) => ofWorkflow(wf, key, () => wf.jobs.some((j) => j.steps.some(test)))) ||
    // Actions are parsed afresh in each audit: nothing to remember them by.
    repo.actions.some((a) => a.steps.some(test))
  );
}

export function runsTool(repo: RepoModel, action: string | undefined, command: RegExp): boolean {
  return anyStep(repo, `runs-tool\0${action ?? ''}\0${command}`, (step) => (action !== undefined && actionName(step) === action) || (!!step.run && runsCommand(step.run.value, command)));
}

/** Go modules in the repository (go.mod files outside vendor/), root first. */
export function goModFiles(repo: RepoModel) {
  return repo.filesOfKind('go-mod').sort((a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1));
}

/** A range at the start of a file, for findings about a whole file or the repository. */
export function fileStart() {
  return { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

export function lineRange(text: string, line: number, column = 1, endColumn?: number) {
  const lines = text.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i]!.length + 1;
  const lineText = (lines[line - 1] ?? '').replace(/\r$/, '');
  const end = endColumn ?? lineText.length + 1;
  return { start: start + column - 1, end: start + end - 1, line, column, endLine: line, endColumn: end };
}

/** The branch push workflows name most (main unless the workflows say otherwise). */
export function defaultBranch(repo: RepoModel): string {
  const votes = new Map<string, number>();
  for (const wf of repo.workflows) for (const b of ofWorkflow(wf, 'push-branch-votes', pushBranchVotes)) votes.set(b, (votes.get(b) ?? 0) + 1);
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'main';
}

/** The usual default-branch names a workflow's push triggers name, once per trigger naming one. */
function pushBranchVotes(wf: Workflow): string[] {
  const out: string[] = [];
  for (const t of wf.triggers) {
    if (t.event !== 'push' || !t.filters) continue;
    // A key without a value reads as one scalar with no text, as the YAML has it.
    const names = t.filters.has('branches') ? (t.filters.get('branches') ?? [undefined]) : [undefined];
    for (const b of names) if (b === 'main' || b === 'master' || b === 'trunk' || b === 'develop') out.push(b);
  }
  return out;
}

/** Module directories for generated Go workflows ('.' for the root), capped to keep the matrix readable. */
export function moduleDirs(mods: Array<{ path: string }>): string[] {
  return mods.slice(0, 50).map((m) => (m.path.includes('/') ? m.path.slice(0, m.path.lastIndexOf('/')) : '.'));
}

/** A reusable workflow is called whose path names the tool (org-wide shared workflows for Scorecard and the like). */
export function callsSharedWorkflow(repo: RepoModel, name: RegExp): boolean {
  return repo.workflows.some((wf) => ofWorkflow(wf, `calls\0${name}`, () => wf.jobs.some((j) => j.uses && name.test(`${j.uses.repo ?? ''}/${j.uses.path ?? ''}`))));
}

/** The `module` line of a go.mod: where findings about the module point. */
export function moduleLine(file: { text: string }) {
  return lineRange(file.text, parseGoMod(file.text).module?.line ?? 1);
}
