/** Questions asked of a Renovate configuration, with the presets it extends from this repository resolved first. */
import { arrayItems, jsonRange, member, objects, parseJsonish, stringValues, type JsonDoc, type JsonNode } from '../model/jsonish.js';
import type { RepoModel } from '../model/repo.js';
import type { SourceRange } from '../types.js';
import { NO_MEMO, type Memo } from './memo.js';

const PINNING_PRESETS = new Set(['helpers:pinGitHubActionDigests', 'helpers:pinGitHubActionDigestsToSemver', 'config:best-practices', ':pinDigests', 'default:pinDigests']);

export function extendsList(doc: JsonDoc): string[] {
  return stringValues(member(doc.root, 'extends')?.value).map((p) => p.replace(/^default:/, ':').replace(/\(.*\)$/, ''));
}

/** Presets from outside Renovate's built-in set, whose contents are elsewhere. */
export function externalPresets(doc: JsonDoc): string[] {
  return extendsList(doc).filter(isExternal);
}

function isExternal(p: string): boolean {
  return /^(?:local>|github>|gitlab>|gitea>|bitbucket>|http)/.test(p) || (!p.includes(':') && p !== '');
}

export interface ResolvedConfig {
  /** The configuration and every preset resolved from this repository, outermost first. */
  docs: JsonDoc[];
  /** Presets that could not be read, each with the reason. */
  unresolved: Array<{ preset: string; reason: string }>;
}

/**
 * Follows `extends` into presets stored in this repository: `local>owner/repo[:name]`,
 * `github>owner/repo[//path/name]` of the same repository, and file paths; others stay unresolved.
 */
export function resolveConfig(repo: RepoModel, doc: JsonDoc, memo: Memo = NO_MEMO): ResolvedConfig {
  return memo.get('renovate-resolved', doc, () => {
    const out: ResolvedConfig = { docs: [doc], unresolved: [] };
    const seen = new Set<string>([doc.file]);
    const visit = (d: JsonDoc, depth: number): void => {
      for (const preset of extendsList(d)) {
        if (!isExternal(preset)) continue;
        const target = presetFile(repo, preset);
        if ('reason' in target) {
          out.unresolved.push({ preset, reason: target.reason });
          continue;
        }
        if (seen.has(target.path) || depth > 5) continue;
        seen.add(target.path);
        const parsed = parseJsonish(target.path, target.text);
        if ('message' in parsed) {
          out.unresolved.push({ preset, reason: `${target.path} ${parsed.message}` });
          continue;
        }
        out.docs.push(parsed);
        visit(parsed, depth + 1);
      }
    };
    visit(doc, 0);
    return out;
  });
}

function presetFile(repo: RepoModel, preset: string): { path: string; text: string } | { reason: string } {
  const m = /^(local|github|gitlab|gitea|bitbucket)>([^/:#]+)\/([^/:#]+)(?:(?:\/\/|:)([^#]+))?(?:#.*)?$/.exec(preset);
  let candidates: string[];
  if (m) {
    const [, host, owner, name, rest] = m;
    const same = repo.identity && owner!.toLowerCase() === repo.identity.owner.toLowerCase() && name!.toLowerCase() === repo.identity.name.toLowerCase();
    if (host !== 'local' && !same) return { reason: `${preset} lives in another repository, which pipewarden does not read` };
    if (host === 'local' && repo.identity && !same) return { reason: `${preset} lives in another repository of the same host, which pipewarden does not read` };
    if (host === 'local' && !repo.identity) return { reason: `${preset} may be another repository (the audited repository's name is not known)` };
    const base = rest ?? 'default';
    candidates = /\.json5?$/.test(base) ? [base] : [`${base}.json`, `${base}.json5`];
  } else if (/^http/.test(preset)) {
    return { reason: `${preset} is fetched over the network, which pipewarden does not do for presets` };
  } else {
    // A bare name is an npm package preset (`renovate-config-<name>`); a path-like name a file of this repository.
    if (!/[/.]/.test(preset)) return { reason: `${preset} is an npm preset package, which pipewarden does not read` };
    candidates = [preset.replace(/^\.\//, '')];
  }
  for (const c of candidates) {
    const file = repo.file(c);
    if (file) return { path: file.path, text: file.text };
  }
  return { reason: `${preset} names ${candidates.join(' or ')}, which is not among the repository's files pipewarden read` };
}

function isTrue(node: JsonNode | undefined): boolean {
  return node?.type === 'Boolean' && node.value;
}

export function pinsActionDigests(doc: JsonDoc): boolean {
  if (extendsList(doc).some((p) => PINNING_PRESETS.has(p))) return true;
  if (isTrue(member(doc.root, 'pinDigests')?.value)) return true;
  if (isTrue(member(member(doc.root, 'github-actions')?.value, 'pinDigests')?.value)) return true;
  return arrayItems(member(doc.root, 'packageRules')?.value).some((rule) => {
    if (!isTrue(member(rule, 'pinDigests')?.value)) return false;
    const managers = stringValues(member(rule, 'matchManagers')?.value);
    const depTypes = stringValues(member(rule, 'matchDepTypes')?.value);
    const hasMatcher = rule.type === 'Object' && rule.members.some((m) => m.name.type === 'String' && m.name.value.startsWith('match'));
    return managers.includes('github-actions') || depTypes.includes('action') || !hasMatcher;
  });
}

export function hasReleaseAge(doc: JsonDoc): boolean {
  if (extendsList(doc).some((p) => /minimumReleaseAge|security:minimumReleaseAgeNpm/.test(p))) return true;
  for (const obj of objects(doc.root)) {
    if (member(obj, 'minimumReleaseAge') || member(obj, 'stabilityDays')) return true;
  }
  return false;
}

/** The unresolved presets as a clause for a message: "github>org/cfg (lives in another repository…)". */
export function unresolvedClause(r: ResolvedConfig): string {
  return r.unresolved.map((u) => u.reason).join('; ');
}

/** Where a finding about the whole configuration points: its `extends` key, else where the configuration starts. */
export function renovateAnchor(doc: JsonDoc): SourceRange {
  const ext = member(doc.root, 'extends');
  const at = jsonRange(ext ? ext.key : doc.root);
  return { ...at, endLine: ext ? at.endLine : at.line, endColumn: ext ? at.endColumn : at.column + 1, end: ext ? at.end : at.start + 1 };
}
