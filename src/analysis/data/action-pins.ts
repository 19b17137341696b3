/**
 * Commit SHAs of the actions pipewarden writes into new workflows, with the release each one
 * is. Every workflow pipewarden adds is SHA-pinned like the rest; Renovate or Dependabot then
 * keeps these current in the user's repository.
 */
export const ACTION_PINS = {
  checkout: { uses: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  setupGo: { uses: 'actions/setup-go', sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e', version: 'v7.0.0' },
  dependencyReview: { uses: 'actions/dependency-review-action', sha: 'a1d282b36b6f3519aa1f3fc636f609c47dddb294', version: 'v5.0.0' },
  scorecard: { uses: 'ossf/scorecard-action', sha: '2d1146689b8cda280b9bc96326124645441f03bc', version: 'v2.4.4' },
  uploadSarif: { uses: 'github/codeql-action/upload-sarif', sha: 'db488ddef3bf6cb639b32c2e9a7c0a7ea8271d28', version: 'v4.37.8' },
} as const;

/** govulncheck by module version: Go's checksum database makes the version immutable. */
export const GOVULNCHECK_MODULE = 'golang.org/x/vuln/cmd/govulncheck@v1.1.4';

export function pinned(pin: { uses: string; sha: string; version: string }): string {
  return `${pin.uses}@${pin.sha} # ${pin.version}`;
}
