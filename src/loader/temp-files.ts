/**
 * Temporary files and directories the run has made and not yet removed (a fix's temp file before
 * its rename, a clone). On SIGINT or SIGTERM the CLI removes them before it exits. No imports, so
 * the entry point can load it without loading the engine.
 */
import { rmSync } from 'node:fs';

const pending = new Set<string>();

export function trackTemp(p: string): void {
  pending.add(p);
}

export function untrackTemp(p: string): void {
  pending.delete(p);
}

/** Removes everything still pending; for signal handlers, so synchronous. */
export function removeTempsSync(): void {
  for (const p of pending) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // Best effort: the process is exiting.
    }
  }
  pending.clear();
}
