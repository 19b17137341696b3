/**
 * Command-line entry: options -> a typed configuration -> one command. The CI path never
 * imports Ink or React; the interactive views load lazily, only for a person at a terminal.
 */
import { VERSION } from '../version.js';
import { defaultIo, EXIT, usage, type Io } from './io.js';
import { isInteractive, parseCommandLine } from './options.js';

export { EXIT } from './io.js';

/**
 * SIGINT / SIGTERM: say so, remove this run's temporary files and clone, give the terminal back,
 * exit 130 / 143. Every fixed file is written by rename, so each is untouched or fully fixed.
 */
export function onSignals(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      if (process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false);
      if (process.stdout.isTTY) process.stdout.write('\x1b[?25h');
      void import('../loader/temp-files.js').then(({ removeTempsSync }) => {
        removeTempsSync();
        process.stderr.write(`\npipewarden: interrupted (${signal}); files already written are complete, the rest are untouched\n`);
        process.exit(code);
      });
    });
  }
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const config = parseCommandLine(argv);
  if ('error' in config) return usage(io, config.error);
  if (config.help) {
    const { help } = await import('./commands/info.js');
    const topic = config.command === 'audit' ? undefined : config.command === 'help' ? config.target : config.command;
    return help({ ...config, ...(topic ? { target: topic } : { target: undefined }) }, io);
  }
  if (config.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (config.command === 'help') return (await import('./commands/info.js')).help(config, io);
  if (config.command === 'merge') return (await import('./commands/org.js')).mergeCommand(config, io);
  // Loaded only now so that --version and --help start without parsing any of the engine.
  const { CHECKS } = await import('../registry.js');
  if (config.command === 'checks') return (await import('./commands/info.js')).listChecks(CHECKS, config, io);
  if (config.command === 'explain') return (await import('./commands/info.js')).explain(CHECKS, config, io);
  const { selectChecks } = await import('../audit/runner.js');
  const selected = selectChecks(CHECKS, config.checks, config.skip);
  if ('unknown' in selected) return usage(io, `unknown check id: ${selected.unknown.join(', ')} (see pipewarden checks)`);
  if (config.command === 'org') return (await import('./commands/org.js')).orgCommand(selected, config, io);
  const { auditCommand } = await import('./commands/audit.js');
  return auditCommand(selected, config, io, isInteractive(config, io));
}
