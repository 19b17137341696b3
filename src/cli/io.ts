/** What a command may touch of the outside world: output streams, the terminal, the environment. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Terminal width for wrapping the text report (undefined: not a terminal). */
  columns?: number;
}

export const EXIT = { ok: 0, findings: 1, usage: 2, cannotRun: 3 } as const;

export function defaultIo(): Io {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: !!process.stdout.isTTY,
    env: process.env,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
}

export function usage(io: Io, message: string): number {
  io.stderr(`pipewarden: ${message}\nRun pipewarden --help for usage.\n`);
  return EXIT.usage;
}
