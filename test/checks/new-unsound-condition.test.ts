import { unsoundCondition } from '../../checks/unsound-condition.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const step = (on: string, ...ifLines: string[]): string => yaml(`on: ${on}`, 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: make', ...ifLines);

ruleTester(unsoundCondition, {
  valid: [
    { name: 'one expression', files: { [WF]: step('push', "        if: ${{ github.event_name == 'push' }}") } },
    { name: 'no delimiters', files: { [WF]: step('push', "        if: github.event_name == 'push' && success()") } },
    { name: 'block scalar with strip chomping and no other text', files: { [WF]: step('push', '        if: >-', '          ${{ success() }}') } },
    { name: 'actor test outside privileged triggers', files: { [WF]: step('pull_request', "        if: github.actor == 'dependabot[bot]'") } },
    { name: 'negated actor test keeps the bot out', files: { [WF]: step('pull_request_target', "        if: ${{ !(github.actor == 'dependabot[bot]') }}") } },
    { name: 'pull request author', files: { [WF]: step('pull_request_target', "        if: github.event.pull_request.user.login == 'dependabot[bot]'") } },
  ],
  invalid: [
    {
      name: 'block scalar keeps a line break: always true',
      files: { [WF]: step('push', '        if: |', "          ${{ github.event_name == 'push' }}") },
      findings: [{ line: 7, column: 13, severity: 'high', messageId: 'unsound-condition/text-around-expression', message: 'this `if:` is always true: the white space or line break around `${{ … }}` makes it a non-empty string' }],
    },
    {
      name: 'two expressions joined outside the delimiters',
      files: { [WF]: step('push', '        if: ${{ success() }} && ${{ github.ref == \'refs/heads/main\' }}') },
      findings: [{ line: 7, column: 13, messageId: 'unsound-condition/several-expressions', message: "this `if:` is always true: `${{ success() }} && ${{ github.ref == 'refs/heads/main' }}` mixes `${{ }}` with other text, which makes it a non-empty string" }],
    },
    {
      name: 'quoted with a trailing space, job level',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', "    if: '${{ false }} '", '    runs-on: x', '    steps:', '      - run: make') },
      findings: [{ line: 4, column: 9, messageId: 'unsound-condition/text-around-expression' }],
    },
    {
      name: 'spoofable dependabot actor in pull_request_target',
      files: { [WF]: step('pull_request_target', "        if: github.actor == 'dependabot[bot]' && github.repository == 'acme/widgets'") },
      findings: [
        {
          line: 7,
          column: 13,
          severity: 'medium',
          messageId: 'unsound-condition/spoofable-actor',
          message: "`github.actor == 'dependabot[bot]'` does not prove the bot wrote the change: in a workflow run by pull_request_target, `github.actor` is whoever caused the latest event; test `github.event.pull_request.user.login` instead",
        },
      ],
    },
    {
      name: 'workflow_run, inside ${{ }}',
      files: { [WF]: step('workflow_run', "        if: ${{ github.triggering_actor == 'renovate[bot]' }}") },
      findings: [{ line: 7, column: 13, messageId: 'unsound-condition/spoofable-actor' }],
    },
  ],
});
