/** The built command end to end: exit codes, formats, remote targets cloned from a local bare repository. */
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/repo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/pipewarden.js');
const GAPPY = path.join(ROOT, 'test/fixtures/gappy-repo');
const CLEAN = path.join(ROOT, 'test/fixtures/clean-repo');

function pipewarden(args: string[], env: Record<string, string> = {}) {
  return execa('node', [BIN, ...args], { reject: false, env: { CI: 'true', GH_TOKEN: '', GITHUB_TOKEN: '', ...env }, stdin: 'ignore' });
}

async function git(cwd: string, ...args: string[]) {
  return execa('git', args, { cwd, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

/** A bare repository holding the gappy fixture on main and a tag, standing in for a remote. */
async function bareRemote(): Promise<string> {
  const work = await tempDir();
  await execa('cp', ['-r', `${GAPPY}/.`, work]);
  await git(work, 'init', '-q', '-b', 'main');
  await git(work, 'add', '-A');
  await git(work, 'commit', '-qm', 'init');
  await git(work, 'tag', 'v1.0.0');
  const bare = path.join(await tempDir(), 'gappy-org', 'gappy.git');
  await mkdir(path.dirname(bare), { recursive: true });
  await git(work, 'clone', '-q', '--bare', work, bare);
  return bare;
}

describe('pipewarden CLI', () => {
  it('exits 1 when findings reach --fail-on, 0 when they do not', async () => {
    const high = await pipewarden([GAPPY, '--repo', 'gappy-org/gappy']);
    expect(high.exitCode).toBe(1);
    expect(high.stdout).toContain('critical');
    const none = await pipewarden([GAPPY, '--fail-on', 'none']);
    expect(none.exitCode).toBe(0);
    const clean = await pipewarden([CLEAN, '--fail-on', 'low']);
    expect(clean.stdout).toContain('no findings');
    expect(clean.exitCode).toBe(0);
  });

  it('exits 2 on usage errors', async () => {
    expect((await pipewarden(['--format', 'xml'])).exitCode).toBe(2);
    expect((await pipewarden(['--checks', 'no-such-check'])).exitCode).toBe(2);
    expect((await pipewarden(['--bogus'])).exitCode).toBe(2);
    expect((await pipewarden(['--fail-on', 'severe'])).exitCode).toBe(2);
    expect((await pipewarden(['explain', 'nope'])).exitCode).toBe(2);
  });

  it('exits 3 with one clear line when the target cannot be audited', async () => {
    const missing = await pipewarden(['file:///nonexistent/repo.git']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^pipewarden: could not clone file:\/\/\/nonexistent\/repo\.git: /);
    const notATarget = await pipewarden(['./does/not/exist/anywhere']);
    expect(notATarget.exitCode).toBe(3);
  });

  it('--checks and --skip select checks; JSON goes to -o FILE', async () => {
    const out = path.join(await tempDir(), 'r.json');
    const run = await pipewarden([GAPPY, '--format', 'json', '-o', out, '--checks', 'unpinned-uses,persist-credentials', '--skip', 'persist-credentials', '--fail-on', 'none']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(new Set(doc.findings.map((f: { check: string }) => f.check))).toEqual(new Set(['unpinned-uses']));
  });

  it('clones a git URL shallowly at a ref, with hooks off, takes the identity from --repo (a file:// path invents none), and removes the clone', async () => {
    const bare = await bareRemote();
    // A global hook that would leave a marker if git ran hooks during the clone.
    const home = await tempDir();
    const hooks = path.join(home, 'hooks');
    await mkdir(hooks);
    const marker = path.join(home, 'hook-ran');
    await writeFile(path.join(hooks, 'post-checkout'), `#!/bin/sh\ntouch ${marker}\n`);
    await chmod(path.join(hooks, 'post-checkout'), 0o755);
    await writeFile(path.join(home, '.gitconfig'), `[core]\n\thooksPath = ${hooks}\n`);
    const keep = path.join(await tempDir(), 'clone');
    const run = await pipewarden([`file://${bare}`, '--ref', 'v1.0.0', '--keep-clone', keep, '--repo', 'gappy-org/gappy', '--format', 'json', '--fail-on', 'none'], { HOME: home });
    // Nothing but the one note that the remote checks need a token.
    expect(run.stderr).toBe('pipewarden: remote checks skipped: no GitHub token (--token, GH_TOKEN, GITHUB_TOKEN or gh auth login)');
    const doc = JSON.parse(run.stdout);
    expect(doc.repository).toBe('gappy-org/gappy');
    expect(doc.repositorySource).toBe('--repo');
    expect(doc.findings.filter((f: { check: string }) => f.check === 'mutable-internal-ref')).toHaveLength(2);
    await expect(stat(marker)).rejects.toThrow();
    const shallow = await git(keep, 'rev-parse', '--is-shallow-repository');
    expect(shallow.stdout).toBe('true');
    // Without --keep-clone the temporary clone is gone afterwards.
    const tmp = await tempDir();
    const again = await pipewarden([`file://${bare}`, '--fail-on', 'none'], { HOME: home, TMPDIR: tmp });
    expect(again.exitCode).toBe(0);
    // No identity from a file:// path: the report says so, and what changes without it.
    expect(again.stderr).toContain("the repository's GitHub identity is not known (no --repo, no GitHub origin remote): references to its own actions are judged as third-party ones; pass --repo owner/name");
    expect(again.stdout).toMatch(/^pipewarden: file:\/\//);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('takes the identity from the origin remote of a local checkout', async () => {
    const dir = await tempDir();
    await execa('cp', ['-r', `${GAPPY}/.`, dir]);
    await git(dir, 'init', '-q');
    await git(dir, 'remote', 'add', 'origin', 'https://github.com/gappy-org/gappy.git');
    const run = await pipewarden([dir, '--format', 'json', '--fail-on', 'none']);
    expect(JSON.parse(run.stdout).repository).toBe('gappy-org/gappy');
  });

  it('pipewarden secrets prints the credential map; JSON carries it too', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, '.github/workflows'), { recursive: true });
    await writeFile(
      path.join(dir, '.github/workflows/ci.yml'),
      'on: [push, issue_comment]\njobs:\n  deploy:\n    runs-on: x\n    environment: prod\n    steps:\n      - run: ./deploy\n        env: {KEY: "${{ secrets.DEPLOY_KEY }}"}\n',
    );
    const text = await pipewarden(['secrets', dir]);
    expect(text.stdout).toMatch(/^DEPLOY_KEY\s+\.github\/workflows\/ci\.yml:8\s+deploy step 1\s+push, issue_comment!\s+prod$/m);
    const json = JSON.parse((await pipewarden([dir, '--format', 'json', '--fail-on', 'none'])).stdout);
    expect(json.secrets).toEqual([
      { secret: 'DEPLOY_KEY', file: '.github/workflows/ci.yml', job: 'deploy', step: 1, line: 8, triggers: ['push', 'issue_comment'], untrustedTriggers: ['issue_comment'], environment: 'prod' },
    ]);
  });

  it('lists and explains checks', async () => {
    const list = await pipewarden(['checks']);
    expect(list.stdout).toMatch(/^template-injection\s+injection\s+high\s+yes/m);
    const explain = await pipewarden(['explain', 'persist-credentials']);
    expect(explain.stdout).toContain('Why it matters');
    expect(explain.stdout).toContain('persist-credentials: false');
  });

  it('the project passes its own audit with nothing at medium or above', async () => {
    const run = await pipewarden([ROOT, '--repo', 'pipewarden/pipewarden', '--exclude', 'examples,test/fixtures', '--fail-on', 'medium']);
    expect(run.stdout).toContain('4 workflows');
    expect(run.exitCode).toBe(0);
  });

  it('polish: help per command, JSON for checks and explain, clear errors for missing values, --fix=x, -o into a missing directory, --exclude that matches nothing, ambiguous targets', async () => {
    const help = await pipewarden(['help', 'secrets']);
    expect(help.stdout).toContain('pipewarden secrets [target]');
    expect((await pipewarden(['help', 'nope'])).exitCode).toBe(2);
    const checks = JSON.parse((await pipewarden(['checks', '--format', 'json'])).stdout);
    expect(checks.find((c: { id: string }) => c.id === 'template-injection')).toMatchObject({ area: 'injection', fixable: true });
    expect(JSON.parse((await pipewarden(['explain', 'persist-credentials', '--format', 'json'])).stdout).title).toBe('actions/checkout leaves the token in .git/config');
    const missing = await pipewarden([GAPPY, '--fail-on']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('--fail-on needs a value');
    const fixValue = await pipewarden([GAPPY, '--fix=safe']);
    expect(fixValue.exitCode).toBe(2);
    expect(fixValue.stderr).toContain('--fix=safe: --fix takes no value except --fix=all');
    const out = await pipewarden([GAPPY, '-o', '/nonexistent-dir/x/report.txt', '--fail-on', 'none']);
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toContain('cannot write /nonexistent-dir/x/report.txt: the directory /nonexistent-dir/x does not exist');
    const exclude = await pipewarden([GAPPY, '--exclude', 'no/such/dir', '--fail-on', 'none', '--repo', 'gappy-org/gappy']);
    expect(exclude.stderr).toContain('--exclude no/such/dir matches nothing');
    const cwd = await tempDir();
    const ambiguous = await execa('node', [BIN, 'repos/grafana_loki', '--offline'], { cwd, reject: false, env: { CI: 'true' } });
    expect(ambiguous.stderr).toContain('--offline makes no network requests, so repos/grafana_loki cannot be cloned from GitHub');
    const stand = await execa('node', [BIN, 'repos/grafana_loki', '--github-url', 'http://127.0.0.1:1'], { cwd, reject: false, env: { CI: 'true', GH_TOKEN: '' } });
    expect(stand.stderr).toContain('repos/grafana_loki is not a directory here, so it is read as the GitHub repository repos/grafana_loki (cloning http://127.0.0.1:1/repos/grafana_loki.git)');
    expect(stand.exitCode).toBe(3);
  });

  it('--version and --help', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
    expect((await pipewarden(['--version'])).stdout.trim()).toBe(pkg.version);
    expect((await pipewarden(['--help'])).stdout).toContain('Exit codes');
  });
});
