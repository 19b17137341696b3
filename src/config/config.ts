/**
 * `.pipewarden.yml` (at the repository root or in .github/): suppressions with reasons and
 * expiry dates, per-check switches and severity remaps, and paths not to audit. Read with
 * source positions so every problem names its file and line; a config with problems is a
 * configuration error (exit 2), because silently dropping a suppression would fail a build and
 * silently dropping a check would pass one.
 */
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import type { DiscoveredRepo } from '../loader/discover.js';
import { SEVERITIES, type AuditError, type Severity } from '../types.js';
import { isMap, isScalar, isSeq, scalarText, YamlFile, type Node } from '../model/yaml.js';

export const CONFIG_PATHS = ['.pipewarden.yml', '.pipewarden.yaml', '.github/pipewarden.yml', '.github/pipewarden.yaml'] as const;

export interface IgnoreEntry {
  check: string;
  /** Repository-relative path or glob (gitignore-style); undefined: every file. */
  path?: string;
  line?: number;
  /** Document path prefix, e.g. `jobs.build.steps[2]` as segments. */
  yamlPath?: Array<string | number>;
  reason: string;
  /** YYYY-MM-DD; the entry suppresses through this day. */
  expires?: string;
  /** Where the entry is written, for messages and SARIF. */
  source: { file: string; line: number };
}

export interface PipewardenConfig {
  file?: string;
  ignore: IgnoreEntry[];
  /** Checks turned off. */
  disabled: Set<string>;
  /** Checks whose findings get another severity. */
  severity: Map<string, Severity>;
  exclude: string[];
  errors: AuditError[];
}

export function emptyConfig(): PipewardenConfig {
  return { ignore: [], disabled: new Set(), severity: new Map(), exclude: [], errors: [] };
}

/**
 * The config among the discovered files (root before .github/, .yml before .yaml), or the file
 * named by --config, and the discovered files less those the config excludes.
 */
export function configFromDiscovered(
  discovered: DiscoveredRepo,
  knownChecks?: ReadonlySet<string>,
  explicit?: PipewardenConfig,
): { config: PipewardenConfig; discovered: DiscoveredRepo } {
  const file = CONFIG_PATHS.map((p) => discovered.files.find((f) => f.path === p)).find((f) => f !== undefined);
  const config = explicit ?? (file ? parseConfig(file.path, file.text, knownChecks) : emptyConfig());
  if (!config.exclude.length) return { config, discovered };
  const rules = ignore().add(config.exclude);
  return { config, discovered: { ...discovered, files: discovered.files.filter((f) => f.kind === 'pipewarden-config' || !rules.ignores(f.path)) } };
}

/** Reads a config file by path (--config); symlinks are not followed. */
export async function loadConfig(root: string, explicit?: string, knownChecks?: ReadonlySet<string>): Promise<PipewardenConfig> {
  const candidates = explicit ? [explicit] : [...CONFIG_PATHS];
  for (const rel of candidates) {
    const abs = path.resolve(root, rel);
    let info;
    try {
      info = await lstat(abs);
    } catch {
      if (explicit) return { ...emptyConfig(), errors: [{ file: rel, message: 'config file not found' }] };
      continue;
    }
    const shown = path.isAbsolute(rel) ? rel : rel.split(path.sep).join('/');
    if (info.isSymbolicLink()) return { ...emptyConfig(), errors: [{ file: shown, message: 'config file is a symlink; not followed' }] };
    if (!info.isFile()) return { ...emptyConfig(), errors: [{ file: shown, message: 'config path is not a file' }] };
    return parseConfig(shown, await readFile(abs, 'utf8'), knownChecks);
  }
  return emptyConfig();
}

export function parseConfig(file: string, text: string, knownChecks?: ReadonlySet<string>): PipewardenConfig {
  const config: PipewardenConfig = { ...emptyConfig(), file };
  const yaml = new YamlFile(file, text, config.errors);
  if (!yaml.ok) return config;
  const root = yaml.root;
  if (root === null) return config;
  const fail = (node: Node | null, message: string): void => yaml.error(node, message);
  if (!isMap(root)) {
    fail(root, 'the config must be a map with `ignore:`, `checks:` and `exclude:`');
    return config;
  }
  for (const { key, keyNode, value } of yaml.entries(root)) {
    if (key === 'ignore') {
      if (!isSeq(value)) {
        fail(value ?? keyNode, '`ignore:` must be a list of entries');
        continue;
      }
      for (const item of yaml.items(value)) {
        const entry = ignoreEntry(yaml, item, fail, knownChecks);
        if (entry) config.ignore.push(entry);
      }
    } else if (key === 'checks') {
      if (!isMap(value)) {
        fail(value ?? keyNode, '`checks:` must map check ids to `off` or a severity');
        continue;
      }
      for (const { key: id, keyNode: idNode, value: setting } of yaml.entries(value)) {
        if (knownChecks && !knownChecks.has(id)) fail(idNode, `unknown check id \`${id}\` (see pipewarden checks)`);
        const text = scalarText(setting);
        if (text === 'off' || (isScalar(setting) && setting.value === false)) config.disabled.add(id);
        else if (text && (SEVERITIES as readonly string[]).includes(text)) config.severity.set(id, text as Severity);
        else fail(setting ?? idNode, `\`${id}\` must be \`off\` or one of ${SEVERITIES.join(', ')}`);
      }
    } else if (key === 'exclude') {
      const items = isSeq(value) ? yaml.items(value) : [value];
      for (const item of items) {
        const text = scalarText(item);
        if (!text) fail(item ?? keyNode, '`exclude:` must be a list of paths or globs');
        else config.exclude.push(text);
      }
    } else fail(keyNode, `unknown key \`${key}\` (expected ignore, checks, exclude)`);
  }
  return config;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function ignoreEntry(yaml: YamlFile, item: Node | null, fail: (n: Node | null, m: string) => void, knownChecks?: ReadonlySet<string>): IgnoreEntry | undefined {
  if (!isMap(item)) {
    fail(item, 'each `ignore:` entry must be a map with check, reason and optionally path, line, yaml-path, expires');
    return undefined;
  }
  const line = yaml.range(item).line;
  const get = (k: string): Node | null => yaml.get(item, k);
  const check = scalarText(get('check'));
  const reason = scalarText(get('reason'))?.trim();
  let ok = true;
  for (const { key, keyNode } of yaml.entries(item)) {
    if (!['check', 'path', 'line', 'yaml-path', 'reason', 'expires'].includes(key)) {
      fail(keyNode, `unknown key \`${key}\` in an ignore entry (expected check, path, line, yaml-path, reason, expires)`);
      ok = false;
    }
  }
  if (!check) {
    fail(item, 'ignore entry has no `check:`');
    ok = false;
  } else if (knownChecks && !knownChecks.has(check)) {
    fail(get('check'), `unknown check id \`${check}\` (see pipewarden checks)`);
    ok = false;
  }
  if (!reason) {
    fail(item, `ignore entry${check ? ` for ${check}` : ''} has no \`reason:\`; say why the finding is acceptable`);
    ok = false;
  }
  const lineNode = get('line');
  const lineValue = lineNode === null ? undefined : Number(scalarText(lineNode));
  if (lineValue !== undefined && (!Number.isInteger(lineValue) || lineValue < 1)) {
    fail(lineNode, '`line:` must be a positive whole number');
    ok = false;
  }
  const expiresNode = get('expires');
  // YAML reads an unquoted 2027-01-31 as a string here (core schema); a Date would only come from a !!timestamp tag.
  const expires = expiresNode === null ? undefined : scalarText(expiresNode)?.trim();
  if (expiresNode !== null && (!expires || !DATE.test(expires) || Number.isNaN(Date.parse(expires)))) {
    fail(expiresNode, '`expires:` must be a date written YYYY-MM-DD');
    ok = false;
  }
  const yamlPathNode = get('yaml-path');
  const yamlPath = yamlPathNode === null ? undefined : parseYamlPath(scalarText(yamlPathNode) ?? '');
  if (yamlPathNode !== null && !yamlPath) {
    fail(yamlPathNode, '`yaml-path:` must look like jobs.build.steps[2]');
    ok = false;
  }
  if (!ok) return undefined;
  const p = scalarText(get('path'));
  return {
    check: check!,
    ...(p ? { path: p.replace(/^\.\//, '') } : {}),
    ...(lineValue !== undefined ? { line: lineValue } : {}),
    ...(yamlPath ? { yamlPath } : {}),
    reason: reason!,
    ...(expires ? { expires } : {}),
    source: { file: yaml.path, line },
  };
}

/** Whether an ignore entry's expiry has passed; an entry suppresses through the whole day it names (UTC). */
export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  return !!entry.expires && Date.parse(`${entry.expires}T23:59:59.999Z`) < now.getTime();
}

/** `jobs.build.steps[2]` -> ['jobs', 'build', 'steps', 2]. Keys with dots can be quoted: jobs."a.b". */
export function parseYamlPath(text: string): Array<string | number> | undefined {
  const out: Array<string | number> = [];
  const re = /\s*(?:"([^"]*)"|([^.[\]"\s]+)|\[(\d+)\])(\.|(?=\[)|$)/y;
  let at = 0;
  const s = text.trim();
  if (!s) return undefined;
  while (at < s.length) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (!m || m[0] === '') return undefined;
    out.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2])!);
    at = re.lastIndex;
  }
  return out;
}
