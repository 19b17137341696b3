/**
 * Auditing a whole organisation: list its repositories through the API, filter and shard them,
 * audit each (shallow clone, one engine session, optionally one remediation pull request) with
 * bounded concurrency, survive failing repositories, and resume from a state file. Results are
 * compact (counts and finding summaries, never the model) so memory stays flat in the count.
 * The per-repository audit is a function so that tests and benchmarks can inject their own.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import type { Check } from '../check.js';
import type { GitHubClient } from '../github/client.js';
import type { Resolver } from '../github/resolve.js';
import { AREAS, SEVERITIES, atLeast, type Area, type Severity } from '../types.js';

export interface OrgRepository {
  /** owner/name as GitHub spells it. */
  fullName: string;
  archived: boolean;
  fork: boolean;
  topics: string[];
}

/** One finding as the organisation report keeps it. */
export interface OrgFinding {
  check: string;
  area: Area;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
  fingerprint: string;
  baseline?: boolean;
}

export interface OrgPullRequest {
  number: number;
  url: string;
  action: string;
  fixes: number;
}

export interface RepoResult {
  repository: string;
  status: 'ok' | 'failed';
  /** Why the repository could not be audited (status failed). */
  error?: string;
  filesScanned: number;
  findings: OrgFinding[];
  /** Input problems the audit reported and went on past (file: message). */
  auditErrors: string[];
  pullRequests?: OrgPullRequest[];
  /** Why no pull request could be opened (the audit itself succeeded). */
  pullRequestError?: string;
}

export interface OrgReport {
  org: string;
  shard?: { index: number; count: number };
  repositories: RepoResult[];
}

export interface RepoFilter {
  includeArchived?: boolean;
  includeForks?: boolean;
  /** Name globs (gitignore syntax, matched against the repository name without the owner). */
  include?: string[];
  exclude?: string[];
  /** The repository must carry every one of these topics. */
  topics?: string[];
}

export class OrgError extends Error {}

/** Lists an organisation's repositories (every page, 100 at a time), keeping only what filtering needs. */
export async function listOrgRepositories(client: GitHubClient, org: string): Promise<OrgRepository[]> {
  const out: OrgRepository[] = [];
  try {
    for await (const page of client.paginate.iterator('GET /orgs/{org}/repos', { org, per_page: 100, type: 'all', sort: 'full_name' })) {
      for (const r of page.data) out.push({ fullName: r.full_name, archived: !!r.archived, fork: !!r.fork, topics: r.topics ?? [] });
    }
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404) throw new OrgError(`organisation ${org} not found (or the token cannot see it)`);
    throw new OrgError(`cannot list the repositories of ${org}: ${(err as Error).message}`);
  }
  return out;
}

export function filterRepositories(repos: readonly OrgRepository[], filter: RepoFilter): OrgRepository[] {
  const include = filter.include?.length ? ignore().add(filter.include) : undefined;
  const exclude = filter.exclude?.length ? ignore().add(filter.exclude) : undefined;
  const name = (r: OrgRepository): string => r.fullName.slice(r.fullName.indexOf('/') + 1);
  return repos.filter(
    (r) =>
      (filter.includeArchived || !r.archived) &&
      (filter.includeForks || !r.fork) &&
      (!include || include.ignores(name(r))) &&
      (!exclude || !exclude.ignores(name(r))) &&
      (filter.topics ?? []).every((t) => r.topics.includes(t.toLowerCase())),
  );
}

/**
 * The shard a repository belongs to: its lower-cased full name hashed, mod the shard count.
 * It depends on the name alone, so shard jobs listing the organisation at slightly different
 * moments still agree on every repository both saw.
 */
export function shardOf(fullName: string, count: number): number {
  const h = createHash('sha256').update(fullName.toLowerCase()).digest();
  return h.readUInt32BE(0) % count;
}

export function inShard(repos: readonly OrgRepository[], shard: { index: number; count: number } | undefined): OrgRepository[] {
  return shard ? repos.filter((r) => shardOf(r.fullName, shard.count) === shard.index) : [...repos];
}

/** The canonical order of a report's repositories: by full name, case-insensitive, then exact. */
export function byRepository(a: { repository: string }, b: { repository: string }): number {
  const x = a.repository.toLowerCase();
  const y = b.repository.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0;
}

function byFinding(a: OrgFinding, b: OrgFinding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);
}

/** Puts a report in canonical order (repositories by name, findings by position). */
export function canonical(report: OrgReport): OrgReport {
  return { ...report, repositories: [...report.repositories].sort(byRepository).map((r) => ({ ...r, findings: [...r.findings].sort(byFinding) })) };
}

export interface OrgProgress {
  done: number;
  total: number;
  /** The repository just finished (or, with `started`, just begun). */
  repository: string;
  started?: boolean;
  result?: RepoResult;
  /** Skipped because the state file already holds its result. */
  resumed?: boolean;
  inFlight: string[];
  failures: number;
}

export interface OrgRun {
  org: string;
  repositories: readonly OrgRepository[];
  shard?: { index: number; count: number };
  concurrency: number;
  audit: (repo: OrgRepository) => Promise<RepoResult>;
  /** Resume file: results so far, rewritten atomically after each repository. */
  stateFile?: string;
  onProgress?: (p: OrgProgress) => void;
}

interface StateDoc {
  version: 1;
  kind: 'pipewarden-org-state';
  org: string;
  shard: { index: number; count: number } | null;
  results: RepoResult[];
}

async function readState(file: string, org: string, shard: OrgRun['shard']): Promise<Map<string, RepoResult>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new OrgError(`cannot read state file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: StateDoc;
  try {
    doc = JSON.parse(text) as StateDoc;
  } catch {
    throw new OrgError(`state file ${file} is not JSON; delete it to start over`);
  }
  if (doc?.kind !== 'pipewarden-org-state' || doc.version !== 1 || !Array.isArray(doc.results)) throw new OrgError(`${file} is not a pipewarden org state file`);
  const same = doc.org.toLowerCase() === org.toLowerCase() && (doc.shard?.index ?? -1) === (shard?.index ?? -1) && (doc.shard?.count ?? -1) === (shard?.count ?? -1);
  if (!same) throw new OrgError(`state file ${file} belongs to another run (${doc.org}${doc.shard ? ` shard ${doc.shard.index}/${doc.shard.count}` : ''}); use another --state file`);
  // Failed repositories are tried again on resume; only finished audits are reused.
  return new Map(doc.results.filter((r) => r.status === 'ok').map((r) => [r.repository.toLowerCase(), r]));
}

/** Temp names unique within the process: a run stopped mid-write and another on the same state file must not share one. */
let stateWrites = 0;

async function writeState(file: string, doc: StateDoc): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++stateWrites}.tmp`);
  await writeFile(tmp, JSON.stringify(doc) + '\n');
  await rename(tmp, file);
}

/** Audits every repository (bounded concurrency), in any order; the report comes back canonical. */
export async function runOrg(run: OrgRun): Promise<OrgReport> {
  const concurrency = Math.max(1, Math.floor(run.concurrency));
  const previous = run.stateFile ? await readState(run.stateFile, run.org, run.shard) : new Map<string, RepoResult>();
  const results = new Map<string, RepoResult>();
  const total = run.repositories.length;
  const inFlight = new Set<string>();
  let done = 0;
  let failures = 0;
  const emit = (p: Omit<OrgProgress, 'done' | 'total' | 'inFlight' | 'failures'>): void => run.onProgress?.({ ...p, done, total, inFlight: [...inFlight], failures });
  const stateDoc = (): StateDoc => ({ version: 1, kind: 'pipewarden-org-state', org: run.org, shard: run.shard ?? null, results: [...results.values()] });
  // State writes are serialised: each one writes everything finished so far.
  let writing: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    if (!run.stateFile) return Promise.resolve();
    const file = run.stateFile;
    writing = writing.then(() => writeState(file, stateDoc()));
    return writing;
  };
  const queue: OrgRepository[] = [];
  for (const repo of run.repositories) {
    const prior = previous.get(repo.fullName.toLowerCase());
    if (prior) {
      results.set(repo.fullName.toLowerCase(), prior);
      done++;
      emit({ repository: repo.fullName, result: prior, resumed: true });
    } else queue.push(repo);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const repo = queue[next++]!;
      inFlight.add(repo.fullName);
      emit({ repository: repo.fullName, started: true });
      let result: RepoResult;
      try {
        result = await run.audit(repo);
      } catch (err) {
        result = failed(repo.fullName, (err as Error).message || String(err));
      }
      inFlight.delete(repo.fullName);
      if (result.status === 'failed') failures++;
      results.set(repo.fullName.toLowerCase(), result);
      done++;
      emit({ repository: repo.fullName, result });
      await save();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  await save();
  return canonical({ org: run.org, ...(run.shard ? { shard: run.shard } : {}), repositories: [...results.values()] });
}

export function failed(repository: string, error: string): RepoResult {
  return { repository, status: 'failed', error, filesScanned: 0, findings: [], auditErrors: [] };
}

export interface RepoAuditContext {
  checks: readonly Check[];
  /** Web base clones come from (--github-url; default https://github.com). */
  gitBase?: string;
  /** Reaches git through the environment only (see the loader). */
  token?: string;
  resolver?: Resolver;
  /** An API client: remote checks gather each repository's settings through it. */
  client?: GitHubClient;
  go?: boolean;
  owner?: string;
  /** Open one remediation pull request per repository (needs `client`). */
  pullRequests?: { selection: 'safe' | 'all'; split?: 'area' | 'check'; draft?: boolean; log?: (line: string) => void };
}

/**
 * Pull requests are opened one at a time across the whole run (whatever the audit
 * concurrency), so writes to GitHub stay at a bounded rate on top of the client's throttling.
 */
function serial(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task, task);
    tail = result.catch(() => {});
    return result;
  };
}

/** The real per-repository audit: shallow clone, engine session, audit, optional pull request, cleanup. */
export function repositoryAuditor(ctx: RepoAuditContext): (repo: OrgRepository) => Promise<RepoResult> {
  const oneAtATime = serial();
  return async (repo) => {
    const { resolveTarget } = await import('../loader/target.js');
    const { RepoSession } = await import('./session.js');
    const target = await resolveTarget(repo.fullName, { ...(ctx.gitBase ? { gitBase: ctx.gitBase } : {}), ...(ctx.token ? { token: ctx.token } : {}) });
    try {
      let remote: import('../github/settings.js').RemoteGatherer | undefined;
      if (ctx.client && target.identity) {
        const { RemoteGatherer } = await import('../github/settings.js');
        remote = new RemoteGatherer(ctx.client, { owner: target.identity.owner, repo: target.identity.name }, ctx.resolver && ctx.pullRequests ? { resolver: ctx.resolver } : {});
      }
      const session = await RepoSession.open(target.dir, {
        checks: ctx.checks,
        label: repo.fullName,
        ...(target.identity ? { identity: target.identity } : {}),
        ...(ctx.owner ? { owner: ctx.owner } : {}),
        ...(ctx.go ? { go: true } : {}),
        ...(ctx.resolver ? { resolver: ctx.resolver } : {}),
        ...(remote ? { remote } : {}),
      });
      const audit = await session.audit();
      const report = audit.report;
      const result: RepoResult = {
        repository: repo.fullName,
        status: 'ok',
        filesScanned: report.filesScanned,
        findings: report.findings.map((f) => ({
          check: f.check,
          area: f.area,
          severity: f.severity,
          file: f.file,
          line: f.line,
          column: f.column,
          message: f.message,
          fingerprint: f.fingerprint,
          ...(f.baseline ? { baseline: true } : {}),
        })),
        auditErrors: report.errors.map((e) => `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`),
      };
      const pr = ctx.pullRequests;
      if (pr && ctx.client && target.identity && report.findings.some((f) => f.fixable)) {
        const { openPullRequests } = await import('./pull-requests.js');
        const identity = target.identity;
        const client = ctx.client;
        try {
          const opened = await oneAtATime(() =>
            openPullRequests(session, { client, owner: identity.owner, repo: identity.name, selection: pr.selection, ...(pr.split ? { split: pr.split } : {}), ...(pr.draft ? { draft: true } : {}), ...(pr.log ? { log: pr.log } : {}) }),
          );
          result.pullRequests = opened.map((o) => ({ number: o.number, url: o.url, action: o.action, fixes: o.fixes }));
        } catch (err) {
          result.pullRequestError = (err as Error).message;
        }
      }
      return result;
    } finally {
      await target.cleanup();
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Totals, the exit decision and merging shards.

export type AreaCounts = Record<Area, number>;
export type SeverityTotals = Record<Severity, number>;

export function areaCounts(findings: readonly OrgFinding[]): AreaCounts {
  const out = Object.fromEntries(AREAS.map((a) => [a, 0])) as AreaCounts;
  for (const f of findings) out[f.area]++;
  return out;
}

export function severityCounts(findings: readonly OrgFinding[]): SeverityTotals {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityTotals;
  for (const f of findings) out[f.severity]++;
  return out;
}

export interface OrgTotals {
  repositories: number;
  audited: number;
  failed: number;
  findings: number;
  byArea: AreaCounts;
  bySeverity: SeverityTotals;
}

export function totals(report: OrgReport): OrgTotals {
  const byArea = areaCounts([]);
  const bySeverity = severityCounts([]);
  let findings = 0;
  for (const r of report.repositories) {
    for (const f of r.findings) {
      byArea[f.area]++;
      bySeverity[f.severity]++;
      findings++;
    }
  }
  const failedCount = report.repositories.filter((r) => r.status === 'failed').length;
  return { repositories: report.repositories.length, audited: report.repositories.length - failedCount, failed: failedCount, findings, byArea, bySeverity };
}

/** 1 when any repository has a finding (not in its baseline) at or above the threshold; 3 when every repository failed. */
export function orgExitCode(report: OrgReport, failOn: Severity | 'none'): 0 | 1 | 3 {
  const all = report.repositories;
  if (all.length > 0 && all.every((r) => r.status === 'failed')) return 3;
  if (failOn === 'none') return 0;
  return all.some((r) => r.findings.some((f) => !f.baseline && atLeast(f.severity, failOn))) ? 1 : 0;
}

/**
 * Merges shard reports into the report one unsharded run gives: the same organisation, every
 * shard of one split exactly once, no repository twice.
 */
export function mergeReports(parts: ReadonlyArray<{ file: string; report: OrgReport }>): OrgReport {
  if (parts.length === 0) throw new OrgError('merge needs at least one shard report');
  const org = parts[0]!.report.org;
  const count = parts[0]!.report.shard?.count;
  const seen = new Map<number, string>();
  const repos = new Map<string, { result: RepoResult; file: string }>();
  for (const { file, report } of parts) {
    if (report.org.toLowerCase() !== org.toLowerCase()) throw new OrgError(`${file} is a report for ${report.org}, not ${org}`);
    if (report.shard?.count !== count) throw new OrgError(`${file} is ${report.shard ? `shard ${report.shard.index}/${report.shard.count}` : 'an unsharded report'}; the others are ${count ? `shards of ${count}` : 'unsharded'}`);
    if (report.shard) {
      const other = seen.get(report.shard.index);
      if (other) throw new OrgError(`${file} and ${other} are both shard ${report.shard.index}/${report.shard.count}`);
      seen.set(report.shard.index, file);
    }
    for (const r of report.repositories) {
      const other = repos.get(r.repository.toLowerCase());
      if (other) throw new OrgError(`${r.repository} is in both ${other.file} and ${file}`);
      repos.set(r.repository.toLowerCase(), { result: r, file });
    }
  }
  if (count !== undefined) {
    const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
    if (missing.length) throw new OrgError(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: the merged report would leave repositories out`);
  } else if (parts.length > 1) throw new OrgError('only one unsharded report can be merged');
  return canonical({ org, repositories: [...repos.values()].map((r) => r.result) });
}
