/** Command-line parsing: argv -> one typed configuration, or a usage error naming what is wrong. */
import { parseArgs } from 'node:util';
import { SEVERITIES, type Severity } from '../types.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const COMMANDS = ['audit', 'secrets', 'checks', 'explain', 'help', 'org', 'merge'] as const;
/** `org` and `merge` also write CSV; they have no SARIF or annotations (those are one repository's). */
const ORG_FORMATS = ['text', 'json', 'csv', 'markdown', 'html'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliConfig {
  command: Command;
  /** The audit target (audit, secrets), the check id (explain) or the command (help). */
  target?: string;
  /** `merge`: the shard reports. */
  targets?: string[];
  format: Format;
  /** `org` and `merge`: the format asked for (CSV is theirs alone). */
  orgFormat?: (typeof ORG_FORMATS)[number];
  /** The user asked for a format (the interactive view only opens without one). */
  formatGiven: boolean;
  output?: string;
  failOn: Severity | 'none';
  checks?: string[];
  skip?: string[];
  exclude: string[];
  repo?: string;
  ref?: string;
  keepClone?: string;
  /** --clone-timeout SECONDS. */
  cloneTimeout?: number;
  /** --threads N: worker threads that audit the workflows while the main one keeps their results (0: the main thread audits alone). */
  threads?: number;
  offline: boolean;
  go: boolean;
  fix?: 'safe' | 'all';
  patch?: string;
  dryRun: boolean;
  force: boolean;
  owner?: string;
  token?: string;
  githubUrl?: string;
  exportPins?: string;
  importPins?: string;
  /** Open remediation pull requests (implied by --fix on a remote target). */
  pr: boolean;
  prSplit?: 'area' | 'check';
  draft: boolean;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  verbose: boolean;
  ci: boolean;
  version: boolean;
  help: boolean;
  /** `org`: which repositories, how many at once, the shard and the resume file. */
  org?: OrgOptions;
}

export interface OrgOptions {
  includeArchived: boolean;
  includeForks: boolean;
  include: string[];
  topics: string[];
  concurrency: number;
  state?: string;
  shard?: { index: number; count: number };
}

const OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  checks: { type: 'string' },
  skip: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  repo: { type: 'string' },
  ref: { type: 'string' },
  'keep-clone': { type: 'string' },
  'clone-timeout': { type: 'string' },
  threads: { type: 'string' },
  offline: { type: 'boolean' },
  go: { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-all': { type: 'boolean' },
  patch: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  owner: { type: 'string' },
  token: { type: 'string' },
  'github-url': { type: 'string' },
  'export-pins': { type: 'string' },
  'import-pins': { type: 'string' },
  pr: { type: 'boolean' },
  'pr-split': { type: 'string' },
  draft: { type: 'boolean' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  verbose: { type: 'boolean' },
  ci: { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  'include-archived': { type: 'boolean' },
  'include-forks': { type: 'boolean' },
  include: { type: 'string', multiple: true },
  topic: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  state: { type: 'string' },
  shard: { type: 'string' },
} as const;

export function parseCommandLine(argv: string[]): CliConfig | { error: string } {
  const fixValue = argv.find((a) => a.startsWith('--fix='));
  if (fixValue && fixValue !== '--fix=all') return { error: `${fixValue}: --fix takes no value except --fix=all (unsafe fixes too)` };
  // `--fix=all` is the one option with an optional value; give it a name parseArgs can take.
  const args = argv.map((a) => (a === '--fix=all' ? '--fix-all' : a));
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    return { error: describeParseError(err as Error & { code?: string }) };
  }
  const { values: v, positionals } = parsed;
  let command: Command = 'audit';
  if (positionals[0] && (COMMANDS as readonly string[]).includes(positionals[0]) && positionals[0] !== 'audit') command = positionals.shift() as Command;
  else if (positionals[0] === 'audit') positionals.shift();
  if (positionals.length > 1 && command !== 'merge') return { error: `expected one ${command === 'explain' ? 'check id' : 'target'}, got ${positionals.length}: ${positionals.join(' ')}` };
  const orgLike = command === 'org' || command === 'merge';
  const given = v.format ?? 'text';
  const formats: readonly string[] = orgLike ? ORG_FORMATS : FORMATS;
  const format = (given === 'csv' ? 'text' : given) as Format;
  if (!formats.includes(given)) return { error: `--format must be one of ${formats.join(', ')}${orgLike ? ` for ${command}` : ''}` };
  const org = orgOptions(command, v);
  if (typeof org === 'string') return { error: org };
  const failOn = v['fail-on'] ?? 'high';
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) return { error: '--fail-on must be critical, high, medium, low or none' };
  const prSplit = v['pr-split'];
  if (prSplit !== undefined && prSplit !== 'area' && prSplit !== 'check') return { error: '--pr-split must be area or check' };
  if ((v.pr || prSplit || v.draft) && !(v.fix || v['fix-all'])) return { error: '--pr, --pr-split and --draft go with --fix' };
  if ((v.pr || prSplit) && v.offline) return { error: '--pr needs the network; it cannot be used with --offline' };
  const cloneTimeout = v['clone-timeout'] === undefined ? undefined : Number(v['clone-timeout']);
  if (cloneTimeout !== undefined && !(cloneTimeout > 0 && Number.isFinite(cloneTimeout))) return { error: '--clone-timeout must be a number of seconds above 0' };
  const threads = v.threads === undefined ? undefined : Number(v.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0 && threads <= 64)) return { error: '--threads must be a whole number from 0 to 64' };
  return {
    command,
    ...(cloneTimeout !== undefined ? { cloneTimeout } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(positionals[0] !== undefined ? { target: positionals[0] } : {}),
    ...(command === 'merge' ? { targets: positionals } : {}),
    ...(org ? { org } : {}),
    ...(orgLike ? { orgFormat: given as (typeof ORG_FORMATS)[number] } : {}),
    format,
    formatGiven: v.format !== undefined,
    ...(v.output !== undefined ? { output: v.output } : {}),
    failOn: failOn as Severity | 'none',
    ...(v.checks !== undefined ? { checks: list(v.checks) } : {}),
    ...(v.skip !== undefined ? { skip: list(v.skip) } : {}),
    exclude: (v.exclude ?? []).flatMap(list),
    ...(v.repo !== undefined ? { repo: v.repo } : {}),
    ...(v.ref !== undefined ? { ref: v.ref } : {}),
    ...(v['keep-clone'] !== undefined ? { keepClone: v['keep-clone'] } : {}),
    offline: !!v.offline,
    go: !!v.go,
    ...(v['fix-all'] ? { fix: 'all' as const } : v.fix ? { fix: 'safe' as const } : {}),
    ...(v.patch !== undefined ? { patch: v.patch } : {}),
    dryRun: !!v['dry-run'],
    force: !!v.force,
    ...(v.owner !== undefined ? { owner: v.owner } : {}),
    ...(v.token !== undefined ? { token: v.token } : {}),
    ...(v['github-url'] !== undefined ? { githubUrl: v['github-url'] } : {}),
    ...(v['export-pins'] !== undefined ? { exportPins: v['export-pins'] } : {}),
    ...(v['import-pins'] !== undefined ? { importPins: v['import-pins'] } : {}),
    pr: !!v.pr || prSplit !== undefined,
    ...(prSplit ? { prSplit: prSplit as 'area' | 'check' } : {}),
    draft: !!v.draft,
    ...(v.config !== undefined ? { config: v.config } : {}),
    ...(v.baseline !== undefined ? { baseline: v.baseline } : {}),
    ...(v['write-baseline'] !== undefined ? { writeBaseline: v['write-baseline'] } : {}),
    verbose: !!v.verbose,
    ci: !!v.ci,
    version: !!v.version,
    help: !!v.help,
  };
}

function orgOptions(command: Command, v: Record<string, string | boolean | string[] | undefined>): OrgOptions | undefined | string {
  const given = ['include-archived', 'include-forks', 'include', 'topic', 'concurrency', 'state', 'shard'].filter((k) => v[k] !== undefined);
  if (command !== 'org') return given.length ? `--${given[0]} goes with pipewarden org` : undefined;
  const concurrency = v.concurrency === undefined ? 4 : Number(v.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) return '--concurrency must be a whole number from 1 to 64';
  let shard: OrgOptions['shard'];
  if (typeof v.shard === 'string') {
    const m = /^(\d+)\/(\d+)$/.exec(v.shard);
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) return `--shard must be i/n with 0 <= i < n (e.g. 0/4), got ${v.shard}`;
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  return {
    includeArchived: !!v['include-archived'],
    includeForks: !!v['include-forks'],
    include: ((v.include as string[] | undefined) ?? []).flatMap(list),
    topics: ((v.topic as string[] | undefined) ?? []).flatMap(list),
    concurrency,
    ...(typeof v.state === 'string' ? { state: v.state } : {}),
    ...(shard ? { shard } : {}),
  };
}

function describeParseError(err: Error & { code?: string }): string {
  // Node's messages are good except for a missing value, which they word as an unknown type.
  const missing = /Option '(-\w, )?(--[\w-]+) <value>' argument missing/.exec(err.message);
  if (missing) return `${missing[2]} needs a value`;
  return err.message;
}

function list(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

/** Whether this run is for a person at a terminal (the interactive view) or for CI. */
export function isInteractive(config: CliConfig, io: { isTTY: boolean; env: NodeJS.ProcessEnv }): boolean {
  return io.isTTY && !io.env.CI && !config.ci && !config.formatGiven && config.output === undefined && config.command === 'audit' && !config.fix && config.patch === undefined && !config.dryRun && !config.writeBaseline;
}
