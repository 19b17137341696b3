import type { Check } from '../src/check.js';
import { parseGoMod, parseGoSum, parseModulesTxt } from '../src/analysis/gomod.js';
import { lineRange } from '../src/analysis/repo-facts.js';

export const goSumMissing: Check = {
  meta: {
    id: 'go-sum-missing',
    title: 'go.sum missing or incomplete; vendor/ out of step with go.mod',
    area: 'go',
    severity: 'high',
    description:
      'go.mod requires modules but go.sum is missing or lacks the lines for a required version, or vendor/modules.txt disagrees with go.mod; with --go, what a local `go mod verify` reports.',
    why:
      'go.sum pins the hash of every module version; without a line for it, the first build that downloads the module trusts ' +
      'whatever the proxy or origin serves that day. A vendor/ tree that disagrees with go.mod was edited or is stale.',
    howToFix: 'Run `go mod tidy` (and `go mod vendor` when vendoring) and commit go.sum and vendor/.',
    example: '$ go mod tidy && go mod vendor && git add go.sum vendor/',
    fixable: false,
  },
  run({ repo, env, report }) {
    const sums = new Map(repo.filesOfKind('go-sum').map((f) => [f.path, f.text]));
    const modulesTxt = new Map(repo.filesOfKind('vendor-modules').map((f) => [f.path, f.text]));
    for (const file of repo.filesOfKind('go-mod')) {
      const mod = parseGoMod(file.text);
      const required = mod.requires.filter((r) => !mod.replaced.has(r.path));
      if (required.length === 0) continue;
      const dir = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/') + 1) : '';
      const sumText = sums.get(`${dir}go.sum`);
      if (sumText === undefined) {
        report({ file: file.path, range: lineRange(file.text, required[0]!.line), messageId: 'no-go-sum', message: `go.mod requires ${required.length} module${required.length === 1 ? '' : 's'} but there is no go.sum beside it` });
        continue;
      }
      const sum = parseGoSum(sumText);
      for (const r of required) {
        if (!sum.has(`${r.path} ${r.version}`)) {
          report({ file: file.path, range: lineRange(file.text, r.line, r.column, r.endColumn), messageId: 'missing-hash', message: `go.sum has no hash for ${r.path} ${r.version}` });
        }
      }
      const verified = env.goVerify?.get(file.path);
      if (verified && !verified.ok) {
        report({ file: file.path, range: lineRange(file.text, mod.module?.line ?? 1), messageId: 'verify-failed', message: `go mod verify failed: ${verified.output.split('\n').slice(0, 3).join('; ')}` });
      }
      const vendored = modulesTxt.get(`${dir}vendor/modules.txt`);
      if (vendored === undefined) continue;
      const recorded = parseModulesTxt(vendored);
      for (const r of required) {
        const v = recorded.get(r.path);
        if (v !== undefined && v !== r.version) {
          report({ file: file.path, range: lineRange(file.text, r.line, r.column, r.endColumn), messageId: 'vendor-version', message: `vendor/modules.txt has ${r.path} ${v}, go.mod requires ${r.version}` });
        } else if (v === undefined && !r.indirect) {
          report({ file: file.path, range: lineRange(file.text, r.line, r.column, r.endColumn), messageId: 'vendor-missing', message: `${r.path} is required but not in vendor/modules.txt` });
        }
      }
    }
  },
};
