/**
 * npm run corpus -- DIR: audits every repository folder under DIR (named owner__name) and
 * prints one line each: files read, findings per check, errors, milliseconds. Exits non-zero
 * if any audit crashed.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { auditDirectory } from '../src/audit.js';
import { countByCheck } from '../src/report.js';

async function main(): Promise<number> {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: npm run corpus -- DIR');
    return 2;
  }
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  let crashed = 0;
  let totalFindings = 0;
  let totalErrors = 0;
  for (const name of entries) {
    const [owner, repo] = name.includes('__') ? name.split('__') : [name, name];
    const start = performance.now();
    try {
      const { report } = await auditDirectory(path.join(dir, name), { identity: { owner: owner!, name: repo! } });
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
  console.log(`${entries.length} repositories, ${totalFindings} findings, ${totalErrors} errors, ${crashed} crashed`);
  return crashed ? 1 : 0;
}

main().then((code) => (process.exitCode = code));
