/**
 * `pipewarden org <org>`: audit every repository of an organisation (listed through the API,
 * filtered, optionally one shard of n), a few at a time, sharing one pin cache; progress on
 * stderr; resumable from --state. `pipewarden merge shard-*.json`: one report from the shards.
 */
import { readFile } from 'node:fs/promises';
import type { Check } from '../../check.js';
import type { OrgProgress, OrgReport } from '../../engine/org.js';
import { EXIT, usage, type Io } from '../io.js';
import type { CliConfig } from '../options.js';
import { emit, OutputError } from '../output.js';
import { openPins, type Pins } from '../pins.js';

export async function orgCommand(checks: readonly Check[], config: CliConfig, io: Io): Promise<number> {
  const org = config.target;
  if (!org || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(org)) return usage(io, org ? `"${org}" is not an organisation name` : 'org needs an organisation name: pipewarden org ORG');
  if (config.offline) return usage(io, '--offline makes no network requests, so the repositories of an organisation can be neither listed nor cloned');
  const single = (['repo', 'ref', 'keepClone', 'config', 'baseline', 'writeBaseline', 'patch'] as const).filter((k) => config[k] !== undefined);
  if (single.length || config.dryRun) return usage(io, `${single.length ? `--${single[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : '--dry-run'} is for a single audit, not pipewarden org`);
  const opts = config.org!;
  const { createClient, findToken } = await import('../../github/client.js');
  const { OrgError, filterRepositories, inShard, listOrgRepositories, orgExitCode, repositoryAuditor, runOrg } = await import('../../engine/org.js');
  const token = await findToken(config.token, io.env);
  const fixing = !!config.fix;
  if (fixing && !token) return usage(io, 'opening pull requests needs a GitHub token: --token, GH_TOKEN, GITHUB_TOKEN, or `gh auth login`');
  const client = createClient({ ...(token ? { token } : {}), ...(config.githubUrl ? { githubUrl: config.githubUrl } : {}) });
  if (!token) io.stderr('pipewarden: no GitHub token: listing public repositories only, remote checks skipped (--token, GH_TOKEN, GITHUB_TOKEN or gh auth login)\n');
  let pins: Pins | undefined;
  try {
    const listed = await listOrgRepositories(client, org);
    const selected = filterRepositories(listed, {
      includeArchived: opts.includeArchived,
      includeForks: opts.includeForks,
      include: opts.include,
      exclude: config.exclude,
      topics: opts.topics,
    });
    const mine = inShard(selected, opts.shard);
    if (selected.length === 0) {
      io.stderr(`pipewarden: ${org}: none of its ${listed.length} repositor${listed.length === 1 ? 'y' : 'ies'} match (archived and forks are skipped unless --include-archived / --include-forks)\n`);
      return EXIT.cannotRun;
    }
    io.stderr(`pipewarden: ${org}: ${listed.length} repositories, ${selected.length} selected${opts.shard ? `, ${mine.length} in shard ${opts.shard.index}/${opts.shard.count}` : ''}; auditing ${opts.concurrency} at a time\n`);
    // One pin cache for the whole run: offline look-ups unless fixing (as the audit does).
    pins = await openPins({ offline: !fixing, ...(token ? { token } : {}), ...(config.githubUrl ? { githubUrl: config.githubUrl } : {}), ...(config.importPins ? { importPins: config.importPins } : {}), ...(config.exportPins ? { exportPins: config.exportPins } : {}) }, io.env);
    const audit = repositoryAuditor({
      checks,
      ...(config.githubUrl ? { gitBase: config.githubUrl } : {}),
      ...(token ? { token, client } : {}),
      resolver: pins.resolver,
      go: config.go,
      ...(config.owner ? { owner: config.owner } : {}),
      ...(fixing ? { pullRequests: { selection: config.fix!, ...(config.prSplit ? { split: config.prSplit } : {}), draft: config.draft } } : {}),
    });
    const report = await runOrg({
      org,
      repositories: mine,
      ...(opts.shard ? { shard: opts.shard } : {}),
      concurrency: opts.concurrency,
      audit,
      ...(opts.state ? { stateFile: opts.state } : {}),
      onProgress: (p) => progressLine(io, p),
    });
    await emit(io, config.output, await renderAs(report, config));
    const failures = report.repositories.filter((r) => r.status === 'failed').length;
    if (failures) io.stderr(`pipewarden: ${failures} of ${report.repositories.length} repositor${report.repositories.length === 1 ? 'y' : 'ies'} could not be audited (listed in the report)\n`);
    if (report.repositories.length === 0) return EXIT.ok;
    return orgExitCode(report, config.failOn);
  } catch (err) {
    if (err instanceof OrgError || err instanceof OutputError) {
      io.stderr(`pipewarden: ${err.message}\n`);
      return EXIT.cannotRun;
    }
    throw err;
  } finally {
    await pins?.close();
  }
}

function progressLine(io: Io, p: OrgProgress): void {
  if (p.started) return;
  const n = `[${p.done}/${p.total}]`;
  const r = p.result;
  const what = !r ? '' : r.status === 'failed' ? `FAILED: ${r.error}` : p.resumed ? `done before (from --state), ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}` : `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`;
  const pr = r?.pullRequests?.map((x) => ` pull request #${x.number} ${x.action}`).join(',') ?? '';
  const prError = r?.pullRequestError ? ` pull request not opened: ${r.pullRequestError}` : '';
  const more = p.inFlight.length ? `; auditing ${p.inFlight.join(', ')}` : '';
  io.stderr(`pipewarden: ${n} ${p.repository}: ${what}${pr}${prError}${p.failures ? ` (${p.failures} failed so far)` : ''}${more}\n`);
}

async function renderAs(report: OrgReport, config: CliConfig): Promise<string> {
  const { renderOrg } = await import('../../reporters/org.js');
  return renderOrg(report, config.orgFormat ?? 'text');
}

export async function mergeCommand(config: CliConfig, io: Io): Promise<number> {
  const files = config.targets ?? [];
  if (files.length === 0) return usage(io, 'merge needs the shard reports: pipewarden merge shard-*.json');
  const { OrgError, mergeReports, orgExitCode } = await import('../../engine/org.js');
  const { parseOrgJson } = await import('../../reporters/org.js');
  try {
    const parts = [];
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new OrgError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      parts.push({ file, report: parseOrgJson(file, text) });
    }
    const merged = mergeReports(parts);
    await emit(io, config.output, await renderAs(merged, config));
    return orgExitCode(merged, config.failOn);
  } catch (err) {
    if (err instanceof OrgError || err instanceof OutputError) {
      io.stderr(`pipewarden: ${err.message}\n`);
      return err instanceof OrgError ? EXIT.usage : EXIT.cannotRun;
    }
    throw err;
  }
}
