import { dangerousTrigger } from '../../checks/dangerous-trigger.js';
import { missingProvenance } from '../../checks/missing-provenance.js';
import { persistCredentials } from '../../checks/persist-credentials.js';
import { templateInjection } from '../../checks/template-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const CO = 'actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11';

ruleTester(persistCredentials, {
  valid: [
    { name: 'persist-credentials: false', files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', `      - uses: ${CO}`, '        with:', '          persist-credentials: false') } },
    { name: 'quoted "false"', files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', `      - uses: ${CO}`, '        with: {persist-credentials: "false"}') } },
  ],
  invalid: [
    {
      name: 'no with:',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', `      - uses: ${CO}`) },
      findings: [{ line: 6, column: 15, severity: 'medium', confidence: 'high' }],
    },
    {
      name: 'explicit true, and a later git push lowers confidence',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', `      - uses: ${CO}`, '        with:', '          persist-credentials: true', '      - run: git push origin HEAD') },
      findings: [{ line: 6, column: 15, confidence: 'medium' }],
    },
  ],
});

ruleTester(dangerousTrigger, {
  valid: [{ name: 'pull_request is safe', files: { [WF]: yaml('on: pull_request', 'jobs:', '  a:', '    runs-on: x', '    steps:', `      - uses: ${CO}`, '      - run: make test') } }],
  invalid: [
    {
      name: 'pull_request_target without checkout of the head or untrusted input: low at the trigger, token as declared',
      files: { [WF]: yaml('on:', '  pull_request_target:', '    types: [opened]', 'jobs:', '  label:', '    runs-on: x', '    steps:', '      - run: echo hi') },
      findings: [
        {
          line: 2,
          column: 3,
          endColumn: 22,
          severity: 'low',
          message: "`pull_request_target` runs on events from forks with the repository's default token permissions; no job checks out the pull request's head or expands its text into a script",
        },
      ],
    },
    {
      name: 'pwn request: head checkout then run is critical, at the ref expression',
      files: {
        [WF]: yaml(
          'on: pull_request_target',
          'jobs:',
          '  test:',
          '    runs-on: x',
          '    steps:',
          `      - uses: ${CO}`,
          '        with:',
          '          ref: ${{ github.event.pull_request.head.sha }}',
          '      - run: npm test',
        ),
      },
      findings: [{ line: 8, column: 16, endColumn: 57, severity: 'critical' }],
    },
    {
      name: 'workflow_run checking out head_sha into a subdirectory: high, must be data only',
      files: {
        [WF]: yaml(
          'on:',
          '  workflow_run:',
          '    workflows: [ci]',
          'jobs:',
          '  x:',
          '    runs-on: x',
          '    steps:',
          `      - uses: ${CO}`,
          '        with:',
          '          ref: ${{ github.event.workflow_run.head_sha }}',
          '          path: pr',
          '      - run: ./check.sh pr',
        ),
      },
      findings: [{ line: 10, column: 16, severity: 'high', confidence: 'medium' }],
    },
    {
      name: 'checkout of the head without a later step that runs anything: trigger finding only, low',
      files: { [WF]: yaml('on: pull_request_target', 'jobs:', '  a:', '    runs-on: x', '    steps:', `      - uses: ${CO}`, '        with:', '          ref: ${{ github.head_ref }}') },
      findings: [{ line: 1, column: 5, severity: 'low' }],
    },
  ],
});

ruleTester(templateInjection, {
  valid: [
    { name: 'value through env', files: { [WF]: yaml('on: issues', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - env:', '          T: ${{ github.event.issue.title }}', '        run: echo "$T"') } },
    { name: 'numbers and SHAs', files: { [WF]: yaml('on: pull_request', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: echo ${{ github.event.pull_request.number }} ${{ github.event.pull_request.head.sha }}') } },
    { name: 'a boolean made from attacker text', files: { [WF]: yaml('on: issues', 'jobs:', '  a:', '    runs-on: x', '    steps:', "      - run: echo ${{ contains(github.event.issue.title, 'bug') }}") } },
    {
      name: 'choice input of a dispatch workflow',
      files: { [WF]: yaml('on:', '  workflow_dispatch:', '    inputs:', '      level:', '        type: choice', '        options: [a, b]', 'permissions:', '  contents: write', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: echo ${{ inputs.level }}') },
    },
  ],
  invalid: [
    {
      name: 'issue title in run of an issues workflow is critical',
      files: { [WF]: yaml('on: issues', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: echo "${{ github.event.issue.title }}"') },
      findings: [{ line: 6, column: 20, endColumn: 51, severity: 'critical' }],
    },
    {
      name: 'head_ref in a block scalar on pull_request, and through || ',
      files: {
        [WF]: yaml('on: pull_request', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: |', '          echo hi', "          git checkout ${{ github.head_ref || 'main' }}"),
      },
      findings: [{ line: 8, column: 24, severity: 'high', message: "`github.head_ref` is expanded into run:; pass it through env: instead" }],
    },
    {
      name: 'expression split over lines in a block scalar keeps its own range',
      files: { [WF]: yaml('on: pull_request_target', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: |', '          echo ${{', '            github.event.pull_request.title', '          }}') },
      findings: [{ line: 7, column: 16, endLine: 9, endColumn: 13 }],
    },
    {
      name: 'github-script script:',
      files: { [WF]: yaml('on: issue_comment', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: actions/github-script@v7', '        with:', '          script: console.log("${{ github.event.comment.body }}")') },
      findings: [{ line: 8, column: 32, severity: 'critical' }],
    },
    {
      name: 'text input in a privileged dispatch workflow is medium',
      files: { [WF]: yaml('on:', '  workflow_dispatch:', '    inputs:', '      tag: {}', 'permissions:', '  contents: write', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: git tag ${{ inputs.tag }}') },
      findings: [{ line: 11, column: 22, severity: 'medium' }],
    },
    {
      name: 'local action input filled with a PR title by a pull_request_target workflow is critical, at the action',
      files: {
        '.github/actions/say/action.yml': yaml('name: say', 'inputs:', '  text: {}', 'runs:', '  using: composite', '  steps:', '    - shell: bash', '      run: echo "${{ inputs.text }}"'),
        [WF]: yaml('on: pull_request_target', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: ./.github/actions/say', '        with:', '          text: ${{ github.event.pull_request.title }}'),
      },
      findings: [
        {
          file: '.github/actions/say/action.yml',
          line: 8,
          column: 18,
          severity: 'critical',
          message:
            '`inputs.text` is expanded into run: and .github/workflows/ci.yml passes `github.event.pull_request.title` into it from a workflow run by pull_request_target; pass it through env: instead',
        },
      ],
    },
    {
      name: 'composite action: event text high, inputs low',
      files: {
        'action.yml': yaml('name: x', 'inputs:', '  msg: {}', 'runs:', '  using: composite', '  steps:', '    - shell: bash', '      run: echo "${{ inputs.msg }}" "${{ github.event.head_commit.message }}"'),
      },
      findings: [
        { file: 'action.yml', line: 8, column: 18, severity: 'low' },
        { file: "action.yml", line: 8, column: 38, severity: "high" },
      ],
    },
  ],
});

ruleTester(missingProvenance, {
  valid: [
    {
      name: 'release with attest-build-provenance',
      files: { [WF]: yaml('on:', '  push:', "    tags: ['v*']", 'jobs:', '  r:', '    runs-on: x', '    steps:', '      - run: goreleaser release', '      - uses: actions/attest-build-provenance@v2', '        with: {subject-path: dist/*}') },
    },
    { name: 'build-push-action pushing with default provenance', files: { [WF]: yaml('on: release', 'jobs:', '  r:', '    runs-on: x', '    steps:', '      - uses: docker/build-push-action@v6', '        with:', '          push: true') } },
    { name: 'publishing outside a release workflow', files: { [WF]: yaml('on: push', 'jobs:', '  r:', '    runs-on: x', '    steps:', '      - run: docker push ghcr.io/acme/x') } },
  ],
  invalid: [
    {
      name: 'provenance: false in a release workflow is high, at the value',
      files: { [WF]: yaml('on: release', 'jobs:', '  r:', '    runs-on: x', '    steps:', '      - uses: docker/build-push-action@v6', '        with:', '          push: true', '          provenance: false') },
      findings: [{ line: 9, column: 23, endColumn: 28, severity: 'high' }],
    },
    {
      name: 'tag workflow publishing a GitHub release with nothing attested',
      files: { [WF]: yaml('on:', '  push:', '    tags: ["v*"]', 'jobs:', '  r:', '    runs-on: x', '    steps:', '      - run: make dist', '      - run: gh release create "$TAG" dist/*') },
      findings: [{ line: 9, column: 14, severity: 'medium' }],
    },
  ],
});
