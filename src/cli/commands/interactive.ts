/**
 * The interactive view for a person at a terminal. Ink and React are loaded here and only here,
 * so the CI path never imports them.
 */
import type { RepoSession } from '../../engine/session.js';
import type { Io } from '../io.js';
import type { CliConfig } from '../options.js';
import { exitCode } from '../exit-code.js';
import { render } from '../output.js';

export async function runInteractive(session: RepoSession, config: CliConfig, io: Io): Promise<number> {
  // The triage views are not built yet: until they are, a terminal gets the coloured text report.
  const audit = await session.audit();
  io.stdout(await render(audit.report, 'text', { color: !io.env.NO_COLOR, verbose: config.verbose, ...(io.columns ? { columns: io.columns } : {}) }));
  return exitCode(audit.report, config);
}
