/**
 * Writing a suppression: an entry appended to .pipewarden.yml (created when missing), or an
 * inline `# pipewarden: ignore[check] reason` comment on its own line above the finding. Both are
 * text edits at exact offsets, verified before anything is written: the config must re-parse
 * with one more entry that matches the finding, and an inline comment must leave the workflow's
 * parsed document unchanged (a comment inside a multi-line script would change the script, so
 * that case is refused).
 */
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { CONFIG_PATHS, parseConfig } from '../config/config.js';
import { eolOf } from '../edits/text.js';
import type { RepoModel } from '../model/repo.js';
import { comparableData, isMap, isScalar, isSeq, YamlFile } from '../model/yaml.js';
import type { Finding } from '../types.js';

export interface SuppressRequest {
  reason: string;
  /** YYYY-MM-DD; config entries only. */
  expires?: string;
  where: 'config' | 'inline';
}

export type SuppressEdit = { file: string; before: string | undefined; after: string } | { refused: string };

export function suppressionEdit(model: RepoModel, finding: Finding, req: SuppressRequest): SuppressEdit {
  const reason = req.reason.replace(/\s+/g, ' ').trim();
  if (!reason) return { refused: 'a suppression needs a reason' };
  if (req.expires !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(req.expires) || Number.isNaN(Date.parse(req.expires)))) return { refused: 'the expiry must be a date written YYYY-MM-DD' };
  return req.where === 'inline' ? inlineEdit(model, finding, reason, req.expires) : configEdit(model, finding, reason, req.expires);
}

function inlineEdit(model: RepoModel, finding: Finding, reason: string, expires: string | undefined): SuppressEdit {
  if (expires) return { refused: 'inline comments cannot expire; use the config file for a suppression with an expiry date' };
  const file = model.file(finding.file);
  if (!file) return { refused: `${finding.file} does not exist; use the config file` };
  const text = file.text;
  const isYaml = /\.ya?ml$/i.test(file.path);
  const isHashComment = isYaml || file.kind === 'codeowners';
  if (!isHashComment) return { refused: `${file.path} has no comment syntax pipewarden can write; use the config file` };
  const lines = text.split('\n');
  const target = lines[finding.line - 1];
  if (target === undefined) return { refused: 'the finding\'s line is not in the file' };
  const indent = /^[ \t]*/.exec(target)![0];
  const eol = eolOf(text);
  const comment = `${indent}# pipewarden: ignore[${finding.check}] ${reason}`;
  const at = lines.slice(0, finding.line - 1).reduce((n, l) => n + l.length + 1, 0);
  const after = text.slice(0, at) + comment + eol + text.slice(at);
  if (isYaml) {
    const a = parseDocument(text, { uniqueKeys: false });
    const b = parseDocument(after, { uniqueKeys: false });
    if (b.errors.length) return { refused: 'a comment there would not parse; use the config file' };
    const before = comparableData(a, text.length);
    const now = comparableData(b, after.length);
    if (!('value' in before) || !('value' in now)) {
      const why = 'unverifiable' in before ? before.unverifiable : 'unverifiable' in now ? now.unverifiable : '';
      return { refused: `the file's data cannot be compared (${why}); use the config file` };
    }
    if (!isDeepStrictEqual(before.value, now.value)) {
      return { refused: 'the finding is inside a multi-line value, where a comment line would change it; use the config file' };
    }
  }
  return { file: file.path, before: text, after };
}

function configEdit(model: RepoModel, finding: Finding, reason: string, expires: string | undefined): SuppressEdit {
  const existing = CONFIG_PATHS.map((p) => model.file(p)).find((f) => f !== undefined);
  const yamlFile = [...model.workflows, ...model.actions].find((x) => x.file === finding.file)?.yaml;
  const yamlPath = yamlFile ? yamlFile.pathAt(yamlFile.offsetOf(finding.line, finding.column)) : undefined;
  const fields = [
    `check: ${finding.check}`,
    `path: ${JSON.stringify(finding.file)}`,
    // A document path survives lines moving above the finding; a line number does not.
    ...(yamlPath?.length ? [`yaml-path: ${JSON.stringify(formatYamlPath(yamlPath))}`] : [`line: ${finding.line}`]),
    `reason: ${JSON.stringify(reason)}`,
    ...(expires ? [`expires: ${expires}`] : []),
  ];
  let before: string | undefined;
  let after: string;
  let path: string;
  if (!existing) {
    path = '.pipewarden.yml';
    before = undefined;
    after = `# pipewarden configuration: accepted findings, check settings, paths not to audit.\nignore:\n${item(fields, '  ', '\n')}`;
  } else {
    path = existing.path;
    before = existing.text;
    const eol = eolOf(before);
    const yaml = new YamlFile(path, before);
    const root = yaml.root;
    if (!yaml.ok) return { refused: `${path} does not parse; fix it first` };
    const ignoreEntry = isMap(root) ? yaml.entry(root, 'ignore') : undefined;
    const base = before.length && !before.endsWith('\n') ? before + eol : before;
    if (root !== null && !isMap(root)) return { refused: `${path} is not a map; edit it by hand` };
    if (!ignoreEntry) after = `${base}ignore:${eol}${item(fields, '  ', eol)}`;
    else {
      const seq = ignoreEntry.value;
      if (!isSeq(seq) || seq.flow || (isScalar(seq) && seq.value !== null)) return { refused: `\`ignore:\` in ${path} is not a block list; add the entry by hand` };
      const first = seq.items[0] as { range?: [number, number, number] } | undefined;
      const firstStart = first?.range?.[0];
      const lineStart = firstStart === undefined ? 0 : before.lastIndexOf('\n', firstStart) + 1;
      // Items are written at the indentation of the list's first item.
      const dashIndent = firstStart === undefined ? '  ' : before.slice(lineStart, before.indexOf('-', lineStart));
      const end = seq.range![1];
      const insertAt = end >= before.length ? before.length : before.lastIndexOf('\n', end - 1) + 1 || before.length;
      const text = insertAt === before.length ? base : before;
      const at = insertAt === before.length ? base.length : insertAt;
      after = text.slice(0, at) + item(fields, /^[ \t]*$/.test(dashIndent) ? dashIndent : '  ', eol) + text.slice(at);
    }
  }
  const parsed = parseConfig(path, after);
  const count = (t: string | undefined): number => (t === undefined ? 0 : parseConfig(path, t).ignore.length);
  if (parsed.errors.length) return { refused: `the new entry would not parse: ${parsed.errors[0]!.message}` };
  if (parsed.ignore.length !== count(before) + 1) return { refused: `could not add the entry to ${path} safely; add it by hand` };
  return { file: path, before, after };
}

function item(fields: string[], indent: string, eol: string): string {
  return fields.map((f, i) => `${indent}${i === 0 ? '- ' : '  '}${f}${eol}`).join('');
}

export function formatYamlPath(path: Array<string | number>): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i ? '.' : ''}${/^[^.[\]"\s]+$/.test(seg) ? seg : JSON.stringify(seg)}`)).join('');
}
