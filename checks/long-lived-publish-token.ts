import type { Check, CheckContext, StepSite } from '../src/check.js';
import { runsCommand, usesAction } from '../src/analysis/facts.js';
import { addMapEntry, indentUnit, replaceScalar } from '../src/edits/yaml-edit.js';
import { eolOf, lineEnd, lineStart } from '../src/edits/text.js';
import { expressionsIn, type Job, type Step, type StringValue, type Workflow } from '../src/model/workflow.js';
import { isMap, isScalar, type YamlFile } from '../src/model/yaml.js';
import type { Fix, SourceRange, TextEdit } from '../src/types.js';

interface Registry {
  name: string;
  /** The command that publishes, as a command word in a run script. */
  command: RegExp;
  /** Env vars that hand the command a stored token. */
  env: string[];
  /** A token passed on the command line. */
  flag?: RegExp;
  /** The command publishes somewhere else (a private index, GitHub Packages): no trusted publishing there. */
  elsewhere?: RegExp;
  how: string;
}

const REGISTRIES: Registry[] = [
  {
    name: 'npm',
    command: /\b(?:npm|pnpm)\s+(?:-\S+\s+)*publish\b|\byarn\s+npm\s+publish\b/,
    env: ['NODE_AUTH_TOKEN', 'NPM_TOKEN', 'NPM_AUTH_TOKEN'],
    elsewhere: /npm\.pkg\.github\.com|--registry[ =](?!https?:\/\/registry\.npmjs\.org)/,
    how: 'configure a trusted publisher for the package on npmjs.com and give the job `id-token: write` (npm ≥ 11.5.1)',
  },
  {
    name: 'PyPI',
    command: /\btwine\s+upload\b|\b(?:uv|poetry)\s+publish\b/,
    env: ['TWINE_PASSWORD', 'UV_PUBLISH_TOKEN', 'UV_PUBLISH_PASSWORD', 'POETRY_PYPI_TOKEN_PYPI', 'POETRY_HTTP_BASIC_PYPI_PASSWORD'],
    flag: /\s(?:-p|--password|--token)[ =]\S*\$\{\{\s*secrets\./,
    elsewhere: /--repository-url[ =](?!https:\/\/(?:test\.)?pypi\.org)|-r\s+(?!pypi\b|testpypi\b)\S+/,
    how: 'configure a trusted publisher on pypi.org and publish with pypa/gh-action-pypi-publish (or `uv publish --trusted-publishing always`) from a job with `id-token: write`',
  },
  {
    name: 'crates.io',
    command: /\bcargo\s+(?:\+\S+\s+)?publish\b/,
    env: ['CARGO_REGISTRY_TOKEN'],
    flag: /\s--token[ =]\S*\$\{\{\s*secrets\./,
    elsewhere: /--registry[ =]/,
    how: 'configure trusted publishing for the crate on crates.io and get a short-lived token with rust-lang/crates-io-auth-action from a job with `id-token: write`',
  },
  {
    name: 'RubyGems',
    command: /\bgem\s+push\b/,
    env: ['GEM_HOST_API_KEY'],
    elsewhere: /--host[ =](?!https:\/\/rubygems\.org)/,
    how: 'configure a trusted publisher on rubygems.org and publish with rubygems/release-gem (or rubygems/configure-rubygems-credentials) from a job with `id-token: write`',
  },
];

const PYPI_ACTION = 'pypa/gh-action-pypi-publish';

export const longLivedPublishToken: Check = {
  meta: {
    id: 'long-lived-publish-token',
    title: 'Package published with a stored token where trusted publishing is available',
    area: 'credentials',
    severity: 'medium',
    description:
      'npm, PyPI, crates.io or RubyGems publishing with a token kept in secrets (NPM_TOKEN/NODE_AUTH_TOKEN, gh-action-pypi-publish `password:`, TWINE_PASSWORD, CARGO_REGISTRY_TOKEN, GEM_HOST_API_KEY), and `npm publish` with a token but without `--provenance`.',
    why:
      'A stored publish token works from anywhere, for months, for every package its owner can publish: whoever reads it from a ' +
      'compromised step, a leaked log or a malicious dependency of the release job can publish a poisoned release (the 2025 npm ' +
      'worm spread through exactly such tokens). All four registries accept trusted publishing instead: the job proves itself with ' +
      'a GitHub OIDC token, minted for that run and that workflow only, and there is no secret to steal. `--provenance` ' +
      'additionally tells users which workflow built a package.',
    howToFix:
      'Register the workflow as a trusted publisher on the registry, give the publishing job `id-token: write`, drop the token ' +
      'input or env var, and revoke the token. For npm with a token, at least add `--provenance`.',
    example:
      '  permissions:\n+   id-token: write\n  steps:\n    - uses: pypa/gh-action-pypi-publish@<sha> # v1.12.4\n-     with:\n-       password: ${{ secrets.PYPI_TOKEN }}',
    fixable: true,
  },
  step(step, site, ctx) {
    if (!site.workflow || !site.job) return;
    const { workflow: wf, job } = site;
    if (usesAction(step, PYPI_ACTION)) {
      const path = ['jobs', job.id, 'steps', step.index];
      const password = step.with.get('password');
      const url = (step.with.get('repository-url') ?? step.with.get('repository_url'))?.value.trim() ?? '';
      if (!password || password.value.trim() === '' || (url && !/^https:\/\/(?:test\.)?(?:upload\.)?pypi\.org\b/.test(url))) return;
      ctx.report({
        file: wf.file,
        range: password.range,
        messageId: 'pypi-password',
        message: `${PYPI_ACTION} uploads with a stored API token; ${REGISTRIES[1]!.how}`,
        fix: () => pypiFix(wf, job, step, path),
      });
      return;
    }
    if (!step.run) return;
    // The env the step sees is merged only for a step that runs a publishing command (few do).
    let visible: Map<string, StringValue> | undefined;
    const script = step.run.value;
    for (const reg of REGISTRIES) {
      if (!runsCommand(script, reg.command)) continue;
      const env = (visible ??= visibleEnv(wf, job, step));
      const line = script.split('\n').find((l) => reg.command.test(l.replace(/(^|\s)#.*$/, '')))!;
      if (/--dry-run\b/.test(line) || (reg.elsewhere && reg.elsewhere.test(line))) continue;
      if (reg.name === 'npm' && publishesToGitHubPackages(job)) continue;
      const tokenVar = reg.env.find((name) => fromStoredSecret(wf.yaml, env.get(name)));
      const onCommandLine = reg.flag?.test(line) ?? false;
      const at = lineRange(site, step, line);
      if (tokenVar || onCommandLine) {
        ctx.report({
          file: wf.file,
          range: at,
          messageId: `${reg.name.toLowerCase().replace(/\W/g, '')}-token`,
          message: `publishes to ${reg.name} with a stored token (${tokenVar ? `\`${tokenVar}\` from secrets` : 'passed on the command line'}); ${reg.how}`,
        });
      }
      if (reg.name !== 'npm' || !/\bnpm\s+(?:-\S+\s+)*publish\b/.test(line) || /--provenance\b/.test(line)) continue;
      // With trusted publishing npm adds provenance by itself; with a token it needs asking.
      const oidcOnly = !tokenVar && hasIdTokenWrite(wf, job);
      if (oidcOnly || provenanceConfigured(ctx, env)) continue;
      ctx.report({
        file: wf.file,
        range: at,
        severity: 'low',
        messageId: 'npm-no-provenance',
        message: '`npm publish` without `--provenance`: users cannot tell which workflow built the package',
        fix: () => npmProvenanceFix(wf, job, step, line),
      });
    }
  },
};

function visibleEnv(wf: Workflow, job: Job, step: Step): Map<string, StringValue> {
  return new Map([...wf.env, ...job.env, ...step.env]);
}

/** A value read from a repository/organization secret (GITHUB_TOKEN is not stored). */
function fromStoredSecret(yaml: YamlFile, value: StringValue | undefined): boolean {
  if (!value) return false;
  return expressionsIn(yaml, value.node).some((e) => e.paths.some((p) => p.startsWith('secrets.') && p !== 'secrets.github_token'));
}

function publishesToGitHubPackages(job: Job): boolean {
  return job.steps.some((s) => usesAction(s, 'actions/setup-node') && /npm\.pkg\.github\.com/.test(s.with.get('registry-url')?.value ?? ''));
}

function provenanceConfigured(ctx: CheckContext, env: Map<string, StringValue>): boolean {
  if (env.get('NPM_CONFIG_PROVENANCE')?.value.trim().toLowerCase() === 'true') return true;
  const pkg = ctx.repo.file('package.json');
  if (!pkg) return false;
  try {
    const json = JSON.parse(pkg.text) as { publishConfig?: { provenance?: unknown } };
    return json.publishConfig?.provenance === true;
  } catch {
    return false;
  }
}

function hasIdTokenWrite(wf: Workflow, job: Job): boolean {
  const perms = job.permissions ?? wf.permissions;
  return !!perms && (perms.kind === 'write-all' || perms.scopes.some((s) => s.scope === 'id-token' && s.level === 'write'));
}

function lineRange(site: StepSite, step: Step, line: string): SourceRange {
  const run = step.run!;
  const trimmed = line.trim();
  const at = site.yaml.text.slice(run.range.start, run.range.end).indexOf(trimmed);
  return at === -1 ? run.range : site.yaml.rangeOf(run.range.start + at, run.range.start + at + trimmed.length);
}

/** Drops `password:` (and a `user: __token__`) from the step and grants the job `id-token: write`. */
function pypiFix(wf: Workflow, job: Job, step: Step, path: Array<string | number>): Fix | { refused: string } {
  const { yaml } = wf;
  if (!step.withNode || step.withNode.flow) return { refused: 'the step\'s `with:` is not a block map' };
  const perms = idTokenEdit(wf, job);
  if ('refused' in perms) return perms;
  const drop = ['password', ...(step.with.get('user')?.value.trim() === '__token__' ? ['user'] : [])];
  const remaining = yaml.entries(step.withNode).filter((e) => !drop.includes(e.key));
  const edits: TextEdit[] = [...perms.edits];
  const changes: Fix['changes'] = [...perms.changes];
  if (remaining.length === 0) {
    const entry = yaml.entry(step.node, 'with')!;
    edits.push(removeLines(yaml, entry.keyNode.range![0], step.withNode.range![1]));
    changes.push({ file: wf.file, path: [...path, 'with'] });
  } else {
    for (const key of drop) {
      const e = yaml.entry(step.withNode, key)!;
      if (!isScalar(e.value) || e.value.type === 'BLOCK_LITERAL' || e.value.type === 'BLOCK_FOLDED') return { refused: `\`${key}:\` is not a one-line value` };
      edits.push(removeLines(yaml, e.keyNode.range![0], e.value.range![1]));
      changes.push({ file: wf.file, path: [...path, 'with', key] });
    }
  }
  return { title: 'Publish to PyPI with trusted publishing (OIDC) instead of a stored token', safety: 'unsafe', edits, newFiles: [], changes };
}

/** Adds `--provenance` right after `npm publish` and grants the job `id-token: write`. */
function npmProvenanceFix(wf: Workflow, job: Job, step: Step, line: string): Fix | { refused: string } {
  const run = step.run!;
  const source = wf.yaml.text.slice(run.range.start, run.range.end);
  const lineAt = source.indexOf(line.trim());
  if (lineAt === -1) return { refused: 'the command is not written verbatim in the file' };
  const m = /\bnpm\s+(?:-\S+\s+)*publish\b/.exec(line.trim())!;
  const perms = idTokenEdit(wf, job);
  if ('refused' in perms) return perms;
  const at = run.range.start + lineAt + m.index + m[0].length;
  return {
    title: 'Publish with npm provenance',
    safety: 'unsafe',
    edits: [{ file: wf.file, start: at, end: at, text: ' --provenance' }, ...perms.edits],
    newFiles: [],
    changes: [{ file: wf.file, path: ['jobs', job.id, 'steps', step.index, 'run'] }, ...perms.changes],
  };
}

/**
 * `id-token: write` for the job: added to (or raised in) its permissions map, or a job block
 * copying the workflow's scopes plus id-token. Refused when the job's token permissions are
 * the repository default, which pipewarden cannot see.
 */
function idTokenEdit(wf: Workflow, job: Job): { edits: TextEdit[]; changes: Fix['changes'] } | { refused: string } {
  const { yaml } = wf;
  const path = ['jobs', job.id, 'permissions'];
  if (job.permissions) {
    const value = yaml.get(job.node, 'permissions');
    const existing = job.permissions.scopes.find((s) => s.scope === 'id-token');
    if (existing?.level === 'write' || job.permissions.kind === 'write-all') return { edits: [], changes: [] };
    if (!isMap(value)) return { refused: 'the job\'s `permissions:` is not a map' };
    if (existing) {
      const node = yaml.get(value, 'id-token');
      if (!isScalar(node)) return { refused: '`id-token:` is not a plain value' };
      return { edits: [replaceScalar(yaml, node, 'write')], changes: [{ file: wf.file, path: [...path, 'id-token'] }] };
    }
    if (value.items.length === 0 && !value.flow) return { refused: 'the job\'s `permissions:` is empty in a form the edit cannot extend' };
    return { edits: [addMapEntry(yaml, value, 'id-token', 'write')], changes: [{ file: wf.file, path: [...path, 'id-token'] }] };
  }
  if (!wf.permissions || wf.permissions.kind !== 'map') return { refused: 'the job runs with the repository\'s default token permissions; add `id-token: write` with the scopes it needs by hand' };
  const steps = yaml.entry(job.node, 'steps');
  if (!steps || job.node.flow) return { refused: 'the job has no block `steps:` to put permissions before' };
  const text = yaml.text;
  const at = lineStart(text, steps.keyNode.range![0]);
  const pad = text.slice(at, steps.keyNode.range![0]);
  if (pad.trim() !== '') return { refused: 'the job\'s keys do not start their lines' };
  const unit = ' '.repeat(indentUnit(yaml));
  const eol = eolOf(text);
  const scopes = [...wf.permissions.scopes.filter((s) => s.scope !== 'id-token').map((s) => `${s.scope}: ${s.level}`), 'id-token: write'];
  const block = `${pad}permissions:${eol}${scopes.map((s) => `${pad}${unit}${s}${eol}`).join('')}`;
  return { edits: [{ file: wf.file, start: at, end: at, text: block }], changes: [{ file: wf.file, path }] };
}

/** Removes whole lines from the one holding `start` through the one holding `end - 1`. */
function removeLines(yaml: YamlFile, start: number, end: number): TextEdit {
  const text = yaml.text;
  const from = lineStart(text, start);
  const last = lineEnd(text, Math.max(start, end - 1));
  const to = last < text.length ? last + 1 : last;
  return { file: yaml.path, start: from, end: to, text: '' };
}
