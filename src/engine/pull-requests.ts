/**
 * Remediation pull requests from an engine session: plan the verified fixes, group them (one
 * pull request, or one per area or check with --pr-split), and open or update each through the
 * git data API. The CLI's `--fix --pr` and the views' queue both come here.
 */
import type { Finding } from '../types.js';
import type { GitHubClient } from '../github/client.js';
import { groupFixes, renderPullRequestBody, type FixOutcomeLike } from '../github/pr-body.js';
import { openRemediationPullRequest, type PullRequestResult } from '../github/pull-request.js';
import type { FixSelection, RepoSession } from './session.js';

export interface PullRequestRun {
  client: GitHubClient;
  owner: string;
  repo: string;
  selection: FixSelection;
  split?: 'area' | 'check';
  draft?: boolean;
  log?: (line: string) => void;
}

export interface OpenedPullRequest extends PullRequestResult {
  group: string;
  fixes: number;
}

const key = (f: Finding): string => `${f.check}\0${f.file}\0${f.messageId}\0${f.message}`;

export async function openPullRequests(session: RepoSession, run: PullRequestRun): Promise<OpenedPullRequest[]> {
  const audit = session.current ?? (await session.audit());
  const all = await session.previewFixes(run.selection);
  const applied = all.plan.outcomes.filter((o) => o.status === 'applied');
  if (applied.length === 0) return [];
  const groups = run.split ? groupFixes(applied, run.split) : [{ key: 'fixes', branchPrefix: 'pipewarden/fixes', outcomes: applied as FixOutcomeLike[] }];
  const why = (id: string): string | undefined => audit.report.checks.find((c) => c.id === id)?.why;
  const notApplied = new Map(all.plan.outcomes.filter((o) => o.status !== 'applied').map((o) => [key(o.finding), o.reason ?? o.status]));
  const opened: OpenedPullRequest[] = [];
  for (const group of groups) {
    // Each pull request carries only its own group's fixes, planned and verified on their own.
    const plan = run.split ? (await session.previewFixes(group.outcomes.map((o) => o.finding))).plan : all.plan;
    const fixed = plan.outcomes.filter((o) => o.status === 'applied');
    if (fixed.length === 0) continue;
    const fixedKeys = new Set(fixed.map((o) => key(o.finding)));
    const left = audit.report.findings
      .filter((f) => !fixedKeys.has(key(f)) && (!run.split || groups.length === 1 || inGroup(f, group.key, run.split)))
      .map((finding) => ({ finding, reason: reasonLeft(finding, notApplied.get(key(finding)), run.split ? group.key : undefined) }));
    const changes = new Map([...plan.files].map(([file, { after }]) => [file, after]));
    const what = run.split ? ` (${group.key})` : '';
    const title = `pipewarden: fix ${fixed.length} CI supply-chain finding${fixed.length === 1 ? '' : 's'}${what}`;
    const body = renderPullRequestBody({ fixed, left, why });
    const result = await openRemediationPullRequest({
      client: run.client,
      owner: run.owner,
      repo: run.repo,
      changes,
      title,
      body,
      branchPrefix: group.branchPrefix,
      ...(run.draft ? { draft: true } : {}),
      ...(run.log ? { log: run.log } : {}),
    });
    opened.push({ ...result, group: group.key, fixes: fixed.length });
  }
  return opened;
}

function inGroup(f: Finding, group: string, by: 'area' | 'check'): boolean {
  return (by === 'area' ? f.area : f.check) === group;
}

function reasonLeft(f: Finding, notApplied: string | undefined, _group: string | undefined): string {
  if (notApplied) return notApplied;
  if (!f.fixable) {
    const refused = /Not fixed automatically: (.*)$/.exec(f.remediation)?.[1];
    return refused ? refused.replace(/\.$/, '') : 'no automatic fix: needs a person (see the check\'s how-to-fix)';
  }
  return f.fix?.safety === 'unsafe' ? 'unsafe fix: not included unless --fix=all' : 'not selected';
}
