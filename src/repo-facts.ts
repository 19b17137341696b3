/** Repository-wide facts: does any workflow run a given tool. */
import { actionName, runsCommand } from './facts.js';
import type { RepoModel } from './model/repo.js';
import type { Step, Workflow } from './model/workflow.js';

export function anyStep(repo: RepoModel, test: (step: Step, wf: Workflow | undefined) => boolean): boolean {
  return (
    repo.workflows.some((wf) => wf.jobs.some((j) => j.steps.some((s) => test(s, wf)))) ||
    repo.actions.some((a) => a.steps.some((s) => test(s, undefined)))
  );
}

export function runsTool(repo: RepoModel, action: string | undefined, command: RegExp): boolean {
  return anyStep(repo, (step) => (action !== undefined && actionName(step) === action) || (!!step.run && runsCommand(step.run.value, command)));
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
