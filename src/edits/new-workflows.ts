/** Workflows pipewarden adds. Each follows every rule pipewarden checks: SHA pins, least privilege, no persisted token. */
import { ACTION_PINS, GOVULNCHECK_MODULE, pinned } from '../analysis/data/action-pins.js';

const checkout = `      - uses: ${pinned(ACTION_PINS.checkout)}
        with:
          persist-credentials: false`;

export function dependencyReviewWorkflow(): string {
  return `# Added by pipewarden: reviews the dependencies each pull request adds or changes.
name: dependency-review
on:
  pull_request:

permissions:
  contents: read

jobs:
  dependency-review:
    runs-on: ubuntu-latest
    steps:
${checkout}
      - uses: ${pinned(ACTION_PINS.dependencyReview)}
        with:
          fail-on-severity: high
`;
}

export function scorecardWorkflow(defaultBranch: string): string {
  return `# Added by pipewarden: OpenSSF Scorecard on the default branch, results in code scanning.
name: scorecard
on:
  push:
    branches: [${defaultBranch}]
  schedule:
    - cron: "23 4 * * 1"

permissions: {}

jobs:
  analysis:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write # upload the results to code scanning
      id-token: write # publish the results to the OpenSSF API
    steps:
${checkout}
      - uses: ${pinned(ACTION_PINS.scorecard)}
        with:
          results_file: results.sarif
          results_format: sarif
          publish_results: true
      - uses: ${pinned(ACTION_PINS.uploadSarif)}
        with:
          sarif_file: results.sarif
`;
}

/** One job per module directory (a matrix when there are several). */
export function goWorkflow(kind: 'govulncheck' | 'go-mod-verify', moduleDirs: string[]): string {
  const dirs = moduleDirs.length ? moduleDirs : ['.'];
  const matrix = dirs.length > 1;
  const dir = matrix ? '${{ matrix.module }}' : dirs[0]!;
  const command = kind === 'govulncheck' ? `go run ${GOVULNCHECK_MODULE} ./...` : 'go mod verify';
  return `# Added by pipewarden: ${kind === 'govulncheck' ? 'reports vulnerabilities the code reaches, from the Go vulnerability database' : 'checks downloaded modules against go.sum'}.
name: ${kind}
on:
  push:
  pull_request:${kind === 'govulncheck' ? '\n  schedule:\n    - cron: "17 5 * * 1"' : ''}

permissions:
  contents: read

jobs:
  ${kind}:
    runs-on: ubuntu-latest${matrix ? `\n    strategy:\n      fail-fast: false\n      matrix:\n        module: [${dirs.map((d) => JSON.stringify(d)).join(', ')}]` : ''}
    steps:
${checkout}
      - uses: ${pinned(ACTION_PINS.setupGo)}
        with:
          go-version-file: ${matrix ? '${{ matrix.module }}/go.mod' : dir === '.' ? 'go.mod' : `${dir}/go.mod`}
          cache: false
      - run: ${command}
        working-directory: ${dir}
`;
}
