/**
 * A headless Chromium for browser tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH). When it
 * is missing and this process is root with apt-get, it is installed (as .ci/run's fresh machine
 * needs); otherwise the reason comes back so the test can be skipped with it.
 */
import { access, constants } from 'node:fs/promises';
import { execa } from 'execa';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function present(): Promise<string | undefined> {
  const env = process.env.CHROMIUM_PATH;
  for (const file of env ? [env] : CANDIDATES) if (await executable(file)) return file;
  return undefined;
}

export async function findChromium(): Promise<{ path: string } | { reason: string }> {
  const found = await present();
  if (found) return { path: found };
  if (process.env.CHROMIUM_PATH) return { reason: `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable` };
  if (process.getuid?.() !== 0) return { reason: 'chromium is not installed and this is not root, so it cannot be installed with apt-get' };
  if (!(await executable('/usr/bin/apt-get'))) return { reason: 'chromium is not installed and there is no apt-get to install it with' };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await execa('apt-get', ['update', '-qq'], { env, reject: false, timeout: 300_000, stdin: 'ignore' });
  const install = update.exitCode === 0 ? await execa('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env, reject: false, timeout: 480_000, stdin: 'ignore' }) : update;
  const after = await present();
  if (after) return { path: after };
  return { reason: `apt-get could not install chromium (exit ${install.exitCode}): ${install.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
}
