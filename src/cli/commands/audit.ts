/**
 * The audit command (and `secrets`, which is an audit printed as the credential map): resolve
 * the target, open the engine session, fix if asked, audit, render, decide the exit code.
 */
import type { Check } from '../../audit/check.js';
import type { AuditReport } from '../../audit/report.js';
import type { FixResult, RepoSession } from '../../engine/session.js';
import { atLeast, type Finding } from '../../types.js';
import { EXIT, type Io } from '../io.js';
import type { CliConfig } from '../options.js';
import { emit, OutputError, render } from '../output.js';
import { openPins, type Pins } from '../pins.js';

export async function auditCommand(checks: readonly Check[], config: CliConfig, io: Io, interactive: boolean): Promise<number> {
  const { resolveTarget, TargetError } = await import('../../loader/target.js');
  let target;
  try {
    target = await resolveTarget(config.target ?? '.', {
      ...(config.ref ? { ref: config.ref } : {}),
      ...(config.keepClone ? { keepClone: config.keepClone } : {}),
      ...(config.cloneTimeout ? { cloneTimeout: config.cloneTimeout } : {}),
      ...(config.repo ? { repo: config.repo } : {}),
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
    if (fixing || interactive || config.format === 'json' || config.exportPins) {
      pins = await openPins({ offline: config.offline || !fixing, ...pick(config, ['token', 'githubUrl', 'exportPins', 'importPins']) }, io.env);
    }
    const { RepoSession, SessionError, WriteFailure } = await import('../../engine/session.js');
    let session: RepoSession;
    try {
      session = await RepoSession.open(target.dir, {
        checks,
        label: target.label,
        ...(target.identity ? { identity: target.identity } : {}),
        exclude: config.exclude,
        ...(config.owner ? { owner: config.owner } : {}),
        go: config.go,
        ...(pins ? { resolver: pins.resolver } : {}),
        ...(config.config ? { configFile: config.config } : {}),
        ...(config.baseline ? { baselineFile: config.baseline } : {}),
      });
      if (interactive) {
        const { runInteractive } = await import('./interactive.js');
        return await runInteractive(session, config, io);
      }
      // Fixes first, so that the report describes the files as they are afterwards.
      let fixed: FixResult | undefined;
      if (fixing) {
        const selection = config.fix ?? 'all';
        // --patch and --dry-run never touch the working tree, whatever else is given.
        const write = !!config.fix && config.patch === undefined && !config.dryRun;
        fixed = write ? await session.applyFixes(selection, { force: config.force }) : await session.previewFixes(config.fix ?? 'safe');
        if (config.patch !== undefined) await emit(io, config.patch, fixed.patch);
        else if (config.dryRun) io.stdout(fixed.patch);
        io.stderr(fixSummary(fixed));
      }
      const audit = session.current && fixed?.written ? session.current : await session.audit();
      const report = audit.report;
      if (report.filesScanned === 0) {
        io.stderr(`pipewarden: nothing to audit in ${target.label}: no workflows, actions or policy files found\n`);
        return EXIT.cannotRun;
      }
      if (config.format === 'json') for (const f of report.findings) withDiff(session, f);
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
        await emit(io, config.output, await render(report, config.format, { color, verbose: config.verbose, ...(io.columns ? { columns: io.columns } : {}) }));
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

/** Findings at or above --fail-on count, except those in the baseline. */
export function exitCode(report: AuditReport, config: Pick<CliConfig, 'failOn'>): number {
  if (config.failOn === 'none') return EXIT.ok;
  const threshold = config.failOn;
  return report.findings.some((f) => !f.baseline && atLeast(f.severity, threshold)) ? EXIT.findings : EXIT.ok;
}

/** Past this a fix's diff is left out of the JSON (a fix on a line of megabytes, thousands of times over). */
const MAX_JSON_DIFF = 64 * 1024;

function withDiff(session: RepoSession, f: Finding): void {
  const preview = session.fixPreview(f);
  if (preview && !('refused' in preview) && f.fix && preview.diff.length <= MAX_JSON_DIFF) f.fix = { ...f.fix, diff: preview.diff };
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
