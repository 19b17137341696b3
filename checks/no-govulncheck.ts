import type { Check } from '../src/check.js';
import { goWorkflow } from '../src/edits/new-workflows.js';
import { callsSharedWorkflow, goModFiles, moduleDirs, moduleLine, runsTool } from '../src/analysis/repo-facts.js';

/** Scanners that also find vulnerable Go dependencies (by module version, not reachability). */
const OTHER_SCANNERS: Array<[string, RegExp, string]> = [
  ['aquasecurity/trivy-action', /\btrivy\s+(?:fs|filesystem|rootfs|image|repo|repository|sbom)\b/, 'Trivy'],
  ['anchore/scan-action', /\bgrype\b/, 'Grype'],
  ['google/osv-scanner-action', /\bosv-scanner\b/, 'osv-scanner'],
];

export const noGovulncheck: Check = {
  meta: {
    id: 'no-govulncheck',
    title: 'Go modules without govulncheck in CI',
    area: 'go',
    severity: 'medium',
    description: 'The repository has go.mod files and no workflow runs govulncheck (golang/govulncheck-action or a `govulncheck` command).',
    why:
      'govulncheck reports only the vulnerabilities your code actually reaches, using the Go vulnerability database, so its results ' +
      'are worth failing a build on. Without it a known-exploitable dependency ships in your next release unnoticed.',
    howToFix: 'Add a workflow that runs golang/govulncheck-action on pull requests and on a schedule.',
    example: '- uses: golang/govulncheck-action@<sha> # v1.0.4\n  with:\n    go-version-file: go.mod',
    fixable: true,
  },
  run({ repo, report }) {
    const mods = goModFiles(repo);
    if (mods.length === 0 || runsTool(repo, 'golang/govulncheck-action', /\bgovulncheck\b/) || callsSharedWorkflow(repo, /govulncheck/i)) return;
    const root = mods[0]!;
    const other = OTHER_SCANNERS.find(([action, command]) => runsTool(repo, action, command) || callsSharedWorkflow(repo, new RegExp(action.split('/')[1]!.replace(/-action$/, ''), 'i')));
    report({
      file: root.path,
      range: moduleLine(root),
      ...(other ? { severity: 'low' as const } : {}),
      messageId: other ? 'other-scanner' : 'absent',
      message: other
        ? `no workflow runs govulncheck on ${mods.length === 1 ? 'this module' : `these ${mods.length} Go modules`}; ${other[2]} scans for known-vulnerable dependencies, but without govulncheck's check of which vulnerable functions the code reaches`
        : `no workflow runs govulncheck on ${mods.length === 1 ? 'this module' : `these ${mods.length} Go modules`}`,
      fix: {
        title: 'Add a govulncheck workflow',
        safety: 'safe',
        edits: [],
        newFiles: [{ file: '.github/workflows/govulncheck.yml', content: goWorkflow('govulncheck', moduleDirs(mods)) }],
        changes: [],
      },
    });
  },
};
