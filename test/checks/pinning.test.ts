import { mutableInternalRef } from '../../checks/mutable-internal-ref.js';
import { unpinnedUses } from '../../checks/unpinned-uses.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';

const steps = (...uses: string[]): string =>
  yaml('on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...uses.map((u) => `      - uses: ${u}`));

ruleTester(unpinnedUses, {
  valid: [
    { name: 'full SHA with comment', files: { [WF]: steps(`actions/checkout@${SHA} # v4.1.1`) } },
    { name: 'local actions', files: { [WF]: steps('./.github/actions/setup', '$/tools/action') } },
    { name: 'docker by digest', files: { [WF]: steps(`docker://alpine@sha256:${'a'.repeat(64)}`) } },
    {
      name: 'images by tag are unpinned-image\'s, not this check\'s',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    container: node:20', '    services:', '      db:', '        image: postgres:16', '    steps:', '      - uses: docker://alpine:3.20') },
    },
    {
      name: 'SLSA generator by tag',
      files: { [WF]: yaml('on: push', 'jobs:', '  p:', '    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.0.0') },
    },
    { name: 'internal @main is left to mutable-internal-ref', repo: 'acme/widgets', files: { [WF]: steps('acme/shared/setup@main') } },
  ],
  invalid: [
    {
      name: 'third-party tag, GitHub-owned tag, branch and short SHA',
      files: { [WF]: steps('tj-actions/changed-files@v45', 'actions/checkout@v4', 'some/action@main', 'some/action@a1b2c3d') },
      findings: [
        { line: 7, column: 15, endColumn: 43, severity: 'high', message: '`tj-actions/changed-files@v45` is pinned to a tag, not a full commit SHA' },
        { line: 8, column: 15, severity: 'medium' },
        { line: 9, column: 15, severity: 'high', message: '`some/action@main` is pinned to a branch, not a full commit SHA' },
        { line: 10, column: 15, severity: 'medium', message: '`some/action@a1b2c3d` is pinned to a short SHA, not a full commit SHA' },
      ],
    },
    {
      name: 'quoted value: range covers the quotes',
      files: { [WF]: steps('"actions/setup-go@v5"') },
      findings: [{ line: 7, column: 15, endColumn: 36 }],
    },
    {
      name: 'reusable workflow by tag',
      files: { [WF]: yaml('on: push', 'jobs:', '  call:', '    uses: other/repo/.github/workflows/build.yml@v1') },
      findings: [{ line: 4, column: 11, severity: 'high' }],
    },
    {
      name: 'composite action steps',
      files: { 'tools/setup/action.yml': yaml('name: s', 'runs:', '  using: composite', '  steps:', '    - uses: actions/cache@v4') },
      findings: [{ file: 'tools/setup/action.yml', line: 5, column: 13 }],
    },
  ],
});

ruleTester(mutableInternalRef, {
  valid: [
    { name: 'third-party @main is unpinned-uses, not internal', repo: 'acme/widgets', files: { [WF]: steps('other/action@main') } },
    { name: 'internal by SHA', repo: 'acme/widgets', files: { [WF]: steps(`acme/shared@${SHA}`) } },
    { name: 'internal by tag', repo: 'acme/widgets', files: { [WF]: steps('acme/shared@v1.2.0') } },
  ],
  invalid: [
    {
      name: 'internal action and workflow @main, owner matched case-insensitively',
      repo: 'Acme/widgets',
      files: {
        [WF]: yaml(
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: x',
          '    steps:',
          '      - uses: acme/widgets/.github/actions/set-status@main',
          '      - uses: acme/widgets/.github/actions/set-status@main',
          '  b:',
          '    uses: ACME/infra/.github/workflows/deploy.yml@master',
        ),
      },
      findings: [
        { line: 6, column: 15, group: 'acme/widgets/.github/actions/set-status@main' },
        { line: 7, column: 15, group: 'acme/widgets/.github/actions/set-status@main' },
        { line: 9, column: 11, group: 'ACME/infra/.github/workflows/deploy.yml@master' },
      ],
    },
  ],
});
