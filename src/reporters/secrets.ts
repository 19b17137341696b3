/** The credential map as a table: secret, where it is read, what can trigger it, what gates it. */
import type { CredentialMapEntry } from '../analysis/secrets.js';

export function renderCredentialMap(entries: CredentialMapEntry[]): string {
  if (entries.length === 0) return 'No workflow reads a secret (other than GITHUB_TOKEN).\n';
  const rows = [...entries]
    .sort((a, b) => (a.secret < b.secret ? -1 : a.secret > b.secret ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
    .map((e) => [
      e.secret,
      `${e.file}:${e.line}`,
      e.job ? `${e.job}${e.step ? ` step ${e.step}` : ''}` : '(workflow env)',
      e.triggers.map((t) => (e.untrustedTriggers.includes(t) ? `${t}!` : t)).join(', '),
      e.environment ?? '-',
    ]);
  const header = ['SECRET', 'WHERE', 'JOB', 'TRIGGERS (! = outsiders can cause)', 'ENVIRONMENT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const ungated = new Set(entries.filter((e) => !e.environment).map((e) => e.secret));
  return [fmt(header), ...rows.map(fmt), '', `${new Set(entries.map((e) => e.secret)).size} secrets, ${ungated.size} read outside any environment`].join('\n') + '\n';
}
