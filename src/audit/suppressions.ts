/**
 * Which findings a maintainer has already judged: `.pipewarden.yml` ignore entries (with
 * reasons and expiry dates), inline `# pipewarden: ignore[check-id] reason` comments on the
 * finding's line or the line above, and a baseline of known fingerprints. Suppressed findings
 * are kept, marked with why (SARIF reports them as suppressed rather than dropping them);
 * baseline findings stay in the report but no longer count toward --fail-on.
 */
import ignore from 'ignore';
import { isExpired, type IgnoreEntry, type PipewardenConfig } from '../config/config.js';
import type { RepoModel } from '../model/repo.js';
import type { YamlFile } from '../model/yaml.js';
import type { AuditError, Finding } from '../types.js';

export interface SuppressionResult {
  active: Finding[];
  suppressed: Finding[];
  /** Entries whose check ran but that matched nothing (worth deleting). */
  unused: IgnoreEntry[];
  errors: AuditError[];
}

const INLINE = /#\s*pipewarden:\s*ignore\[([^\]]*)\]\s*(.*)$/;

export function applySuppressions(findings: Finding[], model: RepoModel, config: PipewardenConfig, now: Date, ranChecks: ReadonlySet<string>): SuppressionResult {
  const errors: AuditError[] = [];
  const live = config.ignore.filter((e) => !isExpired(e, now));
  const used = new Set<IgnoreEntry>();
  const matchers = new Map<IgnoreEntry, (file: string) => boolean>();
  const matcherOf = (e: IgnoreEntry): ((file: string) => boolean) => {
    let m = matchers.get(e);
    if (!m) {
      const pattern = e.path;
      if (!pattern) m = () => true;
      else {
        const ig = ignore().add(pattern);
        m = (file) => file === pattern || ig.ignores(file);
      }
      matchers.set(e, m);
    }
    return m;
  };
  // The YAML is read only for entries that name a path (a summarised workflow parses again on that read).
  const yamlByFile = new Map<string, { readonly yaml: YamlFile }>();
  for (const x of [...model.workflows, ...model.actions]) yamlByFile.set(x.file, x);
  const inlineByFile = new Map<string, Map<number, { ids: string[]; reason: string }>>();
  const inlineAt = (file: string): Map<number, { ids: string[]; reason: string }> => {
    let found = inlineByFile.get(file);
    if (found) return found;
    found = new Map();
    inlineByFile.set(file, found);
    const text = model.file(file)?.text;
    if (!text?.includes('pipewarden:')) return found;
    text.split('\n').forEach((raw, i) => {
      const m = INLINE.exec(raw.replace(/\r$/, ''));
      if (!m) return;
      const ids = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
      const reason = m[2]!.trim();
      if (!ids.length || !reason) {
        errors.push({ file, line: i + 1, message: '`# pipewarden: ignore[check-id] reason` needs a check id and a reason; not applied' });
        return;
      }
      found!.set(i + 1, { ids, reason });
    });
    return found;
  };
  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const entry = live.find((e) => e.check === f.check && matcherOf(e)(f.file) && (e.line === undefined || e.line === f.line) && yamlPathMatches(e, f, yamlByFile));
    if (entry) {
      used.add(entry);
      suppressed.push({
        ...f,
        suppression: { kind: 'external', justification: entry.reason, source: `${entry.source.file}:${entry.source.line}`, ...(entry.expires ? { expires: entry.expires } : {}) },
      });
      continue;
    }
    const inline = inlineAt(f.file);
    const hit = [f.line, f.line - 1].map((l) => ({ l, c: inline.get(l) })).find(({ c }) => c && (c.ids.includes(f.check) || c.ids.includes('*')));
    if (hit) {
      suppressed.push({ ...f, suppression: { kind: 'inSource', justification: hit.c!.reason, source: `${f.file}:${hit.l}` } });
      continue;
    }
    active.push(f);
  }
  const unused = live.filter((e) => !used.has(e) && ranChecks.has(e.check));
  return { active, suppressed, unused, errors };
}

function yamlPathMatches(entry: IgnoreEntry, f: Finding, yamlByFile: Map<string, { readonly yaml: YamlFile }>): boolean {
  if (!entry.yamlPath) return true;
  const yaml = yamlByFile.get(f.file)?.yaml;
  if (!yaml) return false;
  const at = yaml.pathAt(yaml.offsetOf(f.line, f.column));
  return entry.yamlPath.every((seg, i) => at[i] === seg);
}

/** A baseline: the fingerprints of findings a project has accepted for now. */
export interface Baseline {
  version: 1;
  findings: Array<{ fingerprint: string; check: string; file: string; message: string }>;
}

export function parseBaseline(file: string, text: string): Set<string> | AuditError {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { file, message: `baseline is not JSON: ${(err as Error).message}` };
  }
  const b = doc as Partial<Baseline>;
  if (b.version !== 1 || !Array.isArray(b.findings) || b.findings.some((x) => typeof x?.fingerprint !== 'string')) {
    return { file, message: 'baseline must be {"version": 1, "findings": [{"fingerprint": …}, …]} as written by --write-baseline' };
  }
  return new Set(b.findings.map((x) => x.fingerprint));
}

export function renderBaseline(findings: Finding[]): string {
  const doc: Baseline = {
    version: 1,
    findings: findings.map((f) => ({ fingerprint: f.fingerprint, check: f.check, file: f.file, message: f.message })).sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
