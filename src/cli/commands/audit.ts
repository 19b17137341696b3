/**
 * The audit command (and `secrets`, which is an audit printed as the credential map): resolve
 * the target, open the engine session, fix if asked, audit, render, decide the exit code.
 */
import type { Audit } from '../../audit/audit.js';
import type { Check } from '../../check.js';
import type { FixResult, RepoSession } from '../../engine/session.js';
import type { Finding } from '../../types.js';
import { exitCode } from '../exit-code.js';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, usage, type Io } from '../io.js';
import type { CliConfig } from '../options.js';
import { emit, OutputError, render } from '../output.js';
import { openPins, type Pins } from '../pins.js';

export async function auditCommand(checks: readonly Check[], config: CliConfig, io: Io, interactive: boolean): Promise<number> {
  const { resolveTarget, TargetError } = await import('../../loader/target.js');
  const wanted = config.target ?? '.';
  if (config.offline && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(wanted) && !(await stat(wanted).catch(() => undefined))) {
    return usage(io, `--offline makes no network requests, so ${wanted} cannot be cloned from GitHub; clone it first and pass the directory (local paths and file:// URLs work offline)`);
  }
  let target;
  try {
    target = await resolveTarget(wanted, {
      ...(config.ref ? { ref: config.ref } : {}),
      ...(config.keepClone ? { keepClone: config.keepClone } : {}),
      ...(config.cloneTimeout ? { cloneTimeout: config.cloneTimeout } : {}),
      ...(config.repo ? { repo: config.repo } : {}),
      ...(config.githubUrl ? { gitBase: config.githubUrl } : {}),
      onNote: (note) => io.stderr(`pipewarden: ${note}\n`),
    });
  } catch (err) {
    if (err instanceof TargetError) {
      io.stderr(`pipewarden: ${err.message}\n`);
      return err.message.startsWith('--repo') ? EXIT.usage : EXIT.cannotRun;
    }
    throw err;
  }
  let pins: Pins | undefined;
  try {
    const fixing = !!(config.fix || config.patch !== undefined || config.dryRun);
    // Only fixing reaches GitHub; JSON output and the interactive view show pin fixes from the cache alone.
    if (fixing || interactive || config.format === 'json' || config.format === 'html' || config.exportPins) {
      pins = await openPins({ offline: config.offline || !fixing, ...pick(config, ['token', 'githubUrl', 'exportPins', 'importPins']) }, io.env);
    }
    // Remote checks read settings no file shows; they need a token and the network, and say so once when skipped.
    for (const e of config.exclude) {
      if (!(await stat(path.join(target.dir, e)).catch(() => undefined))) io.stderr(`pipewarden: --exclude ${e} matches nothing in ${target.label}\n`);
    }
    if (!target.identity) {
      io.stderr('pipewarden: the repository\'s GitHub identity is not known (no --repo, no GitHub origin remote): references to its own actions are judged as third-party ones; pass --repo owner/name\n');
    }
    let remote: import('../../github/settings.js').RemoteGatherer | undefined;
    if (config.offline) io.stderr('pipewarden: remote checks skipped: --offline\n');
    else if (!target.identity) io.stderr('pipewarden: remote checks skipped: the GitHub repository is not known (--repo owner/name)\n');
    else {
      const { findToken } = await import('../../github/host.js');
      const token = await findToken(config.token, io.env);
      if (!token) io.stderr('pipewarden: remote checks skipped: no GitHub token (--token, GH_TOKEN, GITHUB_TOKEN or gh auth login)\n');
      else {
        const { createClient } = await import('../../github/client.js');
        const { RemoteGatherer } = await import('../../github/settings.js');
        remote = new RemoteGatherer(createClient({ token, ...(config.githubUrl ? { githubUrl: config.githubUrl } : {}) }), { owner: target.identity.owner, repo: target.identity.name }, pins && fixing ? { resolver: pins.resolver } : {});
      }
    }
    const { RepoSession, SessionError, WriteFailure } = await import('../../engine/session.js');
    let session: RepoSession;
    try {
      session = await RepoSession.open(target.dir, {
        checks,
        label: target.label,
        ...(target.identitySource ? { identitySource: target.identitySource } : {}),
        ...(target.identity ? { identity: target.identity } : {}),
        exclude: config.exclude,
        ...(config.owner ? { owner: config.owner } : {}),
        go: config.go,
        ...(pins ? { resolver: pins.resolver } : {}),
        ...(config.config ? { configFile: config.config } : {}),
        ...(config.baseline ? { baselineFile: config.baseline } : {}),
        ...(remote ? { remote } : {}),
        ...(config.threads !== undefined ? { threads: config.threads } : {}),
        // A report and nothing else: one audit, nothing to keep for the next.
        once: !interactive && !fixing && !config.fix && !config.pr,
      });
      if (interactive) {
        const { runInteractive } = await import('./interactive.js');
        return await runInteractive(session, config, io);
      }
      // Pull requests first (planned from the files as they are), then fixes, so that the report
      // describes the files as they are afterwards.
      const prMode = !!config.fix && (config.pr || target.remote);
      if (prMode) {
        const code = await pullRequests(session, config, io);
        if (code !== EXIT.ok) return code;
      }
      let fixed: FixResult | undefined;
      if (fixing && !(prMode && target.remote)) {
        const selection = config.fix ?? 'all';
        // --patch and --dry-run never touch the working tree, whatever else is given.
        const write = !!config.fix && config.patch === undefined && !config.dryRun;
        fixed = write ? await session.applyFixes(selection, { force: config.force }) : await session.previewFixes(config.fix ?? 'safe');
        if (config.patch !== undefined) await emit(io, config.patch, fixed.patch);
        else if (config.dryRun) io.stdout(fixed.patch);
        io.stderr(fixSummary(fixed));
      }
      if (remote?.networkFailure) io.stderr(`pipewarden: remote checks stopped: ${remote.networkFailure}\n`);
      if (pins?.resolver.networkFailure) io.stderr(`pipewarden: GitHub look-ups stopped: ${pins.resolver.networkFailure}; the rest of the run went on offline\n`);
      const audit = session.current && fixed?.written ? session.current : await session.audit();
      const report = audit.report;
      if (report.filesScanned === 0) {
        io.stderr(`pipewarden: nothing to audit in ${target.label}: no workflows, actions or policy files found\n`);
        return EXIT.cannotRun;
      }
      if (config.format === 'json' || config.format === 'html') {
        const { cappedFixDiff } = await import('../../fix/preview.js');
        for (const f of report.findings) withDiff(audit, f, cappedFixDiff);
      }
      if (config.writeBaseline) {
        const { renderBaseline } = await import('../../audit/suppressions.js');
        await emit(io, config.writeBaseline, renderBaseline(report.findings));
        io.stderr(`pipewarden: wrote ${report.findings.length} fingerprint${report.findings.length === 1 ? '' : 's'} to ${config.writeBaseline}\n`);
      }
      const stdoutTaken = config.patch === '-' || config.dryRun;
      if (!stdoutTaken || config.output !== undefined) {
        if (config.command === 'secrets') {
          const text = config.format === 'json' ? JSON.stringify(report.secrets, null, 2) + '\n' : (await import('../../reporters/secrets.js')).renderCredentialMap(report.secrets);
          await emit(io, config.output, text);
          return EXIT.ok;
        }
        const color = config.output === undefined && io.isTTY && !io.env.NO_COLOR;
        await emit(io, config.output, await render(report, config.format, { color, verbose: config.verbose, root: target.dir, ...(io.columns ? { columns: io.columns } : {}) }));
      }
      return exitCode(report, config);
    } catch (err) {
      if (err instanceof SessionError || err instanceof OutputError) {
        io.stderr(`pipewarden: ${err.message}\n`);
        return err instanceof SessionError && !(err instanceof WriteFailure) ? EXIT.usage : EXIT.cannotRun;
      }
      throw err;
    }
  } finally {
    await pins?.close();
    await target.cleanup();
  }
}

async function pullRequests(session: RepoSession, config: CliConfig, io: Io): Promise<number> {
  const { propose } = await import('../propose.js');
  const result = await propose(session, config, io.env, config.fix ?? 'safe', { ...(config.prSplit ? { split: config.prSplit } : {}), log: (line) => io.stderr(`pipewarden: ${line}\n`) });
  if ('error' in result) {
    io.stderr(`pipewarden: ${result.error}\n`);
    return result.usage ? EXIT.usage : EXIT.cannotRun;
  }
  if (result.opened.length === 0) io.stderr('pipewarden: no fix to propose: no pull request opened\n');
  for (const pr of result.opened) {
    const state = pr.action === 'created' ? 'opened' : pr.action === 'updated' ? 'updated' : 'unchanged (nothing new to push)';
    io.stderr(`pipewarden: pull request #${pr.number} ${state}: ${pr.url} (${pr.fixes} fix${pr.fixes === 1 ? '' : 'es'}, branch ${pr.branch}${pr.fork ? ` in ${pr.fork}` : ''})\n`);
    if (pr.note) io.stderr(`pipewarden: ${pr.note}\n`);
  }
  return EXIT.ok;
}

/** Past this a fix's diff is left out of the JSON (a fix on a line of megabytes, thousands of times over). */
const MAX_JSON_DIFF = 64 * 1024;

/** The finding's fix with its diff, unless the diff is longer than MAX_JSON_DIFF (judged before it is computed). */
function withDiff(audit: Audit, f: Finding, diffOf: typeof import('../../fix/preview.js').cappedFixDiff): void {
  const fix = audit.fixFor(f);
  if (!fix || 'refused' in fix || !f.fix) return;
  const diff = diffOf(audit.model, fix, MAX_JSON_DIFF);
  if (diff !== undefined) f.fix = { ...f.fix, diff };
}

export function fixSummary(result: FixResult): string {
  const count = (s: string): number => result.plan.outcomes.filter((o) => o.status === s).length;
  const n = count('applied');
  const files = result.plan.files.size;
  const lines = [
    `pipewarden: ${n} fix${n === 1 ? '' : 'es'} ${result.written ? 'applied' : 'ready'} in ${files} file${files === 1 ? '' : 's'}` +
      (count('rolled-back') ? `, ${count('rolled-back')} rolled back` : '') +
      (count('overlap') ? `, ${count('overlap')} not applied (overlap)` : ''),
  ];
  for (const o of result.plan.outcomes) {
    if (o.status !== 'applied') lines.push(`  ${o.status}: ${o.finding.file}:${o.finding.line} ${o.finding.check}: ${o.reason ?? ''}`);
  }
  for (const refused of result.refusedWrites) lines.push(`  refused: ${refused}`);
  if (result.skippedDirty.length) lines.push(`  left alone (uncommitted changes; --force to fix anyway): ${result.skippedDirty.join(', ')}`);
  return lines.join('\n') + '\n';
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
