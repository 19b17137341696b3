/** `pipewarden checks`, `pipewarden explain <id>` and `pipewarden help [command]`. */
import type { Check } from '../../check.js';
import { VERSION } from '../../version.js';
import { EXIT, usage, type Io } from '../io.js';
import type { CliConfig } from '../options.js';

export function listChecks(checks: readonly Check[], config: CliConfig, io: Io): number {
  if (config.format === 'json') {
    io.stdout(JSON.stringify(checks.map((c) => ({ ...c.meta })), null, 2) + '\n');
    return EXIT.ok;
  }
  const rows = checks.map((c) => [c.meta.id, c.meta.area, c.meta.severity, c.meta.fixable ? 'yes' : 'no', c.meta.title]);
  const header = ['ID', 'AREA', 'SEVERITY', 'FIXABLE', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  io.stdout([fmt(header), ...rows.map(fmt)].join('\n') + '\n');
  return EXIT.ok;
}

export function explain(checks: readonly Check[], config: CliConfig, io: Io): number {
  const id = config.target;
  const check = id ? checks.find((c) => c.meta.id === id) : undefined;
  if (!check) return usage(io, id ? `unknown check id: ${id} (see pipewarden checks)` : 'explain needs a check id');
  const m = check.meta;
  if (config.format === 'json') {
    io.stdout(JSON.stringify({ ...m }, null, 2) + '\n');
    return EXIT.ok;
  }
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

export const HELP = `pipewarden ${VERSION}: audit a repository's CI/CD supply-chain security

Usage:
  pipewarden [target] [options]     audit a directory (default .), owner/repo, or a git URL
  pipewarden secrets [target]       the credential map: each secret, where, reachable by what
  pipewarden checks                 list the checks (--format json for data)
  pipewarden explain <check-id>     why a check matters and how to fix it (--format json)
  pipewarden help [command]         this help, or one command's
  pipewarden org <org>              audit every repository of an organisation (see help org)
  pipewarden merge shard-*.json     merge the shard reports of \`org --shard\` into one

At a terminal (stdout a TTY, CI unset, no --ci/--format/-o) the audit opens the interactive
view; everywhere else it prints a report.

Options:
  --format text|json|sarif|github|markdown|html   output format (default text)
  -o, --output FILE          write the report to FILE instead of stdout
  --fail-on LEVEL            critical|high|medium|low|none (default high)
  --checks a,b               run only these checks
  --skip a,b                 do not run these checks
  --exclude a,b              repository paths not to audit (fixtures, examples)
  --config FILE              use FILE instead of the repository's .pipewarden.yml
  --baseline FILE            findings in FILE are reported but do not count toward --fail-on
  --write-baseline FILE      write the current findings' fingerprints to FILE
  --verbose                  show each finding's remediation in the text report
  --repo owner/name          the repository's identity (else from the target or origin)
  --ref REF                  branch or tag to clone (remote targets)
  --keep-clone DIR           clone into DIR and keep it
  --clone-timeout SECONDS    give up a clone after SECONDS (default 300)
  --threads N                worker threads besides the main one (default: one per core beyond the first
                             for 5,000+ workflows, else none; 0: none)
  --offline                  make no network requests
  --fix                      apply safe fixes to the working tree (--fix=all: unsafe ones too)
  --pr                       with --fix: also open a remediation pull request (a remote target's --fix always does)
  --pr-split area|check      one pull request per area or per check
  --draft                    open the pull requests as drafts
  --patch FILE               write the fixes as a unified diff (- for stdout); never edits files
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

Exit codes: 0 nothing at or above --fail-on (baseline findings aside), 1 findings at or
above it, 2 usage or configuration error, 3 the audit could not run or found nothing to audit.
`;

const COMMAND_HELP: Record<string, string> = {
  audit: 'pipewarden [audit] [target] [options]\n  Audit a directory, owner/repo or git URL. See pipewarden --help for the options.\n',
  secrets: 'pipewarden secrets [target] [--format json] [-o FILE]\n  The credential map: every secret a workflow reads, the job and step, its environment, and which triggers (untrusted ones marked) reach it.\n',
  checks: 'pipewarden checks [--format json]\n  Every check with its area, default severity and whether it can fix what it finds.\n',
  explain: 'pipewarden explain <check-id> [--format json]\n  What a check finds, why it matters, how to fix it by hand, and an example.\n',
  help: 'pipewarden help [command]\n  General help, or one command\'s.\n',
  org: `pipewarden org <org> [options]
  Lists the organisation's repositories through the API, clones each shallowly and audits it,
  a few at a time; prints a repository-by-area matrix with severity totals and failures.
  --include GLOB, --exclude GLOB   repository names to take / leave out (gitignore globs)
  --include-archived, --include-forks   archived repositories and forks are skipped otherwise
  --topic T                  only repositories with topic T (repeatable: all of them)
  --concurrency N            repositories audited at once (default 4)
  --shard i/n                audit only shard i of n (0 <= i < n); merge the JSON reports after
  --state FILE               resume file: written after each repository; a rerun skips those done
  --format text|json|csv|markdown|html, -o FILE, --fail-on LEVEL, --checks, --skip, --github-url
  --fix [--pr-split area|check] [--draft]   one remediation pull request per repository
  Exit codes: 1 a finding at or above --fail-on in any repository, 3 every repository failed.
`,
  merge: `pipewarden merge shard-*.json [--format text|json|csv|markdown|html] [-o FILE] [--fail-on LEVEL]
  Merges the JSON reports of \`pipewarden org --shard i/n\` (every shard exactly once) into the
  report one unsharded run gives. Exit codes as for org.
`,
};

export function help(config: CliConfig, io: Io): number {
  const topic = config.target;
  if (!topic) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const text = COMMAND_HELP[topic];
  if (!text) return usage(io, `no such command: ${topic} (commands: ${Object.keys(COMMAND_HELP).join(', ')})`);
  io.stdout(text);
  return EXIT.ok;
}
