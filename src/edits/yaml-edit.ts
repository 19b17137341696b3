/**
 * Format-preserving YAML edits: each function returns text edits at exact offsets of the
 * original text, written in the file's own indentation, quoting and line endings. Nothing
 * here re-serialises a document.
 */
import type { Scalar, YAMLMap, Node } from 'yaml';
import type { YamlFile } from '../model/yaml.js';
import type { TextEdit } from '../types.js';
import { columnOf, eolOf } from './text.js';

/** How far this file indents a nested block (2 unless the file shows otherwise). */
export function indentUnit(yaml: YamlFile): number {
  const m = /\n( +)\S/.exec(yaml.text);
  return m && m[1]!.length <= 8 ? m[1]!.length : 2;
}

/** Column (0-based) at which a block map's keys start. */
function keyColumn(yaml: YamlFile, map: YAMLMap): number {
  const first = map.items[0];
  const key = first && (first.key as Node | null);
  const at = key?.range?.[0] ?? map.range?.[0] ?? 0;
  return columnOf(yaml.text, at);
}

/**
 * Adds `key: value` as the last entry of a map (block or flow). `value` is a YAML fragment:
 * a scalar as written, or for block maps a nested block already indented relative to zero,
 * given as lines; nested lines are re-indented under the key.
 */
export function addMapEntry(yaml: YamlFile, map: YAMLMap, key: string, value: string | string[]): TextEdit {
  const text = yaml.text;
  const eol = eolOf(text);
  const [start, valueEnd] = map.range ?? [0, 0];
  if (map.flow) {
    if (Array.isArray(value)) throw new Error('cannot add a block value to a flow map');
    const close = text.lastIndexOf('}', valueEnd);
    const inner = text.slice(start + 1, close);
    const trimmed = inner.trimEnd();
    const sep = trimmed === '' ? '' : trimmed.endsWith(',') ? ' ' : ', ';
    const at = start + 1 + trimmed.length;
    return { file: yaml.path, start: at, end: at, text: `${sep}${key}: ${value}` };
  }
  const col = keyColumn(yaml, map);
  const pad = ' '.repeat(col);
  const unit = ' '.repeat(indentUnit(yaml));
  const body = Array.isArray(value) ? `${key}:${value.map((l) => `${eol}${pad}${unit}${l}`).join('')}` : `${key}: ${value}`;
  if (valueEnd > 0 && text[valueEnd - 1] === '\n') return { file: yaml.path, start: valueEnd, end: valueEnd, text: `${pad}${body}${eol}` };
  // The map ends the file with no newline after it.
  return { file: yaml.path, start: valueEnd, end: valueEnd, text: `${eol}${pad}${body}` };
}

/** Replaces a scalar's text, keeping its quoting style when it has one. */
export function replaceScalar(yaml: YamlFile, node: Scalar, value: string): TextEdit {
  const [start, end] = node.range ?? [0, 0];
  const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
  return { file: yaml.path, start, end, text: `${quote}${value}${quote}` };
}



