import { longLivedPublishToken } from '../../checks/long-lived-publish-token.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/release.yml';
const job = (...lines: string[]): string => yaml('on:', '  release:', '    types: [published]', 'permissions:', '  contents: read', 'jobs:', '  publish:', '    runs-on: ubuntu-latest', ...lines);

ruleTester(longLivedPublishToken, {
  valid: [
    { name: 'PyPI trusted publishing', files: { [WF]: job('    permissions:', '      id-token: write', '    steps:', '      - uses: pypa/gh-action-pypi-publish@release/v1') } },
    { name: 'private index with a password', files: { [WF]: job('    steps:', '      - uses: pypa/gh-action-pypi-publish@release/v1', '        with:', '          repository-url: https://pkgs.example.com/simple', '          password: ${{ secrets.IDX }}') } },
    { name: 'npm trusted publishing: no token, id-token write', files: { [WF]: job('    permissions:', '      id-token: write', '    steps:', '      - run: npm publish') } },
    { name: 'npm with token and provenance configured by env', files: { [WF]: job('    env:', '      NPM_CONFIG_PROVENANCE: true', '    steps:', '      - run: npm publish --access public') } },
    { name: 'GitHub Packages', files: { [WF]: job('    steps:', '      - uses: actions/setup-node@v4', '        with:', '          registry-url: https://npm.pkg.github.com', '      - run: npm publish', '        env:', '          NODE_AUTH_TOKEN: ${{ secrets.GITHUB_TOKEN }}') } },
    { name: 'dry run', files: { [WF]: job('    steps:', '      - run: cargo publish --dry-run', '        env:', '          CARGO_REGISTRY_TOKEN: ${{ secrets.CRATES }}') } },
  ],
  invalid: [
    {
      name: 'gh-action-pypi-publish with password',
      files: { [WF]: job('    steps:', '      - uses: pypa/gh-action-pypi-publish@release/v1', '        with:', '          password: ${{ secrets.PYPI_API_TOKEN }}') },
      findings: [{ line: 12, column: 21, severity: 'medium', messageId: 'long-lived-publish-token/pypi-password' }],
    },
    {
      name: 'npm publish with NODE_AUTH_TOKEN: token, and no provenance',
      files: { [WF]: job('    steps:', '      - run: npm publish --access public', '        env:', '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}') },
      findings: [
        // Same spot: ordered by message id (findings are in a total order, see compareFindings).
        { line: 10, column: 14, severity: 'low', messageId: 'long-lived-publish-token/npm-no-provenance' },
        { line: 10, column: 14, endColumn: 41, severity: 'medium', messageId: 'long-lived-publish-token/npm-token', message: 'publishes to npm with a stored token (`NODE_AUTH_TOKEN` from secrets); configure a trusted publisher for the package on npmjs.com and give the job `id-token: write` (npm ≥ 11.5.1)' },
      ],
    },
    {
      name: 'twine, cargo and gem with tokens from secrets',
      files: {
        [WF]: job(
          '    env:',
          '      TWINE_PASSWORD: ${{ secrets.PYPI }}',
          '      CARGO_REGISTRY_TOKEN: ${{ secrets.CRATES }}',
          '      GEM_HOST_API_KEY: ${{ secrets.GEMS }}',
          '    steps:',
          '      - run: twine upload dist/*',
          '      - run: cargo publish -p mycrate',
          '      - run: gem push *.gem',
        ),
      },
      findings: [
        { line: 14, column: 14, messageId: 'long-lived-publish-token/pypi-token' },
        { line: 15, column: 14, messageId: 'long-lived-publish-token/cratesio-token' },
        { line: 16, column: 14, messageId: 'long-lived-publish-token/rubygems-token' },
      ],
    },
  ],
});
