/**
 * Which workflows of the repository call which (`uses: ./.github/workflows/x.yml`, or the same
 * repository by owner/name), and so which events can reach a called workflow: its own triggers
 * apart from workflow_call, plus whatever triggers its callers, followed across files.
 */
import { NO_MEMO, type Memo } from './memo.js';
import type { RepoModel } from '../model/repo.js';
import type { Job, Workflow } from '../model/workflow.js';
import type { SourceRange } from '../types.js';

export interface CallEdge {
  caller: Workflow;
  job: Job;
  callee: Workflow;
}

export interface WorkflowGraph {
  callers(wf: Workflow): CallEdge[];
  callees(wf: Workflow): CallEdge[];
}

/** The workflow file a job's `uses:` names in this repository, if it is one. */
export function localCallee(repo: RepoModel, job: Job): Workflow | undefined {
  const u = job.uses;
  if (!u) return undefined;
  let path: string | undefined;
  if (u.kind === 'local') path = u.path;
  else if (u.kind === 'reusable-workflow' && repo.identity && u.owner?.toLowerCase() === repo.identity.owner.toLowerCase() && u.repo?.toLowerCase() === repo.identity.name.toLowerCase()) path = u.path;
  if (!path) return undefined;
  return repo.workflows.find((w) => w.file === path);
}

export function workflowGraph(repo: RepoModel, memo: Memo = NO_MEMO): WorkflowGraph {
  return memo.get('workflow-graph', repo, () => {
    const callers = new Map<Workflow, CallEdge[]>();
    const callees = new Map<Workflow, CallEdge[]>();
    for (const caller of repo.workflows) {
      for (const job of caller.jobs) {
        const callee = localCallee(repo, job);
        if (!callee || callee === caller) continue;
        const edge = { caller, job, callee };
        (callers.get(callee) ?? callers.set(callee, []).get(callee)!).push(edge);
        (callees.get(caller) ?? callees.set(caller, []).get(caller)!).push(edge);
      }
    }
    return { callers: (wf) => callers.get(wf) ?? [], callees: (wf) => callees.get(wf) ?? [] };
  });
}

/** An event that can start a workflow, and the chain of calls it comes through (empty: the workflow's own trigger). */
export interface ReachingEvent {
  event: string;
  /** The outermost workflow whose trigger it is. */
  origin: Workflow;
  /** Call edges from the origin down to the workflow, outermost first. */
  via: CallEdge[];
}

/** Every event that can start the workflow, directly or through callers (workflow_call itself left out when callers are known). */
export function reachingEvents(repo: RepoModel, wf: Workflow, memo: Memo = NO_MEMO): ReachingEvent[] {
  return memo.get('reaching-events', wf, () => {
    const graph = workflowGraph(repo, memo);
    const out: ReachingEvent[] = [];
    const seen = new Set<Workflow>();
    const visit = (w: Workflow, via: CallEdge[]): void => {
      if (seen.has(w)) return;
      seen.add(w);
      const edges = graph.callers(w);
      for (const t of w.triggers) {
        if (t.event === 'workflow_call' && edges.length > 0) continue;
        out.push({ event: t.event, origin: w, via });
      }
      for (const e of edges) visit(e.caller, [e, ...via]);
    };
    visit(wf, []);
    return out;
  });
}

/** The workflows connected to this one by calls, in either direction, itself first. */
export function workflowFamily(repo: RepoModel, wf: Workflow, memo: Memo = NO_MEMO): Workflow[] {
  return memo.get('workflow-family', wf, () => {
    const graph = workflowGraph(repo, memo);
    const out: Workflow[] = [];
    const queue = [wf];
    while (queue.length) {
      const w = queue.shift()!;
      if (out.includes(w)) continue;
      out.push(w);
      for (const e of graph.callers(w)) queue.push(e.caller);
      for (const e of graph.callees(w)) queue.push(e.callee);
    }
    return out;
  });
}

/** A related location naming the caller of a reusable workflow. */
export function callerLocation(edge: CallEdge, note: string): { file: string; range: SourceRange; note: string } {
  return { file: edge.caller.file, range: edge.job.uses?.range ?? edge.job.idRange, note };
}
