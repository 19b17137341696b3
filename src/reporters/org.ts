/**
 * The organisation report: a repository-by-area matrix (finding counts), severity totals and
 * the failures, as text, JSON (also the shard format `pipewarden merge` reads), CSV, Markdown
 * and one self-contained HTML file whose matrix links to a section per repository.
 */
import { createHash } from 'node:crypto';
import { areaCounts, canonical, OrgError, severityCounts, totals, type OrgReport, type RepoResult } from '../engine/org.js';
import { AREAS, SEVERITIES, type Area, type Severity } from '../types.js';
import { VERSION } from '../version.js';
import { escapeHtml as e } from './html.js';

export const ORG_FORMATS = ['text', 'json', 'csv', 'markdown', 'html'] as const;
export type OrgFormat = (typeof ORG_FORMATS)[number];

export function renderOrg(report: OrgReport, format: OrgFormat): string {
  const r = canonical(report);
  switch (format) {
    case 'json':
      return renderOrgJson(r);
    case 'csv':
      return renderOrgCsv(r);
    case 'markdown':
      return renderOrgMarkdown(r);
    case 'html':
      return renderOrgHtml(r);
    default:
      return renderOrgText(r);
  }
}

const KIND = 'pipewarden-org-report';

/** The JSON document; deterministic (no timestamps, canonical order), so merged shards equal one run byte for byte. */
export function renderOrgJson(report: OrgReport): string {
  const r = canonical(report);
  const doc = {
    version: 1,
    kind: KIND,
    tool: { name: 'pipewarden', version: VERSION },
    org: r.org,
    ...(r.shard ? { shard: r.shard } : {}),
    totals: totals(r),
    failures: r.repositories.filter((x) => x.status === 'failed').map((x) => ({ repository: x.repository, error: x.error ?? '' })),
    repositories: r.repositories.map((x) => ({ ...x, byArea: areaCounts(x.findings), bySeverity: severityCounts(x.findings) })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Reads a report written by renderOrgJson (a shard file), naming the file in every complaint. */
export function parseOrgJson(file: string, text: string): OrgReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new OrgError(`${file}: not JSON (${(err as Error).message})`);
  }
  const d = doc as { version?: unknown; kind?: unknown; org?: unknown; shard?: { index?: unknown; count?: unknown }; repositories?: unknown };
  if (!d || typeof d !== 'object' || d.kind !== KIND) throw new OrgError(`${file}: not a pipewarden org report (write one with pipewarden org ORG --format json)`);
  if (d.version !== 1) throw new OrgError(`${file}: report version ${String(d.version)} is not supported (this pipewarden reads version 1)`);
  if (typeof d.org !== 'string' || !Array.isArray(d.repositories)) throw new OrgError(`${file}: the report has no org or repositories`);
  const shard = d.shard;
  if (shard !== undefined && !(Number.isInteger(shard.index) && Number.isInteger(shard.count) && (shard.index as number) >= 0 && (shard.index as number) < (shard.count as number))) {
    throw new OrgError(`${file}: the shard is not index/count`);
  }
  const repositories: RepoResult[] = [];
  for (const [i, raw] of (d.repositories as unknown[]).entries()) {
    const x = raw as Partial<RepoResult> & { byArea?: unknown; bySeverity?: unknown };
    if (!x || typeof x.repository !== 'string' || (x.status !== 'ok' && x.status !== 'failed') || !Array.isArray(x.findings)) throw new OrgError(`${file}: repositories[${i}] is malformed`);
    for (const f of x.findings) {
      if (!(AREAS as readonly string[]).includes(f.area) || !(SEVERITIES as readonly string[]).includes(f.severity)) throw new OrgError(`${file}: ${x.repository}: a finding has an unknown area or severity`);
    }
    const { byArea: _a, bySeverity: _s, ...rest } = x;
    repositories.push({ ...(rest as RepoResult), auditErrors: Array.isArray(x.auditErrors) ? x.auditErrors : [], filesScanned: typeof x.filesScanned === 'number' ? x.filesScanned : 0 });
  }
  return { org: d.org, ...(shard ? { shard: { index: shard.index as number, count: shard.count as number } } : {}), repositories };
}

const status = (x: RepoResult): string => (x.status === 'failed' ? 'failed' : x.filesScanned === 0 ? 'nothing to audit' : 'ok');

export function renderOrgCsv(report: OrgReport): string {
  const q = (s: string | number): string => {
    const v = String(s);
    // Quote what needs it; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const rows = [['repository', 'status', ...AREAS, ...SEVERITIES, 'total', 'error'].join(',')];
  for (const x of canonical(report).repositories) {
    const a = areaCounts(x.findings);
    const s = severityCounts(x.findings);
    rows.push([q(x.repository), q(status(x)), ...AREAS.map((k) => a[k]), ...SEVERITIES.map((k) => s[k]), x.findings.length, q(x.error ?? '')].join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

function headline(report: OrgReport): string {
  const t = totals(report);
  return `${t.repositories} repositor${t.repositories === 1 ? 'y' : 'ies'}, ${t.audited} audited, ${t.failed} failed, ${t.findings} finding${t.findings === 1 ? '' : 's'} (${SEVERITIES.map((s) => `${t.bySeverity[s]} ${s}`).join(', ')})`;
}

/** Short column headings for the text matrix. */
const SHORT: Record<Area, string> = {
  permissions: 'perm',
  pinning: 'pin',
  credentials: 'cred',
  triggers: 'trig',
  injection: 'inj',
  'release-integrity': 'rel',
  dependencies: 'deps',
  go: 'go',
  'policy-files': 'policy',
  remote: 'remote',
};

export function renderOrgText(report: OrgReport): string {
  const r = canonical(report);
  const out = [`pipewarden org ${r.org}${r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : ''}: ${headline(r)}`, ''];
  const header = ['repository', ...AREAS.map((a) => SHORT[a]), 'total', 'status'];
  const rows = r.repositories.map((x) => {
    const a = areaCounts(x.findings);
    return [x.repository, ...AREAS.map((k) => (a[k] ? String(a[k]) : '.')), String(x.findings.length), status(x)];
  });
  const t = totals(r);
  rows.push(['total', ...AREAS.map((k) => String(t.byArea[k])), String(t.findings), '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]): string => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : i === row.length - 1 ? c : c.padStart(widths[i]!))).join('  ').trimEnd();
  out.push(fmt(header), ...rows.map(fmt), '');
  out.push(`areas: ${AREAS.map((a) => `${SHORT[a]}=${a}`).join(', ')}`);
  const failures = r.repositories.filter((x) => x.status === 'failed');
  if (failures.length) {
    out.push('', `failures (${failures.length}):`);
    for (const x of failures) out.push(`  ${x.repository}: ${x.error ?? 'failed'}`);
  }
  const prs = r.repositories.flatMap((x) => (x.pullRequests ?? []).map((p) => `  ${x.repository}: #${p.number} ${p.action} ${p.url} (${p.fixes} fix${p.fixes === 1 ? '' : 'es'})`));
  const prErrors = r.repositories.filter((x) => x.pullRequestError).map((x) => `  ${x.repository}: not opened: ${x.pullRequestError}`);
  if (prs.length || prErrors.length) out.push('', 'pull requests:', ...prs, ...prErrors);
  return out.join('\n') + '\n';
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderOrgMarkdown(report: OrgReport): string {
  const r = canonical(report);
  const t = totals(r);
  const out = [`## pipewarden org: ${cell(r.org)}${r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : ''}`, '', headline(r), ''];
  out.push('| ' + SEVERITIES.join(' | ') + ' |', '|' + SEVERITIES.map(() => ' ---: ').join('|') + '|', '| ' + SEVERITIES.map((s) => t.bySeverity[s]).join(' | ') + ' |', '');
  out.push(`| Repository | ${AREAS.join(' | ')} | Total | Status |`, `| --- | ${AREAS.map(() => '---:').join(' | ')} | ---: | --- |`);
  for (const x of r.repositories) {
    const a = areaCounts(x.findings);
    out.push(`| \`${cell(x.repository)}\` | ${AREAS.map((k) => a[k]).join(' | ')} | ${x.findings.length} | ${status(x)} |`);
  }
  out.push(`| **total** | ${AREAS.map((k) => t.byArea[k]).join(' | ')} | ${t.findings} | |`, '');
  const failures = r.repositories.filter((x) => x.status === 'failed');
  if (failures.length) {
    out.push(`<details><summary>${failures.length} repositor${failures.length === 1 ? 'y' : 'ies'} could not be audited</summary>`, '');
    for (const x of failures) out.push(`- \`${cell(x.repository)}\`: ${cell(x.error ?? 'failed')}`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}header,main{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:22px}table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}td.zero{color:#8c959f}tr.failed td{background:#fff1f0}.sev{display:inline-block;min-width:64px;font-weight:600}
.sev-critical{color:#8b0000}.sev-high{color:#cf222e}.sev-medium{color:#9a6700}.sev-low{color:#0969da}.sev-info{color:#57606a}
.cards{display:flex;gap:8px;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:6px;padding:6px 12px}.card b{display:block;font-size:20px}
section{border-top:1px solid #d0d7de;margin-top:16px}code{font-family:ui-monospace,monospace;font-size:12px}ul.findings{padding-left:18px}
@media print{a{color:inherit;text-decoration:none}}`;

const anchor = (repository: string): string => `repo-${repository.replace(/[^A-Za-z0-9_.-]/g, '_')}`;

export function renderOrgHtml(report: OrgReport): string {
  const r = canonical(report);
  const t = totals(r);
  const title = `pipewarden org: ${r.org}${r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : ''}`;
  const out: string[] = ['<header>', `<h1>${e(title)}</h1>`, `<p>${e(headline(r))} · pipewarden ${e(VERSION)}</p>`, '</header>', '<main>'];
  out.push('<div class="cards">', `<div class="card"><b>${t.findings}</b>findings</div>`, ...SEVERITIES.map((s) => `<div class="card sev-${s}"><b>${t.bySeverity[s]}</b>${s}</div>`), '</div>');
  out.push('<h2 id="matrix">Repositories by area</h2>', '<table class="matrix"><thead><tr><th>repository</th>', ...AREAS.map((a) => `<th>${e(a)}</th>`), '<th>total</th><th>status</th></tr></thead><tbody>');
  for (const x of r.repositories) {
    const a = areaCounts(x.findings);
    out.push(
      `<tr${x.status === 'failed' ? ' class="failed"' : ''}><td><a href="#${anchor(x.repository)}">${e(x.repository)}</a></td>`,
      ...AREAS.map((k) => `<td${a[k] ? '' : ' class="zero"'}>${a[k]}</td>`),
      `<td>${x.findings.length}</td><td>${e(status(x))}</td></tr>`,
    );
  }
  out.push('<tr><th>total</th>', ...AREAS.map((k) => `<th>${t.byArea[k]}</th>`), `<th>${t.findings}</th><th></th></tr>`, '</tbody></table>');
  const failures = r.repositories.filter((x) => x.status === 'failed');
  if (failures.length) {
    out.push(`<h2 id="failures">Failures (${failures.length})</h2>`, '<ul>');
    for (const x of failures) out.push(`<li><a href="#${anchor(x.repository)}">${e(x.repository)}</a>: ${e(x.error ?? 'failed')}</li>`);
    out.push('</ul>');
  }
  for (const x of r.repositories) {
    out.push(`<section id="${anchor(x.repository)}">`, `<h2>${e(x.repository)}</h2>`);
    if (x.status === 'failed') out.push(`<p>Could not be audited: ${e(x.error ?? 'failed')}</p>`);
    else if (x.findings.length === 0) out.push(`<p>${x.filesScanned === 0 ? 'Nothing to audit (no workflows, actions or policy files).' : 'No findings.'}</p>`);
    else {
      const s = severityCounts(x.findings);
      out.push(`<p>${SEVERITIES.filter((k) => s[k]).map((k) => `${s[k]} ${k}`).join(' · ')}</p>`, '<ul class="findings">');
      const ranked = [...x.findings].sort((p, q) => SEVERITIES.indexOf(p.severity as Severity) - SEVERITIES.indexOf(q.severity as Severity));
      for (const f of ranked) out.push(`<li><span class="sev sev-${f.severity}">${f.severity}</span> <code>${e(f.check)}</code> <code>${e(`${f.file}:${f.line}:${f.column}`)}</code>: ${e(f.message)}${f.baseline ? ' (baseline)' : ''}</li>`);
      out.push('</ul>');
    }
    for (const p of x.pullRequests ?? []) {
      const link = /^https?:\/\//.test(p.url) ? `<a href="${e(p.url)}">#${p.number}</a>` : `#${p.number}`;
      out.push(`<p>Pull request ${link} ${e(p.action)} (${p.fixes} fixes)</p>`);
    }
    if (x.pullRequestError) out.push(`<p>Pull request not opened: ${e(x.pullRequestError)}</p>`);
    for (const err of x.auditErrors) out.push(`<p class="error">${e(err)}</p>`);
    out.push('<p><a href="#matrix">back to the matrix</a></p>', '</section>');
  }
  out.push('</main>');
  const hash = createHash('sha256').update(STYLE).digest('base64');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash}'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    ...out,
    '</body></html>',
    '',
  ].join('\n');
}
