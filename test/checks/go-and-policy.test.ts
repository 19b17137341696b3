import { codeownersMissingWorkflows } from '../../checks/codeowners-missing-workflows.js';
import { dependabotInsecureExecution } from '../../checks/dependabot-insecure-execution.js';
import { dependabotNoActions } from '../../checks/dependabot-no-actions.js';
import { dependabotNoCooldown } from '../../checks/dependabot-no-cooldown.js';
import { goSumMissing } from '../../checks/go-sum-missing.js';
import { noDco } from '../../checks/no-dco.js';
import { noDependencyReview } from '../../checks/no-dependency-review.js';
import { noDependencyUpdateTool } from '../../checks/no-dependency-update-tool.js';
import { noGoModVerify } from '../../checks/no-go-mod-verify.js';
import { noGovulncheck } from '../../checks/no-govulncheck.js';
import { noScorecard } from '../../checks/no-scorecard.js';
import { noSecurityInsights } from '../../checks/no-security-insights.js';
import { noSecurityPolicy } from '../../checks/no-security-policy.js';
import { renovateActionsNotPinned } from '../../checks/renovate-actions-not-pinned.js';
import { renovateNoReleaseAge } from '../../checks/renovate-no-release-age.js';
import { renovateVulnerabilityAlertsOff } from '../../checks/renovate-vulnerability-alerts-off.js';
import { securityInsightsExpired } from '../../checks/security-insights-expired.js';
import { securityInsightsInvalid } from '../../checks/security-insights-invalid.js';
import { securityPolicyNoContact } from '../../checks/security-policy-no-contact.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const CI = '.github/workflows/ci.yml';
const run = (...cmds: string[]): string => yaml('on: pull_request', 'jobs:', '  a:', '    runs-on: x', '    steps:', ...cmds.map((c) => `      - ${c}`));
const GOMOD = yaml('module example.com/m', '', 'go 1.23', '', 'require (', '\tgolang.org/x/text v0.21.0', '\tgithub.com/pkg/errors v0.9.1 // indirect', ')');
const GOSUM = yaml('golang.org/x/text v0.21.0 h1:a=', 'golang.org/x/text v0.21.0/go.mod h1:b=', 'github.com/pkg/errors v0.9.1/go.mod h1:c=');

ruleTester(noGovulncheck, {
  valid: [
    { name: 'govulncheck-action', files: { 'go.mod': GOMOD, [CI]: run('uses: golang/govulncheck-action@v1') } },
    { name: 'govulncheck command', files: { 'go.mod': GOMOD, [CI]: run('run: go run golang.org/x/vuln/cmd/govulncheck@latest ./...') } },
    { name: 'no Go', files: { [CI]: run('run: make') } },
  ],
  invalid: [{ name: 'Go without govulncheck, at the module line of the root go.mod', files: { 'go.mod': GOMOD, 'sub/go.mod': 'module example.com/m/sub\n', [CI]: run('run: go test ./...') }, findings: [{ line: 1, column: 1, message: 'no workflow runs govulncheck on these 2 Go modules' }] }],
});

ruleTester(noGoModVerify, {
  valid: [{ name: 'go mod verify runs', files: { 'go.mod': GOMOD, [CI]: run('run: |\n          go mod download\n          go mod verify') } }],
  invalid: [
    { name: 'missing: medium', files: { 'go.mod': GOMOD, [CI]: run('run: go build') }, findings: [{ line: 1, severity: 'medium', column: 1 }] },
    { name: 'vendored: high', files: { 'go.mod': GOMOD, 'vendor/modules.txt': '# golang.org/x/text v0.21.0\n', [CI]: run('run: go build') }, findings: [{ line: 1, column: 1, severity: 'high' }] },
  ],
});

ruleTester(goSumMissing, {
  valid: [
    { name: 'complete go.sum', files: { 'go.mod': GOMOD, 'go.sum': GOSUM } },
    { name: 'no requirements', files: { 'go.mod': 'module x\n\ngo 1.23\n' } },
    { name: 'replaced module', files: { 'go.mod': 'module x\nrequire a.b/c v1.0.0\nreplace a.b/c => ../c\n', 'go.sum': '' } },
  ],
  invalid: [
    { name: 'no go.sum', files: { 'go.mod': GOMOD }, findings: [{ line: 6, column: 1, message: 'go.mod requires 2 modules but there is no go.sum beside it' }] },
    { name: 'a version without a hash, at the module path', files: { 'go.mod': GOMOD, 'go.sum': 'golang.org/x/text v0.20.0 h1:x=\n' }, findings: [{ line: 6, column: 2, endColumn: 19 }, { line: 7, column: 2 }] },
    {
      name: 'vendor/modules.txt disagrees with go.mod',
      files: { 'go.mod': GOMOD, 'go.sum': GOSUM, 'vendor/modules.txt': '# golang.org/x/text v0.20.0\n## explicit\n' },
      findings: [{ line: 6, column: 2, message: 'vendor/modules.txt has golang.org/x/text v0.20.0, go.mod requires v0.21.0' }],
    },
  ],
});

ruleTester(noDependencyReview, {
  valid: [{ name: 'dependency-review-action on pull_request', files: { [CI]: run('uses: actions/dependency-review-action@v4') } }],
  invalid: [{ name: 'absent', files: { [CI]: run('run: make') }, findings: [{ file: '.github/workflows/dependency-review.yml', line: 1, column: 1 }] }],
});

ruleTester(noScorecard, {
  valid: [
    { name: 'scorecard-action', files: { [CI]: run('uses: ossf/scorecard-action@v2') } },
    { name: 'an organisation-wide reusable Scorecard workflow', files: { [CI]: yaml('on: push', 'jobs:', '  s:', '    uses: acme/shared-workflows/.github/workflows/scorecard.yml@v1') } },
  ],
  invalid: [{ name: 'absent', files: { [CI]: run('run: make') }, findings: [{ file: '.github/workflows/scorecard.yml', line: 1, column: 1, severity: 'low' }] }],
});

ruleTester(noDependencyUpdateTool, {
  valid: [
    { name: 'dependabot', files: { '.github/dependabot.yml': 'version: 2\nupdates: []\n' } },
    { name: 'renovate key in package.json', files: { 'package.json': '{"name": "x", "renovate": {"extends": ["config:best-practices"]}}' } },
    { name: '.renovaterc', files: { '.renovaterc': '{}' } },
  ],
  invalid: [{ name: 'neither', files: { [CI]: run('run: make') }, findings: [{ file: '.github/dependabot.yml', line: 1, column: 1 }] }],
});

ruleTester(renovateVulnerabilityAlertsOff, {
  valid: [{ name: 'default', files: { 'renovate.json': '{"vulnerabilityAlerts": {"labels": ["security"]}}' } }],
  invalid: [{ name: 'disabled in JSON5 with comments', files: { '.github/renovate.json5': "{\n  // quiet please\n  vulnerabilityAlerts: { enabled: false, },\n}\n" }, findings: [{ line: 3, column: 35, endColumn: 40 }] }],
});

ruleTester(renovateActionsNotPinned, {
  valid: [
    { name: 'helpers:pinGitHubActionDigests', files: { 'renovate.json': '{"extends": ["config:recommended", "helpers:pinGitHubActionDigests"]}' } },
    { name: 'config:best-practices', files: { 'renovate.json': '{"extends": ["config:best-practices"]}' } },
    { name: 'packageRule for github-actions', files: { 'renovate.json': '{"packageRules": [{"matchManagers": ["github-actions"], "pinDigests": true}]}' } },
  ],
  invalid: [
    { name: 'config:recommended alone', files: { 'renovate.json': '{\n  "extends": ["config:recommended"]\n}\n' }, findings: [{ line: 2, column: 3, confidence: 'high' }] },
    { name: 'a pinDigests rule for docker only', files: { 'renovate.json': '{"packageRules": [{"matchDatasources": ["docker"], "pinDigests": true}]}' }, findings: [{ line: 1, column: 1 }] },
    { name: 'an external preset lowers confidence', files: { 'renovate.jsonc': '{"extends": ["github>acme/renovate-config"]}' }, findings: [{ line: 1, column: 2, confidence: 'low' }] },
  ],
});

ruleTester(renovateNoReleaseAge, {
  valid: [{ name: 'in a packageRule', files: { 'renovate.json': '{"packageRules": [{"matchManagers": ["npm"], "minimumReleaseAge": "3 days"}]}' } }],
  invalid: [{ name: 'none', files: { 'renovate.json': '{"extends": ["config:recommended"]}' }, findings: [{ line: 1, column: 2, severity: 'low' }] }],
});

const DEP = '.github/dependabot.yml';
ruleTester(dependabotNoActions, {
  valid: [{ name: 'github-actions entry', files: { [DEP]: yaml('version: 2', 'updates:', '  - package-ecosystem: github-actions', '    directory: /'), [CI]: run('run: x') } }],
  invalid: [{ name: 'only npm', files: { [DEP]: yaml('version: 2', 'updates:', '  - package-ecosystem: npm', '    directory: /'), [CI]: run('run: x') }, findings: [{ line: 2, column: 1 }] }],
});

ruleTester(dependabotNoCooldown, {
  valid: [{ name: 'cooldown set', files: { [DEP]: yaml('version: 2', 'updates:', '  - package-ecosystem: npm', '    cooldown:', '      default-days: 3') } }],
  invalid: [{ name: 'no cooldown, at the ecosystem', files: { [DEP]: yaml('version: 2', 'updates:', '  - package-ecosystem: "npm"', '    directory: /') }, findings: [{ line: 3, column: 24, endColumn: 29 }] }],
});

ruleTester(dependabotInsecureExecution, {
  valid: [{ name: 'deny', files: { [DEP]: yaml('version: 2', 'updates:', '  - package-ecosystem: pip', '    insecure-external-code-execution: deny') } }],
  invalid: [{ name: 'allow', files: { [DEP]: yaml('version: 2', 'updates:', '  - package-ecosystem: pip', '    insecure-external-code-execution: allow') }, findings: [{ line: 4, column: 39, severity: 'high' }] }],
});

ruleTester(noSecurityPolicy, {
  valid: [
    { name: 'docs/SECURITY.md', files: { 'docs/SECURITY.md': 'mail security@example.com' } },
    { name: '.github/security.adoc', files: { '.github/security.adoc': 'x' } },
  ],
  invalid: [{ name: 'none', files: { 'README.md': 'hi' }, findings: [{ file: 'SECURITY.md', line: 1, column: 1 }] }],
});

ruleTester(securityPolicyNoContact, {
  valid: [
    { name: 'e-mail', files: { 'SECURITY.md': 'Write to security@example.org.' } },
    { name: 'advisories link', files: { 'SECURITY.md': 'Use https://github.com/o/r/security/advisories/new' } },
  ],
  invalid: [{ name: 'no contact', files: { 'SECURITY.md': '# Security\n\nPlease report responsibly.\n' }, findings: [{ line: 1, column: 1 }] }],
});

const SI = 'SECURITY-INSIGHTS.yml';
ruleTester(securityInsightsExpired, {
  valid: [
    { name: 'v1 not yet expired', now: '2026-01-01', files: { [SI]: yaml('header:', '  schema-version: 1.0.0', "  expiration-date: '2026-06-01T00:00:00.000Z'") } },
    { name: 'v2 reviewed within a year', now: '2026-01-01', files: { [SI]: yaml('header:', '  schema-version: 2.0.0', '  last-reviewed: 2025-03-01') } },
  ],
  invalid: [
    { name: 'v1 expired, at the date', now: '2026-01-01', files: { [SI]: yaml('header:', '  schema-version: 1.0.0', "  expiration-date: '2025-07-30T01:00:00.000Z'") }, findings: [{ line: 3, column: 20, message: 'SECURITY-INSIGHTS expired on 2025-07-30' }] },
    { name: 'v2 reviewed over a year ago, lower-case file in .github', now: '2026-01-01', files: { '.github/security-insights.yml': yaml('header:', '  schema-version: 2.0.0', '  last-reviewed: 2024-12-01') }, findings: [{ file: '.github/security-insights.yml', line: 3, column: 18 }] },
  ],
});

ruleTester(securityInsightsInvalid, {
  valid: [{ name: 'complete v2 header', files: { [SI]: yaml('header:', '  schema-version: 2.0.0', '  last-updated: 2025-01-01', '  last-reviewed: 2025-01-01', '  url: https://x') } }],
  invalid: [
    { name: 'unknown version', files: { [SI]: yaml('header:', '  schema-version: 9.0') }, findings: [{ line: 2, column: 19 }] },
    { name: 'missing fields and a bad date', files: { [SI]: yaml('header:', '  schema-version: 2.0.0', '  last-reviewed: last tuesday') }, findings: [{ line: 2, column: 3, message: 'SECURITY-INSIGHTS v2 header lacks `last-updated`, `url`' }, { line: 3, column: 18 }] },
  ],
});

ruleTester(noSecurityInsights, {
  valid: [{ name: 'present in .github', files: { '.github/SECURITY-INSIGHTS.yaml': 'header: {}\n' } }],
  invalid: [{ name: 'absent', files: { 'README.md': 'x' }, findings: [{ file: SI, line: 1, column: 1, severity: 'info' }] }],
});

ruleTester(codeownersMissingWorkflows, {
  valid: [
    { name: 'directory rule', files: { [CI]: run('run: x'), '.github/CODEOWNERS': '/.github/workflows/ @o/ci\n' } },
    { name: 'catch-all owner', files: { [CI]: run('run: x'), CODEOWNERS: '* @o/all\n' } },
  ],
  invalid: [
    { name: 'no CODEOWNERS', files: { [CI]: run('run: x') }, findings: [{ file: '.github/CODEOWNERS', line: 1, column: 1 }] },
    { name: 'only other paths', files: { [CI]: run('run: x'), '.github/CODEOWNERS': '# owners\n/docs/ @o/docs\n' }, findings: [{ file: '.github/CODEOWNERS', line: 2, column: 1, message: 'no CODEOWNERS rule covers .github/workflows/' }] },
    { name: 'a later rule without owners unsets it', files: { [CI]: run('run: x'), CODEOWNERS: '* @o/all\n/.github/\n' }, findings: [{ file: 'CODEOWNERS', line: 2, column: 1, message: 'the CODEOWNERS rule that covers .github/workflows/ names no owner' }] },
  ],
});

ruleTester(noDco, {
  valid: [
    { name: 'dco.yml', files: { '.github/dco.yml': 'require:\n  members: false\n' } },
    { name: 'maintainers-little-helper', files: { '.github/maintainers-little-helper.yaml': 'require-msgs-in-commit:\n  - msg: "Signed-off-by"\n' } },
    { name: 'workflow checking sign-off', files: { [CI]: run('run: git log --format=%B origin/main..HEAD | grep -q "Signed-off-by"') } },
  ],
  invalid: [{ name: 'none', files: { [CI]: run('run: make') }, findings: [{ file: '.github/dco.yml', line: 1, column: 1, severity: 'info' }] }],
});
