/** --go runs `go mod verify` with the network off; a stand-in `go` on PATH records how it was called. */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditDirectory } from '../src/audit/audit.js';
import { findCheck } from '../src/registry.js';
import { makeRepo, tempDir } from './helpers/repo.js';

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

async function fakeGo(exitCode: number, output: string): Promise<string> {
  const bin = await tempDir();
  const log = path.join(bin, 'calls.log');
  await writeFile(
    path.join(bin, 'go'),
    `#!/bin/sh\necho "$PWD|$*|GOPROXY=$GOPROXY|GOTOOLCHAIN=$GOTOOLCHAIN|GOSUMDB=$GOSUMDB" >> ${log}\necho "${output}" >&2\nexit ${exitCode}\n`,
  );
  await chmod(path.join(bin, 'go'), 0o755);
  process.env.PATH = `${bin}:${originalPath}`;
  return log;
}

const FILES = { 'go.mod': 'module x\n\nrequire a.b/c v1.0.0\n', 'go.sum': 'a.b/c v1.0.0 h1:x=\na.b/c v1.0.0/go.mod h1:y=\n' };

describe('--go', () => {
  it('reports what go mod verify says, per module, with the network off', async () => {
    const log = await fakeGo(1, 'a.b/c v1.0.0: dir has been modified');
    const dir = await makeRepo(FILES);
    const { report } = await auditDirectory(dir, { go: true, checks: [findCheck('go-sum-missing')!] });
    expect(report.findings).toMatchObject([{ check: 'go-sum-missing', line: 1, message: 'go mod verify failed: a.b/c v1.0.0: dir has been modified' }]);
    const call = (await readFile(log, 'utf8')).trim();
    expect(call).toMatch(/\|mod verify\|GOPROXY=off\|GOTOOLCHAIN=local\|GOSUMDB=off$/);
  });

  it('a passing verification adds nothing', async () => {
    await fakeGo(0, 'all modules verified');
    const dir = await makeRepo(FILES);
    const { report } = await auditDirectory(dir, { go: true, checks: [findCheck('go-sum-missing')!] });
    expect(report.findings).toEqual([]);
  });

  it('without a go binary it says so and the audit goes on', async () => {
    process.env.PATH = await tempDir();
    const dir = await makeRepo(FILES);
    const { report } = await auditDirectory(dir, { go: true, checks: [findCheck('go-sum-missing')!] });
    expect(report.errors).toContainEqual({ file: '.', message: '--go: no `go` binary on PATH; skipped local verification' });
  });
});
