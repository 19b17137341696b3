import { githubEnvInjection } from '../../checks/github-env-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const wf = (on: string, ...steps: string[]): string => yaml(`on: ${on}`, 'jobs:', '  a:', '    runs-on: x', '    steps:', ...steps);

ruleTester(githubEnvInjection, {
  valid: [
    { name: 'single-line field through env var to GITHUB_ENV cannot start a new line', files: { [WF]: wf('issues', '      - env:', '          TITLE: ${{ github.event.issue.title }}', '        run: echo "TITLE=$TITLE" >> "$GITHUB_ENV"') } },
    { name: 'trusted values', files: { [WF]: wf('issues', '      - run: echo "N=${{ github.event.issue.number }}" >> $GITHUB_ENV') } },
    { name: 'body read but not written to an env file', files: { [WF]: wf('issues', '      - env:', '          BODY: ${{ github.event.issue.body }}', '        run: echo "$BODY" > body.txt') } },
    { name: 'ACTIONS_ALLOW_UNSECURE_COMMANDS false', files: { [WF]: yaml('on: push', 'env:', '  ACTIONS_ALLOW_UNSECURE_COMMANDS: false', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: make') } },
  ],
  invalid: [
    {
      name: 'direct expression into GITHUB_ENV in an issues workflow',
      files: { [WF]: wf('issues', '      - run: echo "TITLE=${{ github.event.issue.title }}" >> $GITHUB_ENV') },
      findings: [
        {
          line: 6,
          column: 26,
          endColumn: 57,
          severity: 'critical',
          messageId: 'github-env-injection/expression-env',
          message: '`github.event.issue.title` is expanded into a line written to $GITHUB_ENV: a line break in it sets any environment variable (NODE_OPTIONS, BASH_ENV …) for the later steps, in a workflow run by issues',
        },
      ],
    },
    {
      name: 'multi-line body through a job env var, in a heredoc group',
      files: {
        [WF]: yaml(
          'on: issue_comment',
          'jobs:',
          '  a:',
          '    runs-on: x',
          '    env:',
          '      BODY: ${{ github.event.comment.body }}',
          '    steps:',
          '      - run: |',
          '          {',
          '            echo "BODY<<EOF"',
          '            echo "$BODY"',
          '            echo EOF',
          '          } >> "$GITHUB_ENV"',
        ),
      },
      findings: [{ line: 13, column: 11, severity: 'high', messageId: 'github-env-injection/env-var-env', message: '`$BODY` (set from `github.event.comment.body`) is written to $GITHUB_ENV: a line break in it sets any environment variable (NODE_OPTIONS, BASH_ENV …) for the later steps, in a workflow run by issue_comment' }],
    },
    {
      name: 'pwsh Add-Content and >> $env:GITHUB_OUTPUT; push workflow is medium/low',
      files: {
        [WF]: wf(
          'push',
          '      - shell: pwsh',
          '        env:',
          '          MSG: ${{ github.event.head_commit.message }}',
          '        run: |',
          '          Add-Content -Path $env:GITHUB_ENV -Value "MSG=$env:MSG"',
          '          "msg=$env:MSG" >> $env:GITHUB_OUTPUT',
        ),
      },
      findings: [
        { line: 10, column: 11, severity: 'medium', messageId: 'github-env-injection/env-var-env' },
        { line: 11, column: 11, severity: 'low', messageId: 'github-env-injection/env-var-output' },
      ],
    },
    {
      name: 'branch name to GITHUB_PATH',
      files: { [WF]: wf('pull_request_target', '      - env:', '          REF: ${{ github.head_ref }}', '        run: echo "$REF/bin" | tee -a $GITHUB_PATH') },
      findings: [{ line: 8, column: 14, severity: 'high', messageId: 'github-env-injection/env-var-path' }],
    },
    {
      name: 'ACTIONS_ALLOW_UNSECURE_COMMANDS',
      files: { [WF]: wf('push', '      - run: make', '        env:', '          ACTIONS_ALLOW_UNSECURE_COMMANDS: true') },
      findings: [{ line: 8, column: 44, severity: 'high', messageId: 'github-env-injection/unsecure-commands' }],
    },
  ],
});
