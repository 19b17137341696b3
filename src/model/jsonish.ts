/**
 * JSON, JSONC and JSON5 (Renovate's formats) with source locations, via @humanwhocodes/momoa
 * in JSON5 mode (a superset of the other two). Values stay nodes so checks point at lines.
 */
import { parse } from '@humanwhocodes/momoa';
import type { AuditError, SourceRange } from '../types.js';

type Node = ReturnType<typeof parse>['body'];
export type JsonNode = Node;

export interface JsonDoc {
  file: string;
  root: JsonNode;
  /** Where root sits in the file's document ([] for a whole file, ['renovate'] in package.json). */
  path: string[];
}

export function parseJsonish(file: string, text: string): JsonDoc | AuditError {
  try {
    return { file, root: parse(text, { mode: 'json5', ranges: true, allowTrailingCommas: true }).body, path: [] };
  } catch (err) {
    const e = err as { message: string; line?: number };
    return { file, ...(e.line ? { line: e.line } : {}), message: `cannot parse: ${e.message}` };
  }
}

export function member(node: JsonNode | undefined, name: string): { key: JsonNode; value: JsonNode } | undefined {
  if (node?.type !== 'Object') return undefined;
  for (const m of node.members) {
    const key = m.name.type === 'String' ? m.name.value : m.name.type === 'Identifier' ? m.name.name : undefined;
    if (key === name) return { key: m.name as JsonNode, value: m.value };
  }
  return undefined;
}

export function stringValues(node: JsonNode | undefined): string[] {
  if (node?.type === 'String') return [node.value];
  if (node?.type !== 'Array') return [];
  return node.elements.flatMap((e) => (e.value.type === 'String' ? [e.value.value] : []));
}

export function arrayItems(node: JsonNode | undefined): JsonNode[] {
  return node?.type === 'Array' ? node.elements.map((e) => e.value) : [];
}

export function isBool(node: JsonNode | undefined, value: boolean): boolean {
  return node?.type === 'Boolean' && node.value === value;
}

export function jsonRange(node: JsonNode): SourceRange {
  const loc = node.loc!;
  return { start: loc.start.offset, end: loc.end.offset, line: loc.start.line, column: loc.start.column, endLine: loc.end.line, endColumn: loc.end.column };
}

/** Walks every object in the document (packageRules, nested presets…). */
export function* objects(node: JsonNode): Generator<JsonNode> {
  if (node.type === 'Object') {
    yield node;
    for (const m of node.members) yield* objects(m.value);
  } else if (node.type === 'Array') for (const e of node.elements) yield* objects(e.value);
}
