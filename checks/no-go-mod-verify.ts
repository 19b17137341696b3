import type { Check } from '../src/check.js';
import { runsCommand } from '../src/analysis/facts.js';
import { goWorkflow } from '../src/edits/new-workflows.js';
import { eolOf, lineStart } from '../src/edits/text.js';
import type { RepoModel } from '../src/model/repo.js';
import { scalarText } from '../src/model/yaml.js';
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

/**
 * Adds `- run: go mod verify` before the first step that builds or tests Go code (same
 * working directory), or, when no workflow does, a workflow of its own.
 */
function verifyFix(repo: RepoModel, mods: Array<{ path: string }>): Fix {
  for (const wf of repo.workflows) {
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        if (!step.run || !runsCommand(step.run.value, /\bgo\s+(?:build|test|vet|install)\b/)) continue;
        const text = wf.yaml.text;
        const start = lineStart(text, step.range.start);
        const prefix = text.slice(start, step.range.start);
        if (!/^[ ]*-[ ]+$/.test(prefix)) continue;
        const dash = prefix.slice(0, prefix.indexOf('-'));
        const pad = ' '.repeat(prefix.length);
        const dir = scalarText(wf.yaml.get(step.node, 'working-directory'));
        const eol = eolOf(text);
        const lines = [`${dash}- run: go mod verify`, ...(dir ? [`${pad}working-directory: ${dir}`] : [])];
        return {
          title: `Run go mod verify before \`${step.run.value.split('\n')[0]!.trim()}\` in ${wf.file}`,
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
