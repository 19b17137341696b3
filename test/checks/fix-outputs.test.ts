/** Exact fix output for each fixable check (ESLint's `output`), through the fix engine's verified passes. */
import { codeownersMissingWorkflows } from '../../checks/codeowners-missing-workflows.js';
import { excessivePermissions } from '../../checks/excessive-permissions.js';
import { missingPermissions } from '../../checks/missing-permissions.js';
import { missingProvenance } from '../../checks/missing-provenance.js';
import { mutableInternalRef } from '../../checks/mutable-internal-ref.js';
import { persistCredentials } from '../../checks/persist-credentials.js';
import { renovateActionsNotPinned } from '../../checks/renovate-actions-not-pinned.js';
import { renovateVulnerabilityAlertsOff } from '../../checks/renovate-vulnerability-alerts-off.js';
import { securityInsightsExpired } from '../../checks/security-insights-expired.js';
import { templateInjection } from '../../checks/template-injection.js';
import { unpinnedUses } from '../../checks/unpinned-uses.js';
import { yaml } from '../helpers/repo.js';
import { ruleTester } from '../helpers/rule-tester.js';

const WF = '.github/workflows/ci.yml';
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const GO = 'd35c59abb061a4a6fb18e82ac0862c26744d6ab5';
const head = ['on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:'];

ruleTester(unpinnedUses, {
  valid: [],
  invalid: [
    {
      name: 'pins keep quotes and an explanatory comment',
      files: { [WF]: yaml(...head, '      - uses: actions/checkout@v4 # the usual', "      - uses: 'actions/setup-go@v5'") },
      pins: { 'actions/checkout@v4': { sha: SHA, version: 'v4.2.2' }, 'actions/setup-go@v5': { sha: GO, version: 'v5.5.0' } },
      findings: [
        { line: 7, column: 15, fixable: true },
        { line: 8, column: 15, fixable: true },
      ],
      output: { [WF]: yaml(...head, `      - uses: actions/checkout@${SHA} # v4.2.2 the usual`, `      - uses: 'actions/setup-go@${GO}' # v5.5.0`) },
    },
  ],
});

ruleTester(mutableInternalRef, {
  valid: [],
  invalid: [
    {
      name: 'an internal reusable workflow @main is pinned to the branch head, the branch kept as the comment',
      files: { [WF]: yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    uses: acme/shared/.github/workflows/build.yml@main') },
      pins: { 'acme/shared@main': { sha: 'a'.repeat(40), version: 'main' } },
      findings: [{ line: 5, column: 11 }],
      output: { [WF]: yaml('on: push', 'permissions: {}', 'jobs:', '  a:', `    uses: acme/shared/.github/workflows/build.yml@${'a'.repeat(40)} # main`) },
    },
  ],
});

ruleTester(persistCredentials, {
  valid: [],
  invalid: [
    {
      name: 'adds a with: block under the checkout',
      files: { [WF]: yaml(...head, `      - uses: actions/checkout@${SHA} # v4.2.2`, '      - run: make test') },
      findings: [{ line: 7, column: 15 }],
      output: { [WF]: yaml(...head, `      - uses: actions/checkout@${SHA} # v4.2.2`, '        with:', '          persist-credentials: false', '      - run: make test') },
    },
  ],
});

ruleTester(templateInjection, {
  valid: [],
  invalid: [
    {
      name: 'the expression moves into env: and the script reads the variable',
      files: { [WF]: yaml('on: pull_request', ...head.slice(1), '      - run: echo "${{ github.head_ref }}"') },
      findings: [{ line: 7, column: 20, severity: 'high' }],
      output: { [WF]: yaml('on: pull_request', ...head.slice(1), '      - run: echo "${HEAD_REF}"', '        env:', '          HEAD_REF: ${{ github.head_ref }}') },
    },
  ],
});

ruleTester(missingPermissions, {
  valid: [],
  invalid: [
    {
      name: 'contents: read at the top for a job that only checks out and tests',
      files: { [WF]: yaml('on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: actions/checkout@${SHA} # v4.2.2`, '        with:', '          persist-credentials: false', '      - run: make test') },
      findings: [{ line: 3, column: 3 }],
      output: {
        [WF]: yaml('on: push', 'permissions:', '  contents: read', '', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: actions/checkout@${SHA} # v4.2.2`, '        with:', '          persist-credentials: false', '      - run: make test'),
      },
    },
  ],
});

ruleTester(excessivePermissions, {
  valid: [],
  invalid: [
    {
      name: 'write-all becomes contents: read',
      files: { [WF]: yaml('on: push', 'permissions: write-all', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - run: make test') },
      findings: [{ line: 2, column: 14 }],
      output: { [WF]: yaml('on: push', 'permissions:', '  contents: read', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - run: make test') },
    },
  ],
});

const release = ['on:', '  push:', '    tags: ["v*"]', 'permissions:', '  contents: read', '  packages: write', 'jobs:', '  image:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: docker/build-push-action@${SHA} # v6`, '        with:', '          push: true'];
ruleTester(missingProvenance, {
  valid: [],
  invalid: [
    {
      name: 'provenance: false becomes mode=max',
      files: { '.github/workflows/release.yml': yaml(...release, '          provenance: false') },
      findings: [{ line: 14, column: 23, severity: 'high' }],
      output: { '.github/workflows/release.yml': yaml(...release, '          provenance: mode=max') },
    },
  ],
});

ruleTester(codeownersMissingWorkflows, {
  valid: [],
  invalid: [
    {
      name: 'a rule for the workflows is appended with the --owner given',
      files: { [WF]: yaml(...head, '      - run: make'), '.github/CODEOWNERS': yaml('/docs/ @acme/docs') },
      owner: '@acme/ci',
      findings: [{ file: '.github/CODEOWNERS', line: 1, column: 1 }],
      output: { '.github/CODEOWNERS': yaml('/docs/ @acme/docs', '/.github/workflows/ @acme/ci') },
    },
  ],
});

ruleTester(renovateActionsNotPinned, {
  valid: [],
  invalid: [
    {
      name: 'the digest-pinning preset joins the extends list in place',
      files: { 'renovate.json': yaml('{', '  "extends": ["config:recommended"]', '}') },
      findings: [{ line: 2, column: 3 }],
      output: { 'renovate.json': yaml('{', '  "extends": ["config:recommended", "helpers:pinGitHubActionDigests"]', '}') },
    },
  ],
});

ruleTester(renovateVulnerabilityAlertsOff, {
  valid: [],
  invalid: [
    {
      name: 'enabled: false becomes true, nothing else moves',
      files: { 'renovate.json': yaml('{', '  "extends": ["config:recommended", "helpers:pinGitHubActionDigests"],', '  "vulnerabilityAlerts": { "enabled": false }', '}') },
      findings: [{ line: 3, column: 39 }],
      output: { 'renovate.json': yaml('{', '  "extends": ["config:recommended", "helpers:pinGitHubActionDigests"],', '  "vulnerabilityAlerts": { "enabled": true }', '}') },
    },
  ],
});

ruleTester(securityInsightsExpired, {
  valid: [],
  invalid: [
    {
      name: 'the expiry moves a year past today, in the shape it was written',
      now: '2026-12-01T00:00:00Z',
      files: { 'SECURITY-INSIGHTS.yml': yaml('header:', '  schema-version: 1.0.0', '  expiration-date: 2025-01-31T00:00:00.000Z', '  project-url: https://github.com/acme/widgets') },
      findings: [{ line: 3, column: 20 }],
      output: { 'SECURITY-INSIGHTS.yml': yaml('header:', '  schema-version: 1.0.0', '  expiration-date: 2027-12-01T00:00:00.000Z', '  project-url: https://github.com/acme/widgets') },
    },
  ],
});
