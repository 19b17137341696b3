/**
 * Command-line entry. The CI path (everything here) never imports Ink or React; the
 * interactive views are loaded lazily, only when a person is at a terminal.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Check } from './audit/check.js';
import type { AuditReport } from './audit/report.js';
import { atLeast, SEVERITIES, type Severity } from './types.js';
import { VERSION } from './version.js';

export const EXIT = { ok: 0, findings: 1, usage: 2, cannotRun: 3 } as const;

const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `pipewarden ${VERSION}: audit a repository's CI/CD supply-chain security

Usage:
  pipewarden [target] [options]     audit a directory (default .), owner/repo, or a git URL
  pipewarden secrets [target]       the credential map: each secret, where, reachable by what
  pipewarden checks                 list the checks
  pipewarden explain <check-id>     why a check matters and how to fix it

Options:
  --format text|json|sarif|github|markdown   output format (default text)
  -o, --output FILE          write the report to FILE instead of stdout
  --fail-on LEVEL            critical|high|medium|low|none (default high)
  --checks a,b               run only these checks
  --skip a,b                 do not run these checks
  --exclude a,b              repository paths not to audit (fixtures, examples)
  --repo owner/name          the repository's identity (else from the target or origin)
  --ref REF                  branch or tag to clone (remote targets)
  --keep-clone DIR           clone into DIR and keep it
  --offline                  make no network requests
  --fix                      apply safe fixes to the working tree (--fix=all: unsafe ones too)
  --patch FILE               write the fixes as a unified diff (- for stdout) that git apply accepts
  --dry-run                  print the fixes' diff; change nothing
  --token TOKEN              GitHub token for pin look-ups (else GH_TOKEN, GITHUB_TOKEN, gh auth token)
  --github-url URL           GitHub Enterprise Server (API under /api/v3) or a stand-in
  --export-pins FILE         write the resolved pins (a lock file) to FILE
  --import-pins FILE         use the pins in FILE (with --offline: only those and the cache)
  --owner @org/team          owner for a new CODEOWNERS rule (default: the file's default owner)
  --force                    also fix files that have uncommitted changes
  --go                       also run \`go mod verify\` locally, network off
  --ci                       non-interactive (also when CI is set or stdout is not a TTY)
  -v, --version              print the version
  -h, --help                 this help

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage or configuration error, 3 the audit could not run.
`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
});

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  // `--fix=all` is the one option with an optional value; give it a name parseArgs can take.
  argv = argv.map((a) => (a === '--fix=all' ? '--fix-all' : a));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string' },
        checks: { type: 'string' },
        skip: { type: 'string' },
        exclude: { type: 'string', multiple: true },
        repo: { type: 'string' },
        ref: { type: 'string' },
        'keep-clone': { type: 'string' },
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
        ci: { type: 'boolean' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr(`pipewarden: ${(err as Error).message}\nRun pipewarden --help for usage.\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  // Loaded only now so that --version and --help start without parsing any of the engine.
  const { CHECKS, findCheck } = await import('./registry.js');
  if (positionals[0] === 'checks') return listChecks(CHECKS, io);
  if (positionals[0] === 'explain') return explain(findCheck, positionals[1], io);
  const secretsOnly = positionals[0] === 'secrets';
  if (secretsOnly) positionals.shift();
  if (positionals.length > 1) return usage(io, `expected one target, got ${positionals.length}`);

  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) return usage(io, `--format must be one of ${FORMATS.join(', ')}`);
  const failOn = values['fail-on'] ?? 'high';
  if (failOn !== 'none' && !SEVERITIES.includes(failOn as Severity)) return usage(io, '--fail-on must be critical, high, medium, low or none');
  const { selectChecks } = await import('./audit/runner.js');
  const selected = selectChecks(CHECKS, list(values.checks), list(values.skip));
  if ('unknown' in selected) return usage(io, `unknown check id: ${selected.unknown.join(', ')} (see pipewarden checks)`);

  const { resolveTarget, TargetError } = await import('./loader/target.js');
  const { auditDirectory } = await import('./audit/audit.js');
  let target;
  try {
    target = await resolveTarget(positionals[0] ?? '.', {
      ...(values.ref ? { ref: values.ref } : {}),
      ...(values['keep-clone'] ? { keepClone: values['keep-clone'] } : {}),
      ...(values.repo ? { repo: values.repo } : {}),
    });
  } catch (err) {
    if (err instanceof TargetError) {
      io.stderr(`pipewarden: ${err.message}\n`);
      return err.message.startsWith('--repo') ? EXIT.usage : EXIT.cannotRun;
    }
    throw err;
  }
  try {
    const fixing = !!(values.fix || values['fix-all'] || values.patch !== undefined || values['dry-run']);
    // Only fixing reaches GitHub; JSON output shows pin fixes from the cache alone.
    const pins = fixing || format === 'json' || values['export-pins'] ? await openPins({ ...values, offline: !!values.offline || !fixing }, io.env) : undefined;
    const auditOpts = {
      ...(pins ? { resolver: pins.resolver } : {}),
      label: target.label,
      ...(target.identity ? { identity: target.identity } : {}),
      exclude: (values.exclude ?? []).flatMap((e) => list(e) ?? []),
      ...(values.owner ? { owner: values.owner } : {}),
    };
    if (fixing) {
      const { runFixes, fixSummary } = await import('./fix/run.js');
      const write = !!(values.fix || values['fix-all']);
      const result = await runFixes(
        target.dir,
        {
          ...auditOpts,
          checks: selected,
          include: values['fix-all'] ? 'all' : 'safe',
          write,
          force: !!values.force,
          dryRun: !!values['dry-run'],
          ...(values.patch !== undefined ? { patch: values.patch } : {}),
        },
        io.stdout,
      );
      io.stderr(fixSummary(result, write && !values['dry-run']));
      if (values.patch === '-' || values['dry-run']) {
        await pins?.close();
        return EXIT.ok;
      }
    }
    const { report, model } = await auditDirectory(target.dir, { ...auditOpts, checks: selected, go: !!values.go });
    if (format === 'json') {
      const { fixDiff } = await import('./fix/preview.js');
      for (const f of report.findings) if (f.fix) f.fix = { ...f.fix, diff: fixDiff(model, f.fix) };
    }
    await pins?.close();
    const color = !values.output && io.isTTY && !io.env.NO_COLOR;
    const rendered = secretsOnly
      ? format === 'json'
        ? JSON.stringify(report.secrets, null, 2) + '\n'
        : (await import('./reporters/secrets.js')).renderCredentialMap(report.secrets)
      : await render(report, format, color);
    if (secretsOnly) {
      if (values.output) await writeFile(values.output, rendered);
      else io.stdout(rendered);
      return EXIT.ok;
    }
    if (values.output) await writeFile(values.output, rendered);
    else io.stdout(rendered);
    if (failOn === 'none') return EXIT.ok;
    return report.findings.some((f) => atLeast(f.severity, failOn as Severity)) ? EXIT.findings : EXIT.ok;
  } finally {
    await target.cleanup();
  }
}

async function render(report: AuditReport, format: Format, color: boolean): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('./reporters/json.js')).renderJson(report);
    case 'sarif':
      return (await import('./reporters/sarif.js')).renderSarif(report);
    case 'github':
      return (await import('./reporters/github.js')).renderGithub(report);
    case 'markdown':
      return (await import('./reporters/markdown.js')).renderMarkdown(report);
    default:
      return (await import('./reporters/text.js')).renderText(report, color);
  }
}

function list(s: string | undefined): string[] | undefined {
  return s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean);
}

function usage(io: Io, message: string): number {
  io.stderr(`pipewarden: ${message}\nRun pipewarden --help for usage.\n`);
  return EXIT.usage;
}

function listChecks(CHECKS: readonly Check[], io: Io): number {
  const rows = CHECKS.map((c) => [c.meta.id, c.meta.area, c.meta.severity, c.meta.fixable ? 'yes' : 'no', c.meta.title]);
  const header = ['ID', 'AREA', 'SEVERITY', 'FIXABLE', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  io.stdout([fmt(header), ...rows.map(fmt)].join('\n') + '\n');
  return EXIT.ok;
}

function explain(findCheck: (id: string) => Check | undefined, id: string | undefined, io: Io): number {
  const check = id ? findCheck(id) : undefined;
  if (!check) return usage(io, id ? `unknown check id: ${id} (see pipewarden checks)` : 'explain needs a check id');
  const m = check.meta;
  io.stdout(
    `${m.id}: ${m.title}\n` +
      `area: ${m.area}   default severity: ${m.severity}   fixable: ${m.fixable ? 'yes' : 'no'}\n\n` +
      `What it finds\n  ${m.description}\n\nWhy it matters\n  ${m.why}\n\nHow to fix\n  ${m.howToFix}\n\nExample\n${indent(m.example)}\n`,
  );
  return EXIT.ok;
}

function indent(s: string): string {
  return s.split('\n').map((l) => `  ${l}`).join('\n');
}

/**
 * The pin resolver for this run: the on-disk cache (plus an imported lock file), GitHub
 * only when not --offline. close() saves what was looked up and writes --export-pins.
 */
async function openPins(values: { offline?: boolean; token?: string; 'github-url'?: string; 'export-pins'?: string; 'import-pins'?: string }, env: NodeJS.ProcessEnv) {
  const { Resolver, defaultCachePath, loadCache, saveCache } = await import('./github/resolve.js');
  const { createClient, findToken } = await import('./github/client.js');
  const cacheFile = defaultCachePath(env);
  const cache = await loadCache(cacheFile);
  if (values['import-pins']) Object.assign(cache.entries, (await loadCache(values['import-pins'])).entries);
  const offline = !!values.offline;
  const client = offline ? undefined : createClient({ token: await findToken(values.token, env), ...(values['github-url'] ? { githubUrl: values['github-url'] } : {}) });
  const resolver = new Resolver(client, cache, { offline });
  return {
    resolver,
    async close(): Promise<void> {
      if (resolver.lookups > 0) await saveCache(cacheFile, cache).catch(() => {});
      if (values['export-pins']) await saveCache(values['export-pins'], cache);
    },
  };
}
