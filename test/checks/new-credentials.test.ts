import { hardcodedContainerCredentials } from '../../checks/hardcoded-container-credentials.js';
import { overprovisionedSecrets } from '../../checks/overprovisioned-secrets.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const job = (...lines: string[]): string => yaml('on: push', 'jobs:', '  a:', '    runs-on: x', ...lines, '    steps:', '      - run: make');

ruleTester(hardcodedContainerCredentials, {
  valid: [
    { name: 'password from a secret', files: { [WF]: job('    container:', '      image: ghcr.io/o/i:1', '      credentials:', '        username: bot', '        password: ${{ secrets.GHCR }}') } },
    { name: 'no credentials', files: { [WF]: job('    container: node:20') } },
  ],
  invalid: [
    {
      name: 'literal password on the container and on a service; the value is never quoted',
      files: {
        [WF]: job(
          '    container:',
          '      image: ghcr.io/o/i:1',
          '      credentials:',
          '        username: bot',
          '        password: hunter2',
          '    services:',
          '      db:',
          '        image: o/db:1',
          '        credentials: { username: u, password: "s3cret" }',
        ),
      },
      findings: [
        { line: 9, column: 19, endColumn: 26, severity: 'high', messageId: 'hardcoded-container-credentials/literal-password', message: 'job `a` container logs in to its registry with a password written into the workflow; use a secret' },
        { line: 13, column: 47, message: 'job `a` service `db` logs in to its registry with a password written into the workflow; use a secret' },
      ],
    },
  ],
});

ruleTester(overprovisionedSecrets, {
  valid: [
    { name: 'secrets by name, literal index too', files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: make', '        env:', '          A: ${{ secrets.NPM_TOKEN }}', "          B: ${{ secrets['PYPI'] }}") } },
  ],
  invalid: [
    {
      name: 'toJSON(secrets) and a computed key',
      files: {
        [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: make', '        env:', '          ALL: ${{ toJSON(secrets) }}', '          ONE: ${{ secrets[format(\'{0}_TOKEN\', matrix.env)] }}'),
      },
      findings: [
        { line: 8, column: 16, endColumn: 38, severity: 'medium', messageId: 'overprovisioned-secrets/whole-context', message: '`toJSON(secrets)` hands every secret of the repository to this step; name the ones it needs' },
        { line: 9, column: 16, messageId: 'overprovisioned-secrets/computed-key' },
      ],
    },
    {
      name: 'in a composite action',
      files: { 'act/action.yml': yaml('name: a', 'runs:', '  using: composite', '  steps:', '    - run: echo', '      shell: bash', '      env:', '        S: ${{ toJSON(secrets) }}') },
      findings: [{ file: 'act/action.yml', line: 8, column: 12 }],
    },
  ],
});
