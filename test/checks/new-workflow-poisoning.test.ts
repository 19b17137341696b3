import { agenticPromptInjection } from '../../checks/agentic-prompt-injection.js';
import { artifactPoisoning } from '../../checks/artifact-poisoning.js';
import { cachePoisoning } from '../../checks/cache-poisoning.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const PRT = '.github/workflows/pr.yml';
const REL = '.github/workflows/release.yml';

const prTarget = (...steps: string[]): string =>
  yaml('on: pull_request_target', 'jobs:', '  build:', '    runs-on: x', '    steps:', '      - uses: actions/checkout@v4', '        with:', '          ref: ${{ github.event.pull_request.head.sha }}', ...steps);
const release = (...steps: string[]): string => yaml('on:', '  push:', '    tags: [v*]', 'jobs:', '  publish:', '    runs-on: x', '    steps:', ...steps);

ruleTester(cachePoisoning, {
  valid: [
    { name: 'release caches, but no untrusted workflow writes caches', files: { [REL]: release('      - uses: actions/setup-go@v5', '      - run: goreleaser release') } },
    { name: 'untrusted workflow writes caches, release does not restore', files: { [PRT]: prTarget('      - uses: actions/setup-node@v4', '        with:', '          cache: npm'), [REL]: release('      - uses: actions/setup-go@v5', '        with:', '          cache: false') } },
    { name: 'untrusted workflow without the fork\'s code', files: { [PRT]: yaml('on: pull_request_target', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: actions/setup-go@v5'), [REL]: release('      - uses: actions/setup-go@v5') } },
    { name: 'restore-only in the untrusted workflow', files: { [PRT]: prTarget('      - uses: actions/cache/restore@v4'), [REL]: release('      - uses: actions/cache@v4') } },
  ],
  invalid: [
    {
      name: 'fork code + setup-node cache in pull_request_target; release restores with setup-go default',
      files: { [REL]: release('      - uses: actions/setup-go@v5', '      - uses: actions/setup-node@v4', '        with:', '          cache: \'\''), [PRT]: prTarget('      - uses: actions/setup-node@v4', '        with:', '          cache: npm') },
      findings: [
        {
          file: REL,
          line: 8,
          column: 15,
          severity: 'high',
          messageId: 'cache-poisoning/release-restores-cache',
          message: "actions/setup-go (caches by default) restores a cache in the release job `publish`, and .github/workflows/pr.yml saves caches while running a fork's code (pull_request_target): a poisoned entry would end up in the release",
          related: [{ file: PRT, line: 9, column: 15, endLine: 9, endColumn: 36, note: "actions/setup-node `cache: npm` saves a cache after running a fork's code" }],
        },
      ],
    },
  ],
});

ruleTester(artifactPoisoning, {
  valid: [
    { name: 'own run\'s artifacts', files: { [WF]: yaml('on: workflow_run', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: actions/download-artifact@v4') } },
    { name: 'into runner.temp', files: { [WF]: yaml('on: workflow_run', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: actions/download-artifact@v4', '        with:', '          run-id: ${{ github.event.workflow_run.id }}', '          path: ${{ runner.temp }}/a') } },
    { name: 'not privileged', files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: dawidd6/action-download-artifact@v6') } },
    { name: 'gh run download into its own directory', files: { [WF]: yaml('on: workflow_run', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: gh run download "$ID" -D "$RUNNER_TEMP/a"') } },
  ],
  invalid: [
    {
      name: 'download-artifact with run-id, dawidd6 to ./, gh run download',
      files: {
        [WF]: yaml(
          'on: workflow_run',
          'jobs:',
          '  a:',
          '    runs-on: x',
          '    steps:',
          '      - uses: actions/download-artifact@v4',
          '        with:',
          '          run-id: ${{ github.event.workflow_run.id }}',
          '          github-token: ${{ github.token }}',
          '      - uses: dawidd6/action-download-artifact@v6',
          '        with:',
          '          path: ./',
          '      - run: gh run download ${{ github.event.workflow_run.id }}',
        ),
      },
      findings: [
        { line: 6, column: 15, severity: 'high', messageId: 'artifact-poisoning/download-artifact', message: "actions/download-artifact fetches another run's artifacts into the workspace in a workflow run by workflow_run: the files can replace code that later steps run; download to ${{ runner.temp }} instead" },
        { line: 10, column: 15, messageId: 'artifact-poisoning/action-download-artifact' },
        { line: 13, column: 14, messageId: 'artifact-poisoning/gh-run-download' },
      ],
    },
  ],
});

const agent = (on: string, ...withLines: string[]): string => yaml(`on: ${on}`, 'permissions:', '  contents: read', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: anthropics/claude-code-action@v1', '        with:', ...withLines);

ruleTester(agenticPromptInjection, {
  valid: [
    { name: 'issue number only, restricted tools', files: { [WF]: agent('issues', "          prompt: 'Triage issue ${{ github.event.issue.number }}'", '          allowed_tools: "Bash(npm test)"') } },
    { name: 'arbitrary tools on a push workflow', files: { [WF]: agent('push', '          allowed_tools: Bash') } },
  ],
  invalid: [
    {
      name: 'issue body in the prompt of an issues workflow',
      files: { [WF]: agent('issues', "          prompt: 'Triage: ${{ github.event.issue.body }}'") },
      findings: [{ line: 10, column: 28, endColumn: 58, severity: 'high', messageId: 'agentic-prompt-injection/event-text-in-prompt', message: "`github.event.issue.body` goes into Claude Code's `prompt:` in a workflow run by issues: its author can instruct the agent" }],
    },
    {
      name: 'unrestricted Bash for anyone on issue_comment',
      files: { [WF]: agent('issue_comment', '          allowed_tools: Bash', '          allowed_non_write_users: "*"') },
      findings: [{ line: 8, column: 15, severity: 'high', messageId: 'agentic-prompt-injection/arbitrary-tools' }],
    },
    {
      name: 'escape-hatch prefix behind the write-access gate; codex danger-full-access; gemini',
      files: {
        [WF]: yaml(
          'on: issue_comment',
          'jobs:',
          '  a:',
          '    runs-on: x',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: --allowedTools "Bash(npx:*),Read"',
          '      - uses: openai/codex-action@v1',
          '        with:',
          '          sandbox: danger-full-access',
          '      - uses: google-github-actions/run-gemini-cli@v0',
          '        with:',
          '          prompt: ${{ github.event.comment.body }}',
        ),
      },
      findings: [
        { line: 6, column: 15, severity: 'medium', messageId: 'agentic-prompt-injection/arbitrary-tools-gated', message: 'Claude Code runs with `Bash(npx:*)` allowed, which runs any code, in a workflow run by issue_comment; only people with write access can start it, but the issue and pull request text it reads can come from anyone' },
        { line: 9, column: 15, severity: 'medium', messageId: 'agentic-prompt-injection/arbitrary-tools-gated' },
        { line: 12, column: 15, severity: 'high', messageId: 'agentic-prompt-injection/arbitrary-tools' },
        { line: 14, column: 19, severity: 'high', messageId: 'agentic-prompt-injection/event-text-in-prompt' },
      ],
    },
  ],
});
