import type { Check } from '../src/check.js';
import { fileStart } from '../src/analysis/repo-facts.js';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const URL = /https?:\/\/\S+|\/security\/advisories/;

export const securityPolicyNoContact: Check = {
  meta: {
    id: 'security-policy-no-contact',
    title: 'Security policy without a way to report',
    area: 'policy-files',
    severity: 'low',
    description: 'The security policy contains no e-mail address and no URL to report to.',
    why: 'A policy that does not say where to send a report leaves reporters to guess, usually by opening a public issue.',
    howToFix: 'Link GitHub private vulnerability reporting (/security/advisories/new) or give a security e-mail address.',
    example: 'Report vulnerabilities privately at https://github.com/<owner>/<repo>/security/advisories/new.',
    fixable: false,
  },
  run({ repo, report }) {
    for (const file of repo.filesOfKind('security-policy')) {
      if (EMAIL.test(file.text) || URL.test(file.text)) continue;
      report({ file: file.path, range: fileStart(), messageId: 'no-contact', message: 'the security policy gives no e-mail address or URL to report to' });
    }
  },
};
