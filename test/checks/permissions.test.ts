import { excessivePermissions } from '../../checks/excessive-permissions.js';
import { missingPermissions } from '../../checks/missing-permissions.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';

ruleTester(missingPermissions, {
  valid: [
    { name: 'top-level permissions', files: { [WF]: yaml('on: push', 'permissions:', '  contents: read', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps: [{run: make}]') } },
    {
      name: 'every job declares its own',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    permissions: {}', '    runs-on: x', '    steps: [{run: make}]', '  b:', '    permissions:', '      contents: read', '    runs-on: x', '    steps: [{run: make}]') },
    },
    { name: 'only reusable-workflow calls', files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    uses: ./.github/workflows/build.yml') } },
  ],
  invalid: [
    {
      name: 'no permissions anywhere',
      files: { [WF]: yaml('on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - run: make') },
      findings: [{ line: 3, column: 3, endColumn: 8, severity: 'medium' }],
    },
    {
      name: 'one job of two without permissions',
      files: { [WF]: yaml('on: [push]', 'jobs:', '  a:', '    permissions: {}', '    runs-on: x', '    steps: [{run: make}]', '  b:', '    runs-on: x', '    steps: [{run: make}]') },
      findings: [{ line: 7, column: 3, message: 'no top-level permissions and job `b` declares none: the token gets the repository default' }],
    },
    {
      name: 'a job whose token needs are unknown is named in the remediation and gets no fix',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: some/unknown-action@v1') },
      findings: [
        {
          line: 3,
          column: 3,
          fixable: false,
          remediation:
            "Add `permissions: contents: read` at the top of the workflow and grant each job only the scopes it needs. Not fixed automatically: job `a`: step 1 uses some/unknown-action, which is not in pipewarden's table of actions; those jobs keep their current permissions.",
        },
      ],
    },
    {
      name: 'reusable workflow: low, the caller decides',
      files: { [WF]: yaml('on:', '  workflow_call:', 'jobs:', '  a:', '    runs-on: x', '    steps: [{run: make}]') },
      findings: [{ line: 4, column: 3, severity: 'low' }],
    },
  ],
});

ruleTester(excessivePermissions, {
  valid: [
    { name: 'read scopes', files: { [WF]: yaml('on: push', 'permissions:', '  contents: read', '  pull-requests: read', 'jobs: {}') } },
    {
      name: 'write scopes on the job',
      files: { [WF]: yaml('on: push', 'permissions: {}', 'jobs:', '  rel:', '    permissions:', '      contents: write', '    runs-on: x', '    steps: [{run: make}]') },
    },
  ],
  invalid: [
    { name: 'write-all at workflow level', files: { [WF]: yaml('on: push', 'permissions: write-all', 'jobs: {}') }, findings: [{ line: 2, column: 14, endColumn: 23, severity: 'high' }] },
    { name: 'read-all is low', files: { [WF]: yaml('on: push', 'permissions: read-all', 'jobs: {}') }, findings: [{ line: 2, column: 14, severity: 'low' }] },
    {
      name: 'contents: write high, issues: write medium',
      files: { [WF]: yaml('on: push', 'permissions:', '  contents: write', '  issues: write', '  checks: read', 'jobs:', '  a:', '    runs-on: x', '    steps: [{run: make}]', '  b:', '    runs-on: x', '    steps: [{run: make}]') },
      findings: [
        { line: 3, column: 3, endColumn: 11, severity: 'high', confidence: 'high' },
        { line: 4, column: 3, severity: 'medium' },
      ],
    },
    {
      name: 'job-level write-all',
      files: { [WF]: yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    permissions: write-all', '    runs-on: x', '    steps: [{run: make}]') },
      findings: [{ line: 5, column: 18, severity: 'high' }],
    },
  ],
});
