/**
 * One self-contained HTML file: inline CSS and script, no network loads (a Content-Security-
 * Policy with hashes of the inline style and script enforces it), and every piece of
 * repository text escaped. Summary by severity and area, a "fix first" list, findings grouped
 * by check with the source lines around each (when the sources are given) and fix diffs,
 * filters by severity, area and check, and a print layout.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { byPriority, fixFirst } from '../audit/priority.js';
import { countBySeverity, type AuditReport } from '../audit/report.js';
import { AREAS, SEVERITIES, type Finding, type Severity } from '../types.js';
import { VERSION } from '../version.js';
import { checkDocUrl } from './sarif.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const e = escapeHtml;

/** Escaped prose, with `code` spans (as checks write them) set as <code>: escaping first leaves no markup to break. */
const prose = (s: string): string => e(s).replace(/`([^`\n]+)`/g, '<code>$1</code>');

/** Most urgent first, the order the text report and the interactive view use (src/audit/priority.ts). */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(byPriority);
}

const FIX_FIRST = 10;
/** Lines shown before and after a finding's span, and at most this many lines of the span itself. */
const CONTEXT = 2;
const MAX_SPAN = 8;

/** Source files larger than this are not read for excerpts (the audit skips them too). */
const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

/**
 * Reads the files findings point at, for excerpts: repository-relative paths only, no symlinks,
 * nothing that resolves outside `dir`, nothing over 5 MiB; files that are missing (a finding
 * about a file that should exist) are left out.
 */
export async function loadSources(dir: string, findings: readonly Finding[]): Promise<Map<string, string>> {
  const root = await realpath(dir);
  const out = new Map<string, string>();
  for (const file of new Set(findings.map((f) => f.file))) {
    if (path.isAbsolute(file) || file.split('/').includes('..')) continue;
    const abs = path.join(root, file);
    try {
      const info = await lstat(abs);
      if (!info.isFile() || info.size > MAX_SOURCE_BYTES) continue;
      const real = await realpath(abs);
      if (real !== abs && !real.startsWith(root + path.sep)) continue;
      out.set(file, await readFile(real, 'utf8'));
    } catch {
      // not there: nothing to show
    }
  }
  return out;
}

function excerpt(f: Finding, text: string): string {
  const lines = text.split(/\r?\n/);
  if (f.line < 1 || f.line > lines.length) return '';
  const last = Math.min(f.endLine >= f.line ? f.endLine : f.line, f.line + MAX_SPAN - 1, lines.length);
  const from = Math.max(1, f.line - CONTEXT);
  const to = Math.min(lines.length, last + CONTEXT);
  const rows: string[] = [];
  for (let n = from; n <= to; n++) {
    const hit = n >= f.line && n <= last;
    rows.push(`<tr${hit ? ' class="hit"' : ''}><td class="ln">${n}</td><td class="code">${e(lines[n - 1] ?? '') || ' '}</td></tr>`);
  }
  return `<div class="source"><table aria-label="${e(`${f.file} lines ${from} to ${to}`)}"><tbody>${rows.join('')}</tbody></table></div>`;
}

function diffBlock(diff: string): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  const cls = (l: string): string => (l.startsWith('+++') || l.startsWith('---') || l.startsWith('diff ') ? 'file' : l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx');
  return `<pre class="diff">${lines.map((l) => `<span class="${cls(l)}">${e(l) || ' '}</span>`).join('')}</pre>`;
}

const n = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
const badge = (s: Severity): string => `<span class="sev sev-${s}">${s}</span>`;
const loc = (f: Finding): string => `${f.file}:${f.line}:${f.column}`;
const attrs = (f: Finding): string => `data-severity="${f.severity}" data-area="${e(f.area)}" data-check="${e(f.check)}"`;

const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--crit:#8b0000;--high:#cf222e;--med:#9a6700;--low:#0969da;--info:#59636e;--hit:#fff8c5;--add:#dafbe1;--del:#ffebe9}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:0}
.meta{color:var(--muted);margin:0}
code,pre,.code,.ln{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:96px;background:var(--panel)}
.card b{display:block;font-size:22px}
.card.sev-critical b{color:var(--crit)}.card.sev-high b{color:var(--high)}.card.sev-medium b{color:var(--med)}.card.sev-low b{color:var(--low)}.card.sev-info b{color:var(--info)}
table.matrix{border-collapse:collapse;margin:8px 0}
table.matrix th,table.matrix td{border:1px solid var(--line);padding:3px 10px;text-align:right}
table.matrix th:first-child,table.matrix td:first-child{text-align:left}
table.matrix td.zero{color:#b0b7be}
.sev{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;text-transform:uppercase;letter-spacing:.02em}
.sev-critical.sev{background:var(--crit)}.sev-high.sev{background:var(--high)}.sev-medium.sev{background:var(--med)}.sev-low.sev{background:var(--low)}.sev-info.sev{background:var(--info)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;font-size:12px;color:var(--muted)}
ol.fixfirst{padding-left:24px}ol.fixfirst li{margin:4px 0}
.filters{position:sticky;top:0;z-index:1;background:var(--bg);border-bottom:1px solid var(--line);padding:10px 0;display:flex;flex-wrap:wrap;gap:14px;align-items:center}
.filters fieldset{border:0;margin:0;padding:0;display:flex;gap:10px;align-items:center}
.filters legend{float:left;margin-right:6px;font-weight:600}
.filters label{white-space:nowrap}
#shown{color:var(--muted);margin-left:auto}
section.check{border:1px solid var(--line);border-radius:8px;margin:14px 0;overflow:hidden}
section.check>.head{background:var(--panel);padding:10px 14px;border-bottom:1px solid var(--line)}
section.check>.head p{margin:4px 0 0;color:var(--muted)}
article.finding{padding:10px 14px;border-top:1px solid var(--line)}
article.finding:first-of-type{border-top:0}
article.finding .where{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
article.finding p{margin:6px 0}
.remediation{color:var(--muted)}
div.source{background:var(--panel);border:1px solid var(--line);border-radius:6px;margin:6px 0;overflow-x:auto}
div.source table{border-collapse:collapse;width:100%}
div.source td{padding:0 8px;white-space:pre;vertical-align:top;line-height:1.45}
div.source td.code{width:100%}
div.source td.ln{color:var(--muted);text-align:right;user-select:none;border-right:1px solid var(--line)}
div.source tr.hit td{background:var(--hit)}
details.fix summary{cursor:pointer;font-weight:600}
pre.diff{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:6px 0;overflow-x:auto;margin:6px 0}
pre.diff span{display:block;padding:0 10px}
pre.diff .add{background:var(--add)}pre.diff .del{background:var(--del)}pre.diff .hunk{color:var(--low)}pre.diff .file{color:var(--muted)}
table.list{border-collapse:collapse;width:100%}
table.list th,table.list td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
footer{max-width:1100px;margin:32px auto;padding:0 24px;color:var(--muted)}
[hidden]{display:none!important}
@media print{
  body{font-size:11px}
  .filters,#shown{display:none}
  header,main,footer{max-width:none;padding:0}
  section.check>.head,article.finding,div.source,pre.diff{break-inside:avoid}
  section.check>.head{break-after:avoid}
  .sev{color:#000;background:none!important;border:1px solid #000}
  a{color:inherit;text-decoration:none}
  div.source,pre.diff{overflow:visible;white-space:pre-wrap}
  div.source td{white-space:pre-wrap}
}
`;

/** Filters: a finding (and a fix-first entry) is shown when its severity is ticked and its area and check match the selects. */
const SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var items = document.querySelectorAll('[data-severity]');
  var groups = document.querySelectorAll('section.check');
  var shown = document.getElementById('shown');
  function apply() {
    var sev = {};
    form.querySelectorAll('input[name=severity]').forEach(function (i) { sev[i.value] = i.checked; });
    var area = form.elements.namedItem('area').value;
    var check = form.elements.namedItem('check').value;
    var n = 0;
    items.forEach(function (el) {
      var ok = sev[el.dataset.severity] && (area === '' || el.dataset.area === area) && (check === '' || el.dataset.check === check);
      el.hidden = !ok;
      if (ok && el.tagName === 'ARTICLE') n++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('article.finding:not([hidden])'); });
    shown.textContent = n + ' of ' + document.querySelectorAll('article.finding').length + ' findings shown';
  }
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
  apply();
})();
`;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');

export function renderHtml(report: AuditReport, sources?: Map<string, string>): string {
  const findings = report.findings;
  const counts = countBySeverity(findings);
  const ids = new Map(findings.map((f, i) => [f, `f${i + 1}`]));
  const title = `pipewarden: ${report.target}`;
  const out: string[] = [];

  out.push(
    '<header>',
    `<h1>${e(title)}</h1>`,
    `<p class="meta">${report.identity ? `${e(`${report.identity.owner}/${report.identity.name}`)} · ` : ''}${n(report.filesScanned, 'file')} read · ${n(report.workflows, 'workflow')} · ${n(report.actions, 'action')} · ${n(report.checks.length, 'check')} · pipewarden ${e(VERSION)}</p>`,
    '</header>',
    '<main>',
  );

  // Summary by severity, and by area × severity.
  out.push('<h2 id="summary">Summary</h2>', '<div class="cards">');
  out.push(`<div class="card"><b>${findings.length}</b>findings</div>`);
  for (const s of SEVERITIES) out.push(`<div class="card sev-${s}"><b>${counts[s]}</b>${s}</div>`);
  out.push('</div>');
  const areas = AREAS.filter((a) => findings.some((f) => f.area === a));
  if (areas.length) {
    out.push('<table class="matrix"><thead><tr><th>area</th>', ...SEVERITIES.map((s) => `<th>${s}</th>`), '<th>total</th></tr></thead><tbody>');
    for (const a of areas) {
      const inArea = findings.filter((f) => f.area === a);
      const c = countBySeverity(inArea);
      out.push(`<tr><td>${e(a)}</td>`, ...SEVERITIES.map((s) => `<td${c[s] ? '' : ' class="zero"'}>${c[s]}</td>`), `<td>${inArea.length}</td></tr>`);
    }
    out.push('</tbody></table>');
  }

  if (findings.length === 0) out.push('<p>No findings.</p>');
  else {
    // One finding per group of repeats, most urgent first (the same list as the text report's).
    const ranked = fixFirst(findings, FIX_FIRST).top;
    out.push('<h2 id="fix-first">Fix first</h2>', '<ol class="fixfirst">');
    for (const f of ranked.slice(0, FIX_FIRST)) {
      const id = ids.get(f);
      const where = id ? `<a href="#${id}"><code>${e(loc(f))}</code></a>` : `<code>${e(loc(f))}</code>`;
      out.push(`<li ${attrs(f)}>${badge(f.severity)} <code>${e(f.check)}</code> ${where}: ${prose(f.message)}${f.fixable ? ' <span class="tag">fixable</span>' : ''}</li>`);
    }
    out.push('</ol>');

    // Filters.
    const checksPresent = [...new Set(findings.map((f) => f.check))].sort();
    out.push('<h2 id="findings">Findings</h2>', '<form id="filters" class="filters">');
    out.push('<fieldset><legend>Severity</legend>');
    for (const s of SEVERITIES) out.push(`<label><input type="checkbox" name="severity" value="${s}" checked> ${s} (${counts[s]})</label>`);
    out.push('</fieldset>');
    out.push('<label>Area <select name="area"><option value="">all</option>', ...areas.map((a) => `<option value="${e(a)}">${e(a)}</option>`), '</select></label>');
    out.push('<label>Check <select name="check"><option value="">all</option>', ...checksPresent.map((c) => `<option value="${e(c)}">${e(c)}</option>`), '</select></label>');
    out.push('<button type="reset">Show all</button>', `<span id="shown" aria-live="polite">${findings.length} of ${findings.length} findings shown</span>`, '</form>');

    // Findings grouped by check, in the registry's order, most urgent first within each.
    const order = new Map(report.checks.map((c, i) => [c.id, i]));
    const byCheck = new Map<string, Finding[]>();
    for (const f of findings) byCheck.set(f.check, [...(byCheck.get(f.check) ?? []), f]);
    const checkIds = [...byCheck.keys()].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : 1));
    for (const check of checkIds) {
      const list = rankFindings(byCheck.get(check)!);
      const meta = report.checks.find((c) => c.id === check);
      out.push(`<section class="check" id="check-${e(check)}">`, '<div class="head">');
      out.push(
        `<h3><a href="${e(checkDocUrl(check))}"><code>${e(check)}</code></a>${meta ? ` ${e(meta.title)}` : ''} <span class="tag">${e(list[0]!.area)}</span> <span class="tag">${list.length} finding${list.length === 1 ? '' : 's'}</span></h3>`,
      );
      if (meta) out.push(`<p>${prose(meta.description)}</p>`);
      out.push('</div>');
      for (const f of list) {
        out.push(`<article class="finding" id="${ids.get(f)}" ${attrs(f)}>`);
        out.push(`<div>${badge(f.severity)} <span class="where">${e(loc(f))}</span> <span class="tag">confidence ${f.confidence}</span>${f.fixable ? ' <span class="tag">fixable</span>' : ''}${f.group ? ` <span class="tag">${e(f.group)}</span>` : ''}</div>`);
        out.push(`<p class="message">${prose(f.message)}</p>`);
        const text = sources?.get(f.file);
        if (text !== undefined) out.push(excerpt(f, text));
        out.push(`<p class="remediation">${prose(f.remediation)}</p>`);
        if (f.fix?.diff) out.push(`<details class="fix" open><summary>Fix: ${e(f.fix.title)} <span class="tag">${f.fix.safety}</span></summary>${diffBlock(f.fix.diff)}</details>`);
        out.push('</article>');
      }
      out.push('</section>');
    }
  }

  if (report.errors.length) {
    out.push(`<h2 id="errors">Files that could not be read (${report.errors.length})</h2>`, '<table class="list"><thead><tr><th>file</th><th>problem</th></tr></thead><tbody>');
    for (const err of report.errors) out.push(`<tr><td><code>${e(err.file)}${err.line ? `:${err.line}` : ''}</code></td><td>${prose(err.message)}${err.check ? ` <span class="tag">${e(err.check)}</span>` : ''}</td></tr>`);
    out.push('</tbody></table>');
  }

  if (report.secrets.length) {
    out.push('<h2 id="secrets">Secrets read by workflows</h2>', '<table class="list"><thead><tr><th>secret</th><th>where</th><th>triggers</th><th>environment</th></tr></thead><tbody>');
    for (const s of report.secrets) {
      const where = `${s.file}:${s.line}${s.job ? ` job ${s.job}` : ''}${s.step !== undefined ? ` step ${s.step}` : ''}`;
      const triggers = s.triggers.map((t) => (s.untrustedTriggers.includes(t) ? `<b title="outsiders can start this">${e(t)}</b>` : e(t))).join(', ');
      out.push(`<tr><td><code>${e(s.secret)}</code></td><td><code>${e(where)}</code></td><td>${triggers}</td><td>${s.environment ? e(s.environment) : '<i>none</i>'}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push('</main>', `<footer>Generated by pipewarden ${e(VERSION)}. Each check links to its documentation.</footer>`);

  const csp = `default-src 'none'; style-src 'sha256-${sha256(STYLE)}'; script-src 'sha256-${sha256(SCRIPT)}'; img-src data:; form-action 'none'; base-uri 'none'`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...out,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
