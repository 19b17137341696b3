/** Edits to line-oriented files (CODEOWNERS) and JSON-family files, in their own style. */
import { arrayItems, type JsonNode } from '../model/jsonish.js';
import type { TextEdit } from '../types.js';
import { eolOf, indentOfLine } from './text.js';

/** Appends a line at the end of a text file, adding the missing final newline first. */
export function appendLine(file: string, text: string, line: string): TextEdit {
  const eol = eolOf(text);
  const needsNewline = text.length > 0 && !text.endsWith('\n');
  return { file, start: text.length, end: text.length, text: `${needsNewline ? eol : ''}${line}${eol}` };
}

/** Appends a string to a JSON/JSON5 array, in the quoting and layout its elements use. */
export function appendToJsonArray(file: string, text: string, array: JsonNode, value: string): TextEdit {
  const items = arrayItems(array);
  const range = array.range!;
  const last = items[items.length - 1];
  const quote = last && text[last.range![0]] === "'" ? "'" : '"';
  const literal = `${quote}${value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`)}${quote}`;
  if (!last) return { file, start: range[0] + 1, end: range[0] + 1, text: literal };
  const end = last.range![1];
  const multiline = text.slice(range[0], last.range![0]).includes('\n');
  const trailingComma = /,\s*(?:\/\/[^\n]*\s*|\/\*[\s\S]*?\*\/\s*)*$/.test(text.slice(end, range[1] - 1));
  if (multiline) {
    const indent = indentOfLine(text, last.range![0]);
    const eol = eolOf(text);
    // With a trailing comma already after the last element, insert after that comma.
    const comma = trailingComma ? text.indexOf(',', end) + 1 : end;
    return { file, start: comma, end: comma, text: `${trailingComma ? '' : ','}${eol}${indent}${literal}${trailingComma ? ',' : ''}` };
  }
  return { file, start: end, end, text: `, ${literal}` };
}
