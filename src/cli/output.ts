/** Rendering a report in the chosen format and writing it to stdout or a file, with clear errors. */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditReport } from '../audit/report.js';
import type { Io } from './io.js';
import type { Format } from './options.js';

export async function render(report: AuditReport, format: Format, opts: { color: boolean; verbose?: boolean; columns?: number; root?: string }): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../reporters/json.js')).renderJson(report);
    case 'sarif':
      return (await import('../reporters/sarif.js')).renderSarif(report);
    case 'github':
      return (await import('../reporters/github.js')).renderGithub(report);
    case 'html': {
      const { renderHtml, loadSources } = await import('../reporters/html.js');
      return renderHtml(report, opts.root ? await loadSources(opts.root, report.findings) : undefined);
    }
    case 'markdown':
      return (await import('../reporters/markdown.js')).renderMarkdown(report);
    default:
      return (await import('../reporters/text.js')).renderText(report, opts.color, { verbose: !!opts.verbose, ...(opts.columns ? { columns: opts.columns } : {}) });
  }
}

export class OutputError extends Error {}

/** Writes `text` to FILE, or stdout when no file is given. A missing directory is named, not an internal error. */
export async function emit(io: Io, file: string | undefined, text: string): Promise<void> {
  if (file === undefined || file === '-') {
    io.stdout(text);
    return;
  }
  const dir = path.dirname(path.resolve(file));
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new OutputError(`cannot write ${file}: the directory ${path.dirname(file)} does not exist`);
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new OutputError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
