/** The HTML report: escaping, ranking and excerpts as text, then the real page in headless Chromium. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDirectory } from '../src/audit/audit.js';
import { CHECKS } from '../src/registry.js';
import { fixDiff } from '../src/fix/preview.js';
import type { AuditReport } from '../src/report.js';
import { escapeHtml, loadSources, rankFindings, renderHtml } from '../src/reporters/html.js';
import type { Finding } from '../src/types.js';
import { findChromium } from './helpers/chromium.js';
import { makeRepo, tempDir } from './helpers/repo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GAPPY = path.join(ROOT, 'test/fixtures/gappy-repo');

/** The gappy fixture audited as the CLI does for JSON and HTML: fixes carry their diffs. */
async function gappy() {
  const { report, model } = await auditDirectory(GAPPY, { checks: CHECKS, identity: { owner: 'acme', name: 'gappy' }, label: 'acme/gappy' });
  for (const f of report.findings) if (f.fix) f.fix = { ...f.fix, diff: fixDiff(model, f.fix) };
  return { report, sources: await loadSources(GAPPY, report.findings) };
}

function finding(over: Partial<Finding>): Finding {
  return {
    check: 'template-injection',
    severity: 'high',
    confidence: 'high',
    area: 'injection',
    file: '.github/workflows/ci.yml',
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 10,
    message: 'm',
    remediation: 'r',
    fixable: false,
    ...over,
  };
}

function reportOf(findings: Finding[], extra: Partial<AuditReport> = {}): AuditReport {
  return { target: 't', findings, errors: [], checks: [], filesScanned: 1, secrets: [], workflows: 1, actions: 0, ...extra };
}

const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

function hostileReport(): AuditReport {
  return reportOf(
    [
      finding({
        message: HOSTILE,
        remediation: `use \`${HOSTILE}\``,
        file: `"><script>window.__pwned=3</script>.yml`,
        group: "'><svg onload=window.__pwned=4>",
        fix: { title: HOSTILE, safety: 'safe', edits: [], newFiles: [], changes: [], diff: `--- a/x\n+++ b/x\n@@ -1 +1 @@\n-${HOSTILE}\n+ok\n` },
      }),
    ],
    { target: `</title>${HOSTILE}`, errors: [{ file: HOSTILE, line: 1, message: HOSTILE }], secrets: [{ secret: HOSTILE, file: 'a.yml', line: 1, triggers: [HOSTILE], untrustedTriggers: [HOSTILE], environment: HOSTILE }] },
  );
}

describe('HTML report', () => {
  it('escapes every piece of repository text; its own script is the only one and nothing loads from the network', () => {
    const sources = new Map([[`"><script>window.__pwned=3</script>.yml`, `a\nb\n${HOSTILE}\nc\n`]]);
    const html = renderHtml(hostileReport(), sources);
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg');
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;window.__pwned=3');
    expect(html.match(/<script\b/g)).toHaveLength(1);
    // No element fetches anything: no src=, no <link>, and the policy says so too.
    expect(html).not.toMatch(/<[a-z]+\b[^>]*\ssrc=|<link\b|@import|url\(/i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+';/);
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('ranks "fix first" by severity, then confidence, then check', () => {
    const a = finding({ check: 'b-check', severity: 'medium', confidence: 'high' });
    const b = finding({ check: 'a-check', severity: 'critical', confidence: 'low' });
    const c = finding({ check: 'z-check', severity: 'critical', confidence: 'high' });
    const d = finding({ check: 'a-check', severity: 'medium', confidence: 'high' });
    const f = finding({ check: 'a-check', severity: 'info', confidence: 'high' });
    expect(rankFindings([a, b, c, d, f])).toEqual([c, b, d, a, f]);
    const html = renderHtml(reportOf([a, b, c, d, f].map((x, i) => ({ ...x, message: `msg-${i}` }))));
    const list = html.slice(html.indexOf('<ol class="fixfirst">'), html.indexOf('</ol>'));
    expect([...list.matchAll(/msg-(\d)/g)].map((m) => m[1])).toEqual(['2', '1', '3', '0', '4']);
  });

  it('shows the lines around a finding with its span marked, when the sources are given', () => {
    const text = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'].join('\r\n');
    const f = finding({ line: 4, endLine: 5 });
    const html = renderHtml(reportOf([f]), new Map([[f.file, text]]));
    const rows = [...html.matchAll(/<tr( class="hit")?><td class="ln">(\d+)<\/td><td class="code">([^<]*)<\/td><\/tr>/g)].map((m) => `${m[2]}${m[1] ? '*' : ''} ${m[3]}`);
    expect(rows).toEqual(['2 two', '3 three', '4* four', '5* five', '6 six', '7 seven']);
    expect(renderHtml(reportOf([f]))).not.toContain('class="source"');
  });

  it('reads sources only from inside the repository, and not through symlinks', async () => {
    const dir = await makeRepo({ 'a.yml': 'x: 1\n' });
    const outside = await makeRepo({ 'secret.txt': 'nope' });
    const { symlink } = await import('node:fs/promises');
    await symlink(path.join(outside, 'secret.txt'), path.join(dir, 'link.yml'));
    const sources = await loadSources(dir, [finding({ file: 'a.yml' }), finding({ file: 'link.yml' }), finding({ file: '../' + path.basename(outside) + '/secret.txt' }), finding({ file: 'missing.yml' })]);
    expect([...sources.keys()]).toEqual(['a.yml']);
  });

  it('renders the gappy fixture: summary, fix-first, every finding grouped by check, fix diffs', async () => {
    const { report, sources } = await gappy();
    const html = renderHtml(report, sources);
    expect(html.match(/<article class="finding"/g)).toHaveLength(report.findings.length);
    for (const check of new Set(report.findings.map((f) => f.check))) expect(html).toContain(`id="check-${check}"`);
    expect(html.match(/<li data-severity=/g)).toHaveLength(10);
    expect(html).toContain('<span class="add">+permissions:</span>');
    expect(html).toContain('https://github.com/pipewarden/pipewarden/blob/main/docs/checks/template-injection.md');
  });
});

const found = await findChromium();
const browserPath = 'path' in found ? found.path : undefined;
if (!browserPath) console.warn(`html.test.ts: skipping the headless-browser tests: ${'reason' in found ? found.reason : ''}`);

describe.skipIf(!browserPath)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: browserPath!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    dir = await tempDir();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens an HTML file, failing on any console error, page error, dialog or request that leaves file://. */
  async function open(name: string, html: string) {
    const file = path.join(dir, name);
    await writeFile(file, html);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      problems.push(`request: ${url}`);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForLoadState('load');
    return { page, problems };
  }

  it('filters hide and show findings, with no console errors and no requests', async () => {
    const { report, sources } = await gappy();
    const { page, problems } = await open('gappy.html', renderHtml(report, sources));
    const total = report.findings.length;
    const visible = () => page.locator('article.finding:visible').count();
    const shown = () => page.locator('#shown').textContent();
    expect(await visible()).toBe(total);
    expect(await shown()).toBe(`${total} of ${total} findings shown`);

    const medium = report.findings.filter((f) => f.severity === 'medium').length;
    expect(medium).toBeGreaterThan(0);
    await page.locator('input[name=severity][value=medium]').uncheck();
    expect(await visible()).toBe(total - medium);
    expect(await page.locator('article.finding[data-severity="medium"]:visible').count()).toBe(0);
    expect(await page.locator('ol.fixfirst li[data-severity="medium"]:visible').count()).toBe(0);
    expect(await shown()).toBe(`${total - medium} of ${total} findings shown`);
    // A check whose findings are all medium disappears as a group.
    const onlyMedium = [...new Set(report.findings.map((f) => f.check))].find((c) => report.findings.filter((f) => f.check === c).every((f) => f.severity === 'medium'))!;
    expect(await page.locator(`#check-${onlyMedium}`).isHidden()).toBe(true);

    await page.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(visible).toBe(total);

    await page.getByLabel('Area').selectOption('pinning');
    const pinning = report.findings.filter((f) => f.area === 'pinning').length;
    expect(await visible()).toBe(pinning);
    expect(await page.locator('article.finding:visible').evaluateAll((els) => els.every((el) => (el as HTMLElement).dataset.area === 'pinning'))).toBe(true);

    await page.getByLabel('Area').selectOption('');
    await page.getByLabel('Check').selectOption('template-injection');
    expect(await visible()).toBe(report.findings.filter((f) => f.check === 'template-injection').length);
    await page.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(visible).toBe(total);

    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const shot = await page.screenshot({ fullPage: false });
    if (process.env.FULL_SCREENSHOT) await writeFile(process.env.FULL_SCREENSHOT, await page.screenshot({ fullPage: true }));
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    await writeFile(path.join(dir, 'report.png'), shot);
    // `UPDATE_SCREENSHOT=1 npx vitest run test/html.test.ts` refreshes the README screenshot.
    if (process.env.UPDATE_SCREENSHOT) {
      await mkdir(path.join(ROOT, 'docs'), { recursive: true });
      await writeFile(path.join(ROOT, 'docs/report-screenshot.png'), shot);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('hostile repository text stays text in the browser', async () => {
    const { page, problems } = await open('hostile.html', renderHtml(hostileReport(), new Map([[`"><script>window.__pwned=3</script>.yml`, HOSTILE]])));
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img, svg, iframe').count()).toBe(0);
    expect(await page.locator('p.message').first().textContent()).toBe(HOSTILE);
    expect(await page.title()).toBe(`pipewarden: </title>${HOSTILE}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('prints without the filters, every fix diff open', async () => {
    const { report, sources } = await gappy();
    const { page, problems } = await open('print.html', renderHtml(report, sources));
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = false)));
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#filters').isHidden()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // beforeprint opened the fix diffs again.
    expect(await page.locator('details:not([open])').count()).toBe(0);
    expect(await page.locator('details').count()).toBe(report.findings.filter((f) => f.fix?.diff).length);
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** The committed screenshot exists and is a PNG (refreshed by the browser test on demand). */
describe('docs/report-screenshot.png', () => {
  it('is a PNG', async () => {
    const png = await readFile(path.join(ROOT, 'docs/report-screenshot.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
