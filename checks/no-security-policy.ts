import type { Check } from '../src/check.js';
import { fileStart } from '../src/analysis/repo-facts.js';

export const noSecurityPolicy: Check = {
  meta: {
    id: 'no-security-policy',
    title: 'No security policy',
    area: 'policy-files',
    severity: 'medium',
    description: 'No SECURITY.md (or .markdown, .adoc, .rst) at the root, in .github/ or in docs/: the locations OpenSSF Scorecard accepts.',
    why:
      'A reporter who finds a vulnerability needs to know where to send it privately. Without a policy, reports arrive as public ' +
      'issues, or not at all.',
    howToFix: 'Add SECURITY.md saying how to report (GitHub private vulnerability reporting or an address), what is supported, and what to expect.',
    example: '# Security policy\n\nReport vulnerabilities through https://github.com/<owner>/<repo>/security/advisories/new.',
    fixable: true,
  },
  run({ repo, report }) {
    if (repo.filesOfKind('security-policy').length > 0) return;
    const slug = repo.identity ? `${repo.identity.owner}/${repo.identity.name}` : undefined;
    report({
      file: 'SECURITY.md',
      range: fileStart(),
      // GitHub also shows a SECURITY.md from the owner's `.github` repository, which pipewarden cannot see.
      confidence: 'medium',
      messageId: 'absent',
      message: `no security policy in this repository: reporters have no private way to tell you about a vulnerability (unless ${repo.identity ? `${repo.identity.owner}/.github` : "the owner's .github repository"} provides one, which pipewarden cannot see)`,
      // The reporting link is known; response times and supported versions only a maintainer can promise.
      fix: {
        title: 'Add a SECURITY.md pointing to private vulnerability reporting (response times and supported versions left for a maintainer to write)',
        safety: 'unsafe',
        edits: [],
        newFiles: [{ file: 'SECURITY.md', content: securityPolicy(slug) }],
        changes: [],
      },
    });
  },
};

/** A policy with the reporting link filled in; the promises only a maintainer can make are marked TODO. */
function securityPolicy(slug: string | undefined): string {
  const link = slug ? `https://github.com/${slug}/security/advisories/new` : 'TODO: the link to this repository\'s security/advisories/new page';
  return `# Security policy

## Reporting a vulnerability

Please do not open a public issue. Report it privately through GitHub's private
vulnerability reporting: ${link}
(a maintainer enables it under Settings → Code security if it is not on yet).

TODO: how soon reporters can expect an acknowledgement and a fix.

## Supported versions

TODO: the release lines that receive security fixes.
`;
}
