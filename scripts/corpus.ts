/**
 * npm run corpus -- DIR: audits every repository folder under DIR (named owner__name) and
 * prints one line each: files read, findings per check, errors, milliseconds. Exits non-zero
 * if any audit crashed.
 *
 * npm run corpus -- --snapshot FILE DIR: writes every finding (check, file, range, severity, message
 * id, message) and every fix diff, one JSON object a line, sorted, so two engine versions can be
 * compared with diff(1).
 *
 * npm run corpus -- --fix-check DIR: applies every fix (unsafe ones too) to a temporary copy of
 * each repository and reports fixes applied, rolled back and not applied, and files that no
 * longer parse afterwards (which must be 0).
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { auditDirectory } from '../src/audit/audit.js';
import { planFixes } from '../src/fix/engine.js';
import { writeAtomically } from '../src/fix/write.js';
import { parseJsonish } from '../src/model/jsonish.js';
import { discover } from '../src/loader/discover.js';
import { createClient } from '../src/github/client.js';
import { Resolver } from '../src/github/resolve.js';
import { fixDiff } from '../src/fix/preview.js';
import { countByCheck } from '../src/audit/report.js';
import { CHECKS } from '../src/registry.js';
import { writeFile } from 'node:fs/promises';
import { startGitHubStandin } from './github-standin.js';

async function fixCheck(dir: string, name: string, identity: { owner: string; name: string }, resolver: Resolver): Promise<{ broken: number; line: string }> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'pipewarden-fixcheck-'));
  try {
    await cp(path.join(dir, name), copy, { recursive: true });
    const start = performance.now();
    const plan = await planFixes(await discover(copy), { include: 'all', checks: CHECKS, identity, resolver });
    for (const [file, { after }] of plan.files) await writeAtomically(copy, file, after);
    let broken = 0;
    const rereads = await discover(copy);
    for (const file of rereads.files.filter((f) => plan.files.has(f.path))) {
      const bad = /\.ya?ml$/i.test(file.path)
        ? parseDocument(file.text).errors.length > 0
        : /\.json[c5]?$|^\.renovaterc$/.test(file.path) && 'message' in parseJsonish(file.path, file.text);
      if (bad) {
        broken++;
        console.log(`  BROKEN ${file.path}`);
      }
    }
    const count = (s: string): number => plan.outcomes.filter((o) => o.status === s).length;
    for (const o of plan.outcomes.filter((o) => o.status !== 'applied')) console.log(`  ${o.status} ${o.finding.file}:${o.finding.line} ${o.finding.check}: ${o.reason}`);
    return {
      broken,
      line: `${name}\tapplied=${count('applied')}\trolled-back=${count('rolled-back')}\toverlap=${count('overlap')}\tfiles=${plan.files.size}\tbroken=${broken}\t${(performance.now() - start).toFixed(0)}ms`,
    };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const snapshotAt = args.indexOf('--snapshot');
  const snapshotFile = snapshotAt >= 0 ? args[snapshotAt + 1] : undefined;
  const dir = args.find((a, i) => !a.startsWith('--') && !(snapshotAt >= 0 && i === snapshotAt + 1));
  if (!dir) {
    console.error('usage: npm run corpus -- DIR');
    return 2;
  }
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  if (process.argv.includes('--fix-check')) {
    // GitHub look-ups go to the loopback stand-in, which answers every ref with a made-up commit.
    const standin = await startGitHubStandin({}, true);
    const resolver = new Resolver(createClient({ githubUrl: standin.url }), { version: 1, entries: {} }, { offline: false });
    let broken = 0;
    try {
      for (const name of entries) {
        const [owner, repo] = name.includes('__') ? name.split('__') : [name, name];
        const result = await fixCheck(dir, name, { owner: owner!, name: repo! }, resolver);
        broken += result.broken;
        console.log(result.line);
      }
    } finally {
      await standin.close();
    }
    for (const v of standin.violations.slice(0, 10)) console.log(`  API violation: ${v}`);
    console.log(`${entries.length} repositories, ${broken} files that no longer parse, ${standin.requests.length} GitHub look-ups, ${standin.violations.length} API violations`);
    return broken || standin.violations.length ? 1 : 0;
  }
  const snapshot: string[] = [];
  let crashed = 0;
  let totalFindings = 0;
  let totalErrors = 0;
  for (const name of entries) {
    const [owner, repo] = name.includes('__') ? name.split('__') : [name, name];
    const start = performance.now();
    try {
      const { report, model } = await auditDirectory(path.join(dir, name), { checks: CHECKS, identity: { owner: owner!, name: repo! } });
      if (snapshotFile) {
        for (const f of report.findings) {
          const fix = f.fix ? { title: f.fix.title, safety: f.fix.safety, diff: fixDiff(model, f.fix) } : undefined;
          snapshot.push(JSON.stringify({ repo: name, check: f.check, file: f.file, range: [f.line, f.column, f.endLine, f.endColumn], severity: f.severity, messageId: (f as { messageId?: string }).messageId, message: f.message, fix }));
        }
      }
      const ms = performance.now() - start;
      const byCheck = Object.entries(countByCheck(report.findings)).map(([k, v]) => `${k}=${v}`).join(' ');
      totalFindings += report.findings.length;
      totalErrors += report.errors.length;
      console.log(`${name}\tfiles=${report.filesScanned}\tfindings=${report.findings.length}\terrors=${report.errors.length}\t${ms.toFixed(0)}ms\t${byCheck}`);
      for (const e of report.errors) console.log(`  error ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    } catch (err) {
      crashed++;
      console.log(`${name}\tCRASH\t${(err as Error).stack ?? err}`);
    }
  }
  if (snapshotFile) await writeFile(snapshotFile, snapshot.sort().join('\n') + '\n');
  console.log(`${entries.length} repositories, ${totalFindings} findings, ${totalErrors} errors, ${crashed} crashed`);
  return crashed ? 1 : 0;
}

main().then((code) => (process.exitCode = code));
