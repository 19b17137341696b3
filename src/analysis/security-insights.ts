/** SECURITY-INSIGHTS.yml, versions 1 and 2: the header fields pipewarden validates and dates it compares. */
import { isMap, scalarText, type Node, type YamlFile } from '../model/yaml.js';

export interface InsightsHeader {
  version: 1 | 2 | undefined;
  rawVersion?: string;
  fields: Map<string, { value: string; node: Node }>;
  headerNode?: Node;
  missing: string[];
  badDates: Array<{ field: string; node: Node; value: string }>;
}

const REQUIRED: Record<1 | 2, string[]> = {
  1: ['schema-version', 'expiration-date', 'last-updated', 'last-reviewed', 'project-url'],
  2: ['schema-version', 'last-updated', 'last-reviewed', 'url'],
};
const DATES: Record<1 | 2, string[]> = { 1: ['expiration-date', 'last-updated', 'last-reviewed'], 2: ['last-updated', 'last-reviewed'] };

export function readInsightsHeader(yaml: YamlFile): InsightsHeader {
  const out: InsightsHeader = { version: undefined, fields: new Map(), missing: [], badDates: [] };
  const root = yaml.root;
  const header = isMap(root) ? yaml.get(root, 'header') : null;
  if (!isMap(header)) {
    out.missing.push('header');
    return out;
  }
  out.headerNode = header;
  for (const { key, value } of yaml.entries(header)) {
    const text = scalarText(value);
    if (text !== undefined && value) out.fields.set(key, { value: text, node: value });
  }
  const raw = out.fields.get('schema-version')?.value;
  if (raw !== undefined) out.rawVersion = raw;
  out.version = raw?.startsWith('1.') ? 1 : raw?.startsWith('2.') ? 2 : undefined;
  if (!out.version) return out;
  out.missing = REQUIRED[out.version].filter((f) => !out.fields.has(f));
  for (const field of DATES[out.version]) {
    const f = out.fields.get(field);
    if (f && parseDate(f.value) === undefined) out.badDates.push({ field, node: f.node, value: f.value });
  }
  return out;
}

/** ISO dates (2024-05-01), with or without a time, as UTC. */
export function parseDate(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 ? d : undefined;
}
