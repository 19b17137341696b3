import type { Check } from '../src/check.js';
import { isExpired } from '../src/config/config.js';
import { lineRange } from '../src/analysis/repo-facts.js';

export const expiredSuppression: Check = {
  meta: {
    id: 'expired-suppression',
    title: 'A suppression in .pipewarden.yml has expired',
    area: 'policy-files',
    severity: 'low',
    description: 'An `ignore:` entry of .pipewarden.yml whose `expires:` date has passed.',
    why:
      'A suppression records a judgement made at one time ("this pull_request_target workflow only labels"). Its expiry asks ' +
      'someone to look again; once it has passed, the entry no longer suppresses and the finding it covered counts again.',
    howToFix: 'Review the finding again: fix it, or renew the entry with a new `expires:` date and an up-to-date reason.',
    example: 'ignore:\n  - check: dangerous-trigger\n    path: .github/workflows/label.yml\n    reason: only adds labels; reviewed by @sec-team\n    expires: 2027-06-30',
    fixable: false,
  },
  run({ env, report, repo }) {
    const config = env.config;
    if (!config?.file) return;
    const text = repo.file(config.file)?.text;
    for (const entry of config.ignore) {
      if (!isExpired(entry, env.now)) continue;
      report({
        file: entry.source.file,
        range: text ? lineRange(text, entry.source.line) : { start: 0, end: 0, line: entry.source.line, column: 1, endLine: entry.source.line, endColumn: 1 },
        messageId: 'expired',
        message: `the suppression of \`${entry.check}\`${entry.path ? ` for \`${entry.path}\`` : ''} expired on ${entry.expires} ("${entry.reason}"); its findings count again`,
      });
    }
  },
};
