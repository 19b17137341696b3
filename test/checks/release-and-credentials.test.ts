import { missingSbom } from '../../checks/missing-sbom.js';
import { noScanGate } from '../../checks/no-scan-gate.js';
import { secretInBuildArgs } from '../../checks/secret-in-build-args.js';
import { secretsInUntrustedTrigger } from '../../checks/secrets-in-untrusted-trigger.js';
import { secretsInherit } from '../../checks/secrets-inherit.js';
import { secretsOutsideEnvironment } from '../../checks/secrets-outside-environment.js';
import { selfHostedOnUntrustedTrigger } from '../../checks/self-hosted-on-untrusted-trigger.js';
import { staticCloudCredentials } from '../../checks/static-cloud-credentials.js';
import { unsignedImage } from '../../checks/unsigned-image.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const job = (on: string, ...lines: string[]): string => yaml(`on: ${on}`, 'jobs:', '  a:', '    runs-on: ubuntu-latest', ...lines);
const PUSH_IMAGE = ['    steps:', '      - uses: docker/build-push-action@v6', '        with:', '          push: true'];

ruleTester(unsignedImage, {
  valid: [
    { name: 'cosign sign after the push', files: { [WF]: job('release', ...PUSH_IMAGE, '      - run: cosign sign --yes "$IMAGE@$DIGEST"') } },
    {
      name: 'GoReleaser with docker_signs',
      files: { [WF]: job('release', '    steps:', '      - uses: goreleaser/goreleaser-action@v6'), '.goreleaser.yaml': 'dockers:\n  - image_templates: [x]\ndocker_signs:\n  - artifacts: all\n' },
    },
    { name: 'build without push', files: { [WF]: job('push', '    steps:', '      - uses: docker/build-push-action@v6', '        with: {push: false}') } },
  ],
  invalid: [
    { name: 'release push unsigned is high', files: { [WF]: job('release', ...PUSH_IMAGE) }, findings: [{ line: 6, column: 15, severity: 'high' }] },
    {
      name: 'GoReleaser whose config builds dockers and signs nothing',
      files: { [WF]: job('release', '    steps:', '      - uses: goreleaser/goreleaser-action@v6', '        with: {args: release --clean}'), '.goreleaser.yaml': 'dockers:\n  - image_templates: [ghcr.io/acme/app]\n' },
      findings: [{ line: 6, column: 15, message: 'pushes container images (GoReleaser dockers) in a workflow run on release without a cosign signature in this workflow or the workflows it calls or is called by' }],
    },
    { name: 'docker push on main is medium', files: { [WF]: job('push', '    steps:', '      - run: docker push ghcr.io/acme/app') }, findings: [{ line: 6, column: 14, severity: 'medium' }] },
  ],
});

ruleTester(missingSbom, {
  valid: [
    { name: 'sbom: true', files: { [WF]: job('release', ...PUSH_IMAGE, '          sbom: true') } },
    { name: 'GoReleaser sboms', files: { [WF]: job('release', '    steps:', '      - run: goreleaser release --clean'), '.goreleaser.yml': 'sboms:\n  - artifacts: archive\n' } },
  ],
  invalid: [{ name: 'GitHub release without SBOM', files: { [WF]: job('release', '    steps:', '      - run: gh release upload v1 dist/*') }, findings: [{ line: 6, column: 14, severity: 'medium' }] }],
});

ruleTester(noScanGate, {
  valid: [{ name: 'trivy with exit-code 1', files: { [WF]: job('push', '    steps:', '      - uses: aquasecurity/trivy-action@v0', '        with: {exit-code: "1"}', '      - run: docker push x') } }],
  invalid: [{ name: 'trivy that cannot fail', files: { [WF]: job('push', '    steps:', '      - uses: aquasecurity/trivy-action@v0', '      - run: docker push x') }, findings: [{ line: 7, column: 14, severity: 'low' }] }],
});

ruleTester(secretsOutsideEnvironment, {
  valid: [
    { name: 'environment gates the secret', files: { [WF]: job('push', '    environment: prod', '    steps:', '      - run: deploy', '        env: {KEY: "${{ secrets.DEPLOY_KEY }}"}') } },
    { name: 'GITHUB_TOKEN is not a stored secret', files: { [WF]: job('push', '    steps:', '      - run: gh pr list', '        env: {GH_TOKEN: "${{ secrets.GITHUB_TOKEN }}"}') } },
  ],
  invalid: [
    {
      name: 'secret read without environment names secret and triggers',
      files: { [WF]: job('[push, pull_request]', '    steps:', '      - run: deploy', '        env:', '          KEY: ${{ secrets.deploy_key }}') },
      findings: [
        {
          line: 8,
          column: 16,
          severity: 'medium',
          message: 'job `a` reads `deploy_key` (a deploy credential) without an environment: runs on push, pull_request (pull requests from forks get no secrets) get it, and so does any workflow pushed to a branch of this repository',
        },
      ],
    },
  ],
});

ruleTester(secretsInUntrustedTrigger, {
  valid: [{ name: 'secrets on push', files: { [WF]: job('push', '    steps:', '      - run: x ${{ secrets.A }}') } }],
  invalid: [
    {
      name: 'secret and workflow write scope in an issue_comment workflow: medium while no outsider input runs',
      files: { [WF]: yaml('on: issue_comment', 'permissions:', '  issues: write', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: x', '        env: {T: "${{ secrets.BOT_TOKEN }}"}') },
      findings: [
        { line: 3, column: 3, severity: 'medium' },
        {
          line: 9,
          column: 19,
          severity: 'medium',
          message: 'job `a` reads `BOT_TOKEN` in a workflow run by issue_comment; pipewarden sees no step that runs code or script text an outsider controls, so it is exposed to a compromised step or action',
        },
      ],
    },
    {
      name: 'high when the comment reaches a script in the same job',
      files: { [WF]: yaml('on: issue_comment', 'permissions: {}', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: echo "${{ github.event.comment.body }}"', '      - run: x', '        env: {T: "${{ secrets.BOT_TOKEN }}"}') },
      findings: [{ line: 9, column: 19, severity: 'high', message: 'job `a` reads `BOT_TOKEN` in a workflow run by issue_comment, where step 1 expands `github.event.comment.body` into its script' }],
    },
    {
      name: 'high when the pull request head is checked out',
      files: {
        [WF]: yaml('on: pull_request_target', 'permissions: {}', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', '        with:', '          ref: ${{ github.event.pull_request.head.sha }}', '      - run: make', '        env: {T: "${{ secrets.BOT_TOKEN }}"}'),
      },
      findings: [{ line: 11, column: 19, severity: 'high', message: 'job `a` reads `BOT_TOKEN` in a workflow run by pull_request_target, where step 1 checks out `${{ github.event.pull_request.head.sha }}`' }],
    },
  ],
});

ruleTester(secretsInherit, {
  valid: [{ name: 'explicit secrets', files: { [WF]: yaml('on: push', 'jobs:', '  c:', '    uses: ./.github/workflows/r.yml', '    secrets:', '      A: ${{ secrets.A }}') } }],
  invalid: [
    { name: 'inherit to a local workflow is low', files: { [WF]: yaml('on: push', 'jobs:', '  c:', '    uses: ./.github/workflows/r.yml', '    secrets: inherit') }, findings: [{ line: 5, column: 14, endColumn: 21, severity: 'low' }] },
    {
      name: 'inherit to another repository is medium',
      files: { [WF]: yaml('on: push', 'jobs:', '  c:', '    uses: other/ci/.github/workflows/r.yml@v1', '    secrets: inherit') },
      findings: [{ line: 5, column: 14, severity: 'medium', message: 'job `c` passes every secret to `other/ci/.github/workflows/r.yml@v1`, which is maintained outside this repository' }],
    },
  ],
});

ruleTester(secretInBuildArgs, {
  valid: [{ name: 'secret mount', files: { [WF]: job('push', '    steps:', '      - uses: docker/build-push-action@v6', '        with:', '          secrets: token=${{ secrets.NPM_TOKEN }}') } }],
  invalid: [
    {
      name: 'build-args and --build-arg',
      files: {
        [WF]: job('push', '    steps:', '      - uses: docker/build-push-action@v6', '        with:', '          build-args: TOKEN=${{ secrets.NPM_TOKEN }}', '      - run: docker build --build-arg KEY=${{ secrets.KEY }} .'),
      },
      findings: [
        { line: 8, column: 29, severity: 'high' },
        { line: 9, column: 43 },
      ],
    },
  ],
});

ruleTester(staticCloudCredentials, {
  valid: [
    { name: 'role-to-assume', files: { [WF]: job('push', '    steps:', '      - uses: aws-actions/configure-aws-credentials@v4', '        with:', '          role-to-assume: arn:aws:iam::1:role/ci') } },
    {
      name: 'AWS-style keys for an S3-compatible store (R2) with its own endpoint',
      files: { [WF]: job('push', '    steps:', '      - run: aws s3 cp x s3://b', '        env:', '          AWS_ACCESS_KEY_ID: ${{ secrets.R2_KEY }}', '          AWS_ENDPOINT_URL: https://acct.r2.cloudflarestorage.com') },
    },
  ],
  invalid: [
    {
      name: 'access keys and exported env',
      files: {
        [WF]: job('push', '    env:', '      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET }}', '    steps:', '      - uses: google-github-actions/auth@v2', '        with:', '          credentials_json: ${{ secrets.GCP }}'),
      },
      findings: [
        { line: 6, column: 30 },
        { line: 10, column: 29 },
      ],
    },
  ],
});

ruleTester(selfHostedOnUntrustedTrigger, {
  valid: [{ name: 'self-hosted on push', files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: [self-hosted, linux]', '    steps: [{run: x}]') } }],
  invalid: [
    {
      name: 'self-hosted on pull_request, group lower confidence',
      files: { [WF]: yaml('on: pull_request', 'jobs:', '  a:', '    runs-on: [self-hosted, linux]', '    steps: [{run: x}]', '  b:', '    runs-on:', '      group: big', '    steps: [{run: x}]') },
      findings: [
        { line: 4, column: 14, confidence: 'high' },
        { line: 8, column: 7, severity: 'info', confidence: 'low', message: 'job `b` runs in runner group `big` in a workflow that pull_request from forks can trigger; whether the group holds self-hosted or GitHub-hosted larger runners is unknown from the workflow' },
      ],
    },
  ],
});
