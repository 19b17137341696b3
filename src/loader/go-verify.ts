/**
 * `--go`: runs `go mod verify` for each module with the network off (GOPROXY=off, no checksum
 * database, no toolchain download). It reads go.sum and the module cache; it runs no code
 * from the repository.
 */
import path from 'node:path';

export interface GoVerifyResult {
  ok: boolean;
  output: string;
}

export async function goModVerify(root: string, goModPaths: string[]): Promise<Map<string, GoVerifyResult> | { error: string }> {
  const { execa } = await import('execa');
  const out = new Map<string, GoVerifyResult>();
  for (const rel of goModPaths) {
    const dir = path.join(root, path.dirname(rel));
    const result = await execa('go', ['mod', 'verify'], {
      cwd: dir,
      reject: false,
      stdin: 'ignore',
      timeout: 120_000,
      env: { GOPROXY: 'off', GOSUMDB: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOWORK: 'off' },
    });
    if (result.failed && (result as { code?: string }).code === 'ENOENT') return { error: '--go: no `go` binary on PATH; skipped local verification' };
    const output = `${result.stdout}\n${result.stderr}`.trim();
    out.set(rel, { ok: result.exitCode === 0, output });
  }
  return out;
}
