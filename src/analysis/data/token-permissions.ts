/**
 * What GITHUB_TOKEN scopes the most used actions need, and when. pipewarden derives each job's
 * least privilege from this table and from the commands its `run:` steps use; a step it cannot
 * account for makes the job "unknown", and unknown jobs are never given new permissions.
 *
 * Each entry lists scopes with the reason written next to the grant. `when` narrows a grant to
 * the inputs that need it (e.g. OIDC only with role-to-assume). An empty list means the action
 * needs no token scope beyond what `contents: read` gives every job.
 */
export type Scope =
  | 'actions'
  | 'attestations'
  | 'checks'
  | 'contents'
  | 'deployments'
  | 'id-token'
  | 'issues'
  | 'packages'
  | 'pages'
  | 'pull-requests'
  | 'security-events'
  | 'statuses';

export interface Grant {
  scope: Scope;
  level: 'read' | 'write';
  why: string;
  /** The grant applies only when this input is set (and not "false"). */
  when?: string;
  /** The grant applies only when this input is absent or "false". */
  unless?: string;
}

const none: Grant[] = [];
const oidc = (why: string, when?: string): Grant => ({ scope: 'id-token', level: 'write', why, ...(when ? { when } : {}) });

export const ACTION_PERMISSIONS: Record<string, Grant[]> = {
  // Setup, caching and artifacts: no token scopes.
  'actions/checkout': none,
  'actions/setup-node': none,
  'actions/setup-python': none,
  'actions/setup-go': none,
  'actions/setup-java': none,
  'actions/setup-dotnet': none,
  'actions/cache': none,
  'actions/cache/restore': none,
  'actions/cache/save': none,
  'actions/upload-artifact': none,
  'actions/download-artifact': [{ scope: 'actions', level: 'read', why: 'downloads artifacts of another run', when: 'run-id' }],
  'actions/create-github-app-token': none,
  'actions/upload-pages-artifact': none,
  'actions/configure-pages': [{ scope: 'pages', level: 'write', why: 'configures GitHub Pages', when: 'enablement' }],
  'actions/deploy-pages': [
    { scope: 'pages', level: 'write', why: 'deploys to GitHub Pages' },
    oidc('verifies the deployment source for Pages'),
  ],
  'actions/labeler': [
    { scope: 'pull-requests', level: 'write', why: 'labels pull requests' },
    { scope: 'issues', level: 'write', why: 'creates missing labels' },
  ],
  'actions/stale': [
    { scope: 'issues', level: 'write', why: 'marks and closes stale issues' },
    { scope: 'pull-requests', level: 'write', why: 'marks and closes stale pull requests' },
  ],
  'actions/first-interaction': [
    { scope: 'issues', level: 'write', why: 'greets first issues' },
    { scope: 'pull-requests', level: 'write', why: 'greets first pull requests' },
  ],
  'actions/dependency-review-action': [{ scope: 'pull-requests', level: 'write', why: 'posts the review summary', when: 'comment-summary-in-pr' }],
  'actions/attest-build-provenance': [
    oidc('signs the provenance attestation with Sigstore'),
    { scope: 'attestations', level: 'write', why: 'stores the attestation' },
  ],
  'actions/attest-sbom': [oidc('signs the SBOM attestation with Sigstore'), { scope: 'attestations', level: 'write', why: 'stores the attestation' }],
  'actions/attest': [oidc('signs the attestation with Sigstore'), { scope: 'attestations', level: 'write', why: 'stores the attestation' }],
  'actions/delete-package-versions': [{ scope: 'packages', level: 'write', why: 'deletes package versions' }],
  'actions/upload-release-asset': [{ scope: 'contents', level: 'write', why: 'uploads release assets' }],
  'github/codeql-action/init': [{ scope: 'security-events', level: 'write', why: 'CodeQL reports to code scanning' }, { scope: 'actions', level: 'read', why: 'CodeQL reads workflow run data' }],
  'github/codeql-action/autobuild': none,
  'github/codeql-action/analyze': [{ scope: 'security-events', level: 'write', why: 'uploads CodeQL results to code scanning' }, { scope: 'actions', level: 'read', why: 'CodeQL reads workflow run data' }],
  'github/codeql-action/upload-sarif': [{ scope: 'security-events', level: 'write', why: 'uploads SARIF to code scanning' }],
  'ossf/scorecard-action': [
    { scope: 'security-events', level: 'write', why: 'Scorecard results go to code scanning' },
    oidc('publishes Scorecard results', 'publish_results'),
  ],
  // Containers and release tooling.
  'docker/setup-buildx-action': none,
  'docker/setup-qemu-action': none,
  'docker/metadata-action': none,
  'docker/build-push-action': none,
  'docker/bake-action': none,
  'docker/login-action': none,
  'sigstore/cosign-installer': none,
  'anchore/sbom-action': none,
  'anchore/sbom-action/download-syft': none,
  'anchore/scan-action': none,
  'aquasecurity/trivy-action': none,
  'hadolint/hadolint-action': none,
  'softprops/action-gh-release': [{ scope: 'contents', level: 'write', why: 'creates the GitHub release' }],
  'ncipollo/release-action': [{ scope: 'contents', level: 'write', why: 'creates the GitHub release' }],
  'svenstaro/upload-release-action': [{ scope: 'contents', level: 'write', why: 'uploads release assets' }],
  'googleapis/release-please-action': [
    { scope: 'contents', level: 'write', why: 'creates releases and tags' },
    { scope: 'pull-requests', level: 'write', why: 'opens the release pull request' },
    { scope: 'issues', level: 'write', why: 'labels the release pull request' },
  ],
  'release-drafter/release-drafter': [{ scope: 'contents', level: 'write', why: 'drafts the release' }, { scope: 'pull-requests', level: 'read', why: 'reads merged pull requests' }],
  'changesets/action': [{ scope: 'contents', level: 'write', why: 'pushes the version branch' }, { scope: 'pull-requests', level: 'write', why: 'opens the version pull request' }],
  'helm/chart-releaser-action': [{ scope: 'contents', level: 'write', why: 'publishes chart releases' }],
  'peaceiris/actions-gh-pages': [{ scope: 'contents', level: 'write', why: 'pushes to the Pages branch' }],
  'jamesives/github-pages-deploy-action': [{ scope: 'contents', level: 'write', why: 'pushes to the Pages branch' }],
  'pypa/gh-action-pypi-publish': [oidc('trusted publishing to PyPI')],
  'slsa-framework/slsa-github-generator/actions/generator/generic/create-base64-subjects-from-file': none,
  // Pull-request and issue helpers.
  'peter-evans/create-pull-request': [{ scope: 'contents', level: 'write', why: 'pushes the pull-request branch' }, { scope: 'pull-requests', level: 'write', why: 'opens the pull request' }],
  'peter-evans/create-or-update-comment': [{ scope: 'issues', level: 'write', why: 'comments on issues' }, { scope: 'pull-requests', level: 'write', why: 'comments on pull requests' }],
  'peter-evans/find-comment': [{ scope: 'issues', level: 'read', why: 'reads comments' }, { scope: 'pull-requests', level: 'read', why: 'reads comments' }],
  'marocchino/sticky-pull-request-comment': [{ scope: 'pull-requests', level: 'write', why: 'comments on the pull request' }],
  'thollander/actions-comment-pull-request': [{ scope: 'pull-requests', level: 'write', why: 'comments on the pull request' }],
  'mshick/add-pr-comment': [{ scope: 'pull-requests', level: 'write', why: 'comments on the pull request' }, { scope: 'issues', level: 'write', why: 'comments on the pull request' }],
  'amannn/action-semantic-pull-request': [{ scope: 'pull-requests', level: 'read', why: 'reads the pull request title' }],
  'dorny/paths-filter': [{ scope: 'pull-requests', level: 'read', why: 'lists the pull request\'s changed files' }],
  'tj-actions/changed-files': [{ scope: 'pull-requests', level: 'read', why: 'lists the pull request\'s changed files' }],
  'dependabot/fetch-metadata': [{ scope: 'pull-requests', level: 'read', why: 'reads the Dependabot pull request' }],
  'github/issue-labeler': [{ scope: 'issues', level: 'write', why: 'labels issues' }],
  'enricomi/publish-unit-test-result-action': [{ scope: 'checks', level: 'write', why: 'publishes the test results check' }, { scope: 'pull-requests', level: 'write', why: 'comments the test results' }],
  'mikepenz/action-junit-report': [{ scope: 'checks', level: 'write', why: 'publishes the test report check' }],
  'dorny/test-reporter': [{ scope: 'checks', level: 'write', why: 'publishes the test report check' }],
  // Linters and coverage.
  'golangci/golangci-lint-action': [{ scope: 'pull-requests', level: 'read', why: 'reports only new issues', when: 'only-new-issues' }],
  'codecov/codecov-action': [oidc('uploads coverage with OIDC', 'use_oidc')],
  'codecov/test-results-action': none,
  'coverallsapp/github-action': none,
  'super-linter/super-linter': [{ scope: 'statuses', level: 'write', why: 'reports linter statuses' }],
  'rhysd/actionlint': none,
  'zizmorcore/zizmor-action': [{ scope: 'security-events', level: 'write', why: 'uploads zizmor findings to code scanning', unless: 'advanced-security' }],
  'lycheeverse/lychee-action': none,
  'crate-ci/typos': none,
  'ludeeus/action-shellcheck': none,
  'pre-commit/action': none,
  // Language toolchains.
  'ruby/setup-ruby': none,
  'dtolnay/rust-toolchain': none,
  'swatinem/rust-cache': none,
  'taiki-e/install-action': none,
  'pnpm/action-setup': none,
  'oven-sh/setup-bun': none,
  'denoland/setup-deno': none,
  'astral-sh/setup-uv': none,
  'gradle/actions/setup-gradle': none,
  'gradle/actions/dependency-submission': [{ scope: 'contents', level: 'write', why: 'submits the dependency graph' }],
  'subosito/flutter-action': none,
  'hashicorp/setup-terraform': none,
  'azure/setup-helm': none,
  'azure/setup-kubectl': none,
  'helm/kind-action': none,
  'cachix/install-nix-action': none,
  'goreleaser/goreleaser-action': [{ scope: 'contents', level: 'write', why: 'publishes the GitHub release' }],
  'ko-build/setup-ko': none,
  'bufbuild/buf-action': none,
  // Cloud authentication: OIDC only with the federated inputs.
  'aws-actions/configure-aws-credentials': [oidc('assumes the AWS role with OIDC', 'role-to-assume')],
  'google-github-actions/auth': [oidc('authenticates to Google Cloud with OIDC', 'workload_identity_provider')],
  'azure/login': [oidc('logs in to Azure with OIDC', 'client-id')],
  // Notifications.
  'slackapi/slack-github-action': none,
  'rtcamp/action-slack-notify': none,
  '8398a7/action-slack': none,
};

/** Shell commands and the scopes they need. A command matched by `unknown` makes the job unknown. */
export const COMMAND_PERMISSIONS: Array<{ pattern: RegExp; grants: Grant[] } | { pattern: RegExp; unknown: string }> = [
  { pattern: /\bgit\s+(?:-\S+\s+)*push\b/, grants: [{ scope: 'contents', level: 'write', why: 'git push' }] },
  { pattern: /\bgh\s+release\s+(?:create|upload|edit|delete)\b/, grants: [{ scope: 'contents', level: 'write', why: 'gh release' }] },
  { pattern: /\bgh\s+pr\s+(?:create|merge|edit|comment|review|close|reopen|ready)\b/, grants: [{ scope: 'pull-requests', level: 'write', why: 'gh pr' }] },
  { pattern: /\bgh\s+pr\s+(?:view|list|diff|checks|status)\b/, grants: [{ scope: 'pull-requests', level: 'read', why: 'gh pr' }] },
  { pattern: /\bgh\s+issue\s+(?:create|comment|edit|close|reopen|delete|lock|unlock|pin|transfer)\b/, grants: [{ scope: 'issues', level: 'write', why: 'gh issue' }] },
  { pattern: /\bgh\s+label\b/, grants: [{ scope: 'issues', level: 'write', why: 'gh label' }] },
  { pattern: /\bgh\s+(?:workflow\s+run|run\s+(?:rerun|cancel|delete))\b/, grants: [{ scope: 'actions', level: 'write', why: 'gh workflow/run' }] },
  { pattern: /\bgh\s+run\s+(?:view|list|download|watch)\b/, grants: [{ scope: 'actions', level: 'read', why: 'gh run' }] },
  { pattern: /\b(?:docker|podman|buildah)\s+(?:push|login)\b[^\n]*\bghcr\.io\b|\bghcr\.io\/[^\s]*[^\n]*--push\b/, grants: [{ scope: 'packages', level: 'write', why: 'pushes to ghcr.io' }] },
  { pattern: /npm\.pkg\.github\.com/, grants: [{ scope: 'packages', level: 'write', why: 'publishes to GitHub Packages' }] },
  { pattern: /\bgh\s+api\b/, unknown: '`gh api` calls whatever endpoint it is given' },
  { pattern: /\bgh\s+(?:secret|variable|repo|ruleset|cache|project|gist|auth\s+setup-git)\b/, unknown: 'a gh command whose scopes pipewarden does not map' },
  { pattern: /api\.github\.com|\$GITHUB_API_URL/, unknown: 'calls the GitHub API directly' },
];
