/** Repository-wide facts: does any workflow run a given tool. */
import { actionName, runsCommand } from './facts.js';
import type { RepoModel } from '../model/repo.js';
import type { Step, Workflow } from '../model/workflow.js';
import { parseGoMod } from './gomod.js';

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

/** The branch push workflows name most (main unless the workflows say otherwise). */
export function defaultBranch(repo: RepoModel): string {
  const votes = new Map<string, number>();
  for (const wf of repo.workflows) {
    for (const t of wf.triggers) {
      if (t.event !== 'push' || !t.filters) continue;
      // A key without a value reads as one scalar with no text, as the YAML has it.
      const names = t.filters.has('branches') ? (t.filters.get('branches') ?? [undefined]) : [undefined];
      for (const b of names) if (b === 'main' || b === 'master' || b === 'trunk' || b === 'develop') votes.set(b, (votes.get(b) ?? 0) + 1);
    }
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'main';
}

/** Module directories for generated Go workflows ('.' for the root), capped to keep the matrix readable. */
export function moduleDirs(mods: Array<{ path: string }>): string[] {
  return mods.slice(0, 50).map((m) => (m.path.includes('/') ? m.path.slice(0, m.path.lastIndexOf('/')) : '.'));
}

/** A reusable workflow is called whose path names the tool (org-wide shared workflows for Scorecard and the like). */
export function callsSharedWorkflow(repo: RepoModel, name: RegExp): boolean {
  return repo.workflows.some((wf) => wf.jobs.some((j) => j.uses && name.test(`${j.uses.repo ?? ''}/${j.uses.path ?? ''}`)));
}

/** The `module` line of a go.mod: where findings about the module point. */
export function moduleLine(file: { text: string }) {
  return lineRange(file.text, parseGoMod(file.text).module?.line ?? 1);
}
