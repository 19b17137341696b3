import type { Check } from '../src/check.js';
import { parseGoMod } from '../src/gomod.js';
import { goModFiles, lineRange, runsTool } from '../src/repo-facts.js';

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
    fixable: false,
  },
  run({ repo, report }) {
    const mods = goModFiles(repo);
    if (mods.length === 0 || runsTool(repo, undefined, /\bgo\s+mod\s+verify\b/)) return;
    const root = mods[0]!;
    const vendored = repo.vendorDirs.length > 0;
    report({
      file: root.path,
      range: lineRange(root.text, parseGoMod(root.text).module?.line ?? 1),
      severity: vendored ? 'high' : 'medium',
      message: vendored
        ? `no workflow runs \`go mod verify\`, and ${repo.vendorDirs.map((d) => `${d}/`).join(', ')} is committed unverified`
        : 'no workflow runs `go mod verify`',
    });
  },
};
