import type { Check } from '../src/check.js';
import { fileStart } from '../src/repo-facts.js';

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
    fixable: false,
  },
  run({ repo, report }) {
    if (repo.filesOfKind('security-policy').length > 0) return;
    report({ file: 'SECURITY.md', range: fileStart(), message: 'no security policy: reporters have no private way to tell you about a vulnerability' });
  },
};
