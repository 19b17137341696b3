/**
 * The GitHub Action's entry (action.yml runs bin/action.js, which calls runAction). It drives
 * the command line itself, `main(argv, io)` from cli.ts, once per output it needs: JSON for
 * the counts and the exit code, SARIF to a file for code scanning, Markdown for the step
 * summary, workflow-command annotations, and the report in the chosen format for the log.
 * Each run audits the same files, so the outputs agree; an audit takes milliseconds next to
 * starting Node.
 *
 * Inputs arrive as environment variables (action.yml maps each `inputs.x` to `env:`, never
 * into the script text): INPUT_PATH, INPUT_FORMAT, INPUT_FAIL_ON, INPUT_CHECKS, INPUT_SKIP,
 * INPUT_EXCLUDE, INPUT_REPO, INPUT_CONFIG, INPUT_BASELINE, INPUT_UPLOAD_SARIF, INPUT_STEP_SUMMARY, INPUT_ANNOTATIONS.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXIT, main } from '../cli/main.js';
import { SEVERITIES, type Severity } from '../types.js';

export interface ActionIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface ActionInputs {
  path: string;
  format: string;
  failOn: string;
  checks: string;
  skip: string;
  exclude: string;
  repo: string;
  config: string;
  baseline: string;
  uploadSarif: boolean;
  stepSummary: boolean;
  annotations: boolean;
}

export class InputError extends Error {}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new InputError(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const str = (name: string, fallback = ''): string => (env[name] ?? '').trim() || fallback;
  return {
    path: str('INPUT_PATH', '.'),
    format: str('INPUT_FORMAT', 'text'),
    failOn: str('INPUT_FAIL_ON', 'high'),
    checks: str('INPUT_CHECKS'),
    skip: str('INPUT_SKIP'),
    exclude: str('INPUT_EXCLUDE'),
    repo: str('INPUT_REPO'),
    config: str('INPUT_CONFIG'),
    baseline: str('INPUT_BASELINE'),
    uploadSarif: bool(env, 'INPUT_UPLOAD_SARIF', true),
    stepSummary: bool(env, 'INPUT_STEP_SUMMARY', true),
    annotations: bool(env, 'INPUT_ANNOTATIONS', true),
  };
}

/** A workflow command's message part, escaped as @actions/core does. */
const commandData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** One `name=value` line for $GITHUB_OUTPUT; values here are counts and a path, never multi-line. */
function outputLine(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new InputError(`output ${name} would span lines`);
  return `${name}=${value}\n`;
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    isTTY: false,
    env,
  });
  return { code, stdout, stderr };
}

/**
 * Runs the audit as the Action does and returns the exit code: 0 nothing at or above fail-on,
 * 1 findings at or above it, 2 bad inputs, 3 the audit could not run. Relative `path` is taken
 * from the current directory, which bin/action.js sets to GITHUB_WORKSPACE.
 */
export async function runAction(env: NodeJS.ProcessEnv, io: ActionIo): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.stdout(`::error title=pipewarden::${commandData(err.message)}\n`);
    return EXIT.usage;
  }
  // The CLI's own options, shared by every run; the CLI validates them.
  const common = [inputs.path, '--ci'];
  if (inputs.repo) common.push('--repo', inputs.repo);
  if (inputs.checks) common.push('--checks', inputs.checks);
  if (inputs.skip) common.push('--skip', inputs.skip);
  if (inputs.exclude) common.push('--exclude', inputs.exclude);
  if (inputs.config) common.push('--config', inputs.config);
  if (inputs.baseline) common.push('--baseline', inputs.baseline);
  // A token is only for pin look-ups when fixing, which the Action never does: keep it out.
  const cliEnv: NodeJS.ProcessEnv = { ...env, CI: 'true' };
  delete cliEnv.GITHUB_TOKEN;
  delete cliEnv.GH_TOKEN;

  const json = await run([...common, '--format', 'json', '--fail-on', inputs.failOn], cliEnv);
  if (json.code === EXIT.usage || json.code === EXIT.cannotRun) {
    const message = json.stderr.replace(/^pipewarden: /, '').split('\n')[0] || `pipewarden exited ${json.code}`;
    io.stdout(`::error title=pipewarden::${commandData(message)}\n`);
    return json.code;
  }
  const doc = JSON.parse(json.stdout) as { summary: { total: number; bySeverity: Record<Severity, number> } };
  // The report for the log, rendered now so that a bad `format` fails before any output is written.
  const report = inputs.format === 'json' ? json : await run([...common, '--format', inputs.format, '--fail-on', 'none'], cliEnv);
  if (report.code !== EXIT.ok) {
    io.stdout(`::error title=pipewarden::${commandData(report.stderr.replace(/^pipewarden: /, '').split('\n')[0] ?? '')}\n`);
    return report.code;
  }

  const sarifPath = path.join(env.RUNNER_TEMP || os.tmpdir(), 'pipewarden', `pipewarden-${randomUUID()}.sarif`);
  await mkdir(path.dirname(sarifPath), { recursive: true });
  const sarif = await run([...common, '--format', 'sarif', '-o', sarifPath, '--fail-on', 'none'], cliEnv);
  if (sarif.code !== EXIT.ok) throw new Error(`SARIF run exited ${sarif.code}: ${sarif.stderr.trim()}`);

  if (env.GITHUB_OUTPUT) {
    const lines = SEVERITIES.map((s) => outputLine(s, String(doc.summary.bySeverity[s] ?? 0)));
    lines.push(outputLine('total', String(doc.summary.total)), outputLine('sarif-path', sarifPath));
    await appendFile(env.GITHUB_OUTPUT, lines.join(''));
  }

  if (inputs.stepSummary && env.GITHUB_STEP_SUMMARY) {
    const md = await run([...common, '--format', 'markdown', '--fail-on', 'none'], cliEnv);
    await appendFile(env.GITHUB_STEP_SUMMARY, md.stdout + '\n');
  }

  if (inputs.annotations) {
    const annotations = await run([...common, '--format', 'github', '--fail-on', 'none'], cliEnv);
    io.stdout(annotations.stdout);
  }

  if (inputs.format !== 'github' || !inputs.annotations) {
    // The report quotes repository text; stop-commands keeps a line of it that looks like a
    // workflow command (::add-mask::, ::error::) from being one.
    const token = randomUUID();
    io.stdout(`::stop-commands::${token}\n${report.stdout}${report.stdout.endsWith('\n') ? '' : '\n'}::${token}::\n`);
  }

  const counts = SEVERITIES.map((s) => `${doc.summary.bySeverity[s] ?? 0} ${s}`).join(', ');
  io.stderr(`pipewarden: ${doc.summary.total} findings (${counts}); SARIF at ${sarifPath}${inputs.uploadSarif ? ', uploaded to code scanning by the next step' : ''}\n`);
  if (json.code === EXIT.findings) io.stdout(`::error title=pipewarden::${commandData(`findings at or above ${inputs.failOn}: ${counts}`)}\n`);
  return json.code;
}
