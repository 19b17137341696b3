import type { Check } from '../src/check.js';
import { actionName, runsCommand } from '../src/analysis/facts.js';
import { goWorkflow } from '../src/edits/new-workflows.js';
import { eolOf, lineStart } from '../src/edits/text.js';
import type { RepoModel } from '../src/model/repo.js';
import { isMap, scalarText, type Node, type YamlFile } from '../src/model/yaml.js';
import { goModFiles, moduleDirs, moduleLine, runsTool } from '../src/analysis/repo-facts.js';
import type { Fix } from '../src/types.js';

export const noGoModVerify: Check = {
  meta: {
    id: 'no-go-mod-verify',
    title: 'Go module downloads not verified in CI',
    area: 'go',
    severity: 'medium',
    description: 'No workflow runs `go mod verify`; high when a vendor/ directory is committed.',
    why:
      '`go mod verify` checks that the modules in the cache (or vendor/) still hash to what go.sum recorded. Vendored code in ' +
      'particular is reviewed by nobody: a pull request can change a file under vendor/ and CI builds it unless something compares ' +
      'it with go.sum.',
    howToFix: 'Run `go mod verify` (and, with vendoring, `go mod vendor && git diff --exit-code vendor/`) in the workflow that builds the module.',
    example: '- run: go mod verify',
    fixable: true,
  },
  run({ repo, report }) {
    const mods = goModFiles(repo);
    if (mods.length === 0 || runsTool(repo, undefined, /\bgo\s+mod\s+verify\b/)) return;
    const root = mods[0]!;
    const vendored = repo.vendorDirs.length > 0;
    report({
      file: root.path,
      range: moduleLine(root),
      severity: vendored ? 'high' : 'medium',
      messageId: 'absent',
      message: vendored
        ? `no workflow runs \`go mod verify\`, and ${repo.vendorDirs.map((d) => `${d}/`).join(', ')} is committed unverified`
        : 'no workflow runs `go mod verify`',
      fix: verifyFix(repo, mods),
    });
  },
};

/** Joins workspace-relative path parts, normalising `./` and trailing slashes ('' for the workspace root). */
function joinDir(...parts: Array<string | undefined>): string {
  return parts
    .filter((p): p is string => !!p)
    .flatMap((p) => p.split('/'))
    .filter((seg) => seg !== '' && seg !== '.')
    .join('/');
}

/**
 * Adds `- run: go mod verify` before the first step that builds or tests a module of this
 * repository, in a job whose checkout of this repository (its `path:`) and working directory
 * (`working-directory:`, `defaults.run.working-directory`) hold that module's go.mod. Matrix
 * jobs are passed over (every leg would verify again); when no other job builds a module, a
 * workflow of its own.
 */
function verifyFix(repo: RepoModel, mods: Array<{ path: string }>): Fix {
  const moduleDirsSet = new Set(mods.map((m) => (m.path.includes('/') ? m.path.slice(0, m.path.lastIndexOf('/')) : '')));
  for (const wf of repo.workflows) {
    for (const job of wf.jobs) {
      // The model's plain fields first: a job that checks nothing out or builds no Go is passed
      // over without reading its YAML (in a parallel audit that would parse its file again).
      if (job.matrix) continue;
      const checkout = job.steps.find((s) => actionName(s) === 'actions/checkout');
      if (!checkout) continue;
      const builds = job.steps.filter((s) => s.index > checkout.index && s.run && runsCommand(s.run.value, /\bgo\s+(?:build|test|vet|install)\b/));
      if (builds.length === 0) continue;
      const other = checkout.with.get('repository')?.value.trim();
      if (other && !(repo.identity && other.toLowerCase() === `${repo.identity.owner}/${repo.identity.name}`.toLowerCase()) && other !== '${{ github.repository }}') continue;
      const checkoutPath = checkout.with.get('path')?.value.trim();
      if (checkoutPath?.includes('${{')) continue;
      const jobDefault = defaultWorkingDirectory(wf.yaml, job.node) ?? defaultWorkingDirectory(wf.yaml, wf.yaml.root);
      for (const step of builds) {
        if (!step.run) continue;
        const stepDir = scalarText(wf.yaml.get(step.node, 'working-directory'));
        const wd = stepDir ?? jobDefault;
        if (wd?.includes('${{')) continue;
        // The directory the command runs in, relative to the workspace, and then to this repository's checkout.
        const ws = joinDir(wd);
        const base = joinDir(checkoutPath);
        if (base && ws !== base && !ws.startsWith(`${base}/`)) continue;
        const inRepo = base ? ws.slice(base.length).replace(/^\//, '') : ws;
        // Go finds the module by walking up from the working directory to the nearest go.mod.
        if (enclosingModule(moduleDirsSet, inRepo) === undefined) continue;
        const text = wf.yaml.text;
        const start = lineStart(text, step.range.start);
        const prefix = text.slice(start, step.range.start);
        if (!/^[ ]*-[ ]+$/.test(prefix)) continue;
        const dash = prefix.slice(0, prefix.indexOf('-'));
        const pad = ' '.repeat(prefix.length);
        const eol = eolOf(text);
        const lines = [`${dash}- run: go mod verify`, ...(stepDir ? [`${pad}working-directory: ${stepDir}`] : [])];
        return {
          title: `Run go mod verify in job \`${job.id}\` of ${wf.file}, before \`${step.run.value.split('\n')[0]!.trim()}\`${enclosingModule(moduleDirsSet, inRepo) ? ` (module ${enclosingModule(moduleDirsSet, inRepo)})` : ''}`,
          safety: 'safe',
          edits: [{ file: wf.file, start, end: start, text: lines.map((l) => `${l}${eol}`).join('') }],
          newFiles: [],
          changes: [{ file: wf.file, path: ['jobs', job.id, 'steps'] }],
        };
      }
    }
  }
  return { title: 'Add a go mod verify workflow', safety: 'safe', edits: [], newFiles: [{ file: '.github/workflows/go-mod-verify.yml', content: goWorkflow('go-mod-verify', moduleDirs(mods)) }], changes: [] };
}

function enclosingModule(dirs: Set<string>, dir: string): string | undefined {
  for (let d = dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    if (dirs.has(d)) return d;
    if (d === '') return undefined;
  }
}

function defaultWorkingDirectory(yaml: YamlFile, node: Node | null): string | undefined {
  if (!isMap(node)) return undefined;
  const defaults = yaml.get(node, 'defaults');
  const run = isMap(defaults) ? yaml.get(defaults, 'run') : null;
  return isMap(run) ? scalarText(yaml.get(run, 'working-directory')) : undefined;
}
