/**
 * The per-file part of an audit, as the parallel audit (parallel.ts) splits it: a batch of
 * workflow files, audited beside the repository's other files (its "context": Dependabot,
 * Renovate, the lockfile, go.mod ... everything but workflows and actions) by the checks whose
 * findings about a workflow depend on that workflow alone.
 *
 * A workflow is "lone" when nothing connects it to other workflows or actions of the repository:
 * it is not callable (no `workflow_call`) and uses no local action or reusable workflow (nor
 * one of this repository by name). Every analysis that looks across files follows exactly
 * those connections (workflow-graph.ts callers and callees, local composite actions), so a lone
 * workflow's findings from the file-scoped checks are the same whichever other workflows are
 * beside it. Connected ("linked") workflows are handed back untouched: the main thread audits
 * them together with the actions. Checks that look at the whole repository (`run` hooks,
 * `meta.wholeRepo`) never run here.
 *
 * Both the worker threads (worker.ts) and the main thread (when a worker fails) run batches
 * through this one function, so the two can never disagree.
 */
import { defaultEnv, type AuditSettings } from '../analysis/env.js';
import { workflowCredentials, type CredentialMapEntry } from '../analysis/secrets.js';
import type { RepoFile } from '../loader/discover.js';
import { ParseCache } from '../model/cache.js';
import { buildRepoModel, withWorkflows } from '../model/repo.js';
import { dehydrate, type SummaryFields, type WorkflowSummary } from '../model/summary.js';
import { interned } from '../model/intern.js';
import type { UsesRef, Workflow } from '../model/workflow.js';
import type { AuditError, Finding, Fix, RepoIdentity } from '../types.js';
import type { Check } from '../check.js';
import { collectFindings } from './runner.js';

/**
 * True for checks that must see every workflow at once (they run on the main thread only).
 * @param lookups whether the audit makes GitHub look-ups (checks reading them run where they are).
 */
export function looksAtWholeRepo(check: Check, lookups: boolean): boolean {
  return typeof check.run === 'function' || check.meta.wholeRepo === true || (lookups && check.meta.lookups === true);
}

/** What every batch of one audit shares. Structured-clone safe: it is posted to each worker once. */
export interface BatchContext {
  root: string;
  vendorDirs: string[];
  identity?: RepoIdentity;
  /** The repository's files other than workflows and actions. */
  context: RepoFile[];
  checkIds: string[];
  /** The audit makes GitHub look-ups (see looksAtWholeRepo). */
  lookups: boolean;
  now: number;
  settings: AuditSettings;
}

const values: SummaryFields = { '*': { value: {} } };
/**
 * A `uses:` without its source ranges. Only the look-up checks (GitHub API) report at every
 * `uses:`; the others read its parts, and a range only where one reports (measured on the corpus:
 * 9 re-parses with ranges kept, 10 without; 1.1 KB less per summarised workflow).
 */
const USES_PARTS: SummaryFields = { kind: {}, owner: {}, repo: {}, path: {}, ref: {}, refKind: {}, raw: {}, image: {}, digest: {} };

/**
 * What a lone workflow's summary carries to the main thread: what the whole-repository checks,
 * the credential map and the reporters read of every workflow. Anything else (each step's `if:`,
 * names, matrices, expression spans, most maps' contents) stays behind, and reading it parses
 * the file again (model/summary.ts), so this list decides speed and memory, never findings.
 * Found by auditing the corpus, the fixtures and the bench's repository with every field left
 * out and adding each one read, until none was; what is still read past it is a finding's own
 * source (a fix's text, an anchor), once per finding. test/parallel.test.ts holds workflows
 * of the usual shape to no re-parse at all. Measured on the bench's 1,000 workflows: 3.5 MB of
 * summaries against 4.0 MB carrying every plain field (3.0 MB now, with `uses:` without ranges
 * when the audit makes no look-ups).
 */
export function summaryFields(lookups: boolean): SummaryFields {
  const uses = lookups ? true : USES_PARTS;
  return {
    file: true,
    env: values,
    triggers: { '*': { event: {}, filters: true } },
    jobs: {
      '*': {
        id: {},
        condition: {},
        matrix: {},
        serviceNames: true,
        environment: true,
        uses,
        env: values,
        steps: { '*': { index: {}, action: {}, uses, run: { value: {} }, with: values, env: {} } },
      },
    },
  };
}

export interface LoneWorkflow {
  summary: WorkflowSummary;
  credentials: CredentialMapEntry[];
}

/**
 * A finding as it crosses threads: a tuple, with what the check's metadata already says (its
 * area, its usual remediation) left out. Key names alone would be most of the bytes.
 */
export type EncodedFinding = [
  check: number,
  messageId: string,
  fingerprint: string,
  severity: Finding['severity'],
  confidence: Finding['confidence'],
  file: string,
  line: number,
  column: number,
  endLine: number,
  endColumn: number,
  message: string,
  remediation: string | null,
  fixable: boolean,
  group: string | null,
  related: Finding['related'] | null,
  fix: Finding['fix'] | null,
];

function encodeFinding(f: Finding, checks: readonly Check[], index: ReadonlyMap<string, number>): EncodedFinding {
  const i = index.get(f.check)!;
  const meta = checks[i]!.meta;
  return [i, f.messageId, f.fingerprint, f.severity, f.confidence, f.file, f.line, f.column, f.endLine, f.endColumn, f.message, f.remediation === meta.howToFix ? null : f.remediation, f.fixable, f.group ?? null, f.related ?? null, f.fix ?? null];
}

/** The finding again, its keys in the order the runner creates them (JSON output stays byte-identical). */
/**
 * @param intern one string for each repeated value: a thread's message arrives as copies of its
 * strings, so without it every finding would hold its own copy of its file name and message id
 * (measured: 2 MB of the 42 MB a 1,000-workflow audit keeps).
 */
export function decodeFinding(e: EncodedFinding, checks: readonly Check[], intern: Map<string, string> = new Map()): Finding {
  const meta = checks[e[0]]!.meta;
  const one = (s: string): string => interned(intern, s);
  const f: Finding = {
    check: meta.id,
    messageId: one(e[1]),
    fingerprint: e[2],
    severity: one(e[3]) as Finding['severity'],
    confidence: one(e[4]) as Finding['confidence'],
    area: meta.area,
    file: one(e[5]),
    line: e[6],
    column: e[7],
    endLine: e[8],
    endColumn: e[9],
    // Messages and fixes repeat across workflows (the same checkout, the same missing
    // permissions): one copy each (10,000 workflows: the findings kept 96 MB -> 43 MB).
    message: one(e[10]),
    remediation: e[11] === null ? meta.howToFix : one(e[11]),
    fixable: e[12],
    ...(e[13] !== null ? { group: one(e[13]) } : {}),
    ...(e[14] !== null ? { related: e[14] } : {}),
  };
  if (e[15] != null) f.fix = internFix(e[15], one);
  return f;
}

/** The fix with its repeated strings (title, file names, inserted text) replaced by their one copy; changed in place. */
function internFix(fix: Fix, one: (s: string) => string): Fix {
  fix.title = one(fix.title);
  for (const edit of fix.edits) {
    edit.file = one(edit.file);
    edit.text = one(edit.text);
  }
  for (const change of fix.changes) {
    change.file = one(change.file);
    change.path = change.path.map((p) => (typeof p === 'string' ? one(p) : p));
  }
  return fix;
}

export interface BatchResult {
  /** Encoded against the registry's order of checks (see encodeFinding). */
  findings: EncodedFinding[];
  /** Per finding (same index): the reason it has no fix, when its check refused one. */
  refusals: Array<string | null>;
  errors: AuditError[];
  /** Checks that threw in this batch. */
  failed: string[];
  /** Lone workflows of the batch, audited here, by path. */
  lone: Record<string, LoneWorkflow>;
  /** Paths of the batch's linked workflows, left to the main thread. */
  linked: string[];
}

function isLocal(uses: UsesRef | undefined, identity: RepoIdentity | undefined): boolean {
  if (!uses) return false;
  if (uses.kind === 'local') return true;
  return !!identity && !!uses.owner && !!uses.repo && uses.owner.toLowerCase() === identity.owner.toLowerCase() && uses.repo.toLowerCase() === identity.name.toLowerCase();
}

function isLinked(wf: Workflow, identity: RepoIdentity | undefined): boolean {
  return wf.triggers.some((t) => t.event === 'workflow_call') || wf.jobs.some((j) => isLocal(j.uses, identity) || j.steps.some((s) => isLocal(s.uses, identity)));
}

/** One thread's state across batches: the checks, and the context files parsed once. */
export class BatchAuditor {
  private readonly checks: Check[];
  private readonly index: Map<string, number>;
  /**
   * Keeps the context's parses from batch to batch. A batch's own workflows are not kept: they
   * die with the batch, young, which is most of what the collector is spared.
   */
  private readonly cache: ParseCache;

  private readonly registry: readonly Check[];

  private readonly fields: SummaryFields;

  constructor(
    private readonly ctx: BatchContext,
    registry: readonly Check[],
  ) {
    const shared = new Set(ctx.context.map((f) => f.path));
    this.cache = new ParseCache((path) => shared.has(path));
    const wanted = new Set(ctx.checkIds);
    this.index = new Map(registry.map((c, i) => [c.meta.id, i]));
    this.registry = registry;
    this.checks = registry.filter((c) => wanted.has(c.meta.id) && !looksAtWholeRepo(c, ctx.lookups));
    this.fields = summaryFields(ctx.lookups);
  }

  audit(files: RepoFile[]): BatchResult {
    const own = new Set(files.map((f) => f.path));
    const model = buildRepoModel({ root: this.ctx.root, files: [...this.ctx.context, ...files], vendorDirs: this.ctx.vendorDirs, errors: [] }, this.ctx.identity, this.cache);
    const lone = model.workflows.filter((wf) => !isLinked(wf, this.ctx.identity));
    const linked = new Set(model.workflows.filter((wf) => !lone.includes(wf)).map((wf) => wf.file));
    const part = withWorkflows(model, lone);
    const env = defaultEnv({ now: new Date(this.ctx.now), settings: this.ctx.settings });
    const run = collectFindings(part, env, this.checks, { fixes: 'eager' });
    const out: Record<string, LoneWorkflow> = {};
    for (const wf of lone) out[wf.file] = { summary: dehydrate(wf, this.fields), credentials: workflowCredentials(part, wf) };
    return {
      findings: run.findings.map((f) => encodeFinding(f, this.registry, this.index)),
      refusals: run.findings.map((f) => {
        const fix = run.fixFor(f);
        return fix && 'refused' in fix ? fix.refused : null;
      }),
      // The context's own errors are the main thread's to report; a linked file's are reported when it is audited there.
      errors: [...model.errors.filter((e) => own.has(e.file) && !linked.has(e.file)), ...run.errors],
      failed: run.failed,
      lone: out,
      linked: [...linked],
    };
  }
}
