/** Questions asked of a Renovate configuration. */
import { arrayItems, jsonRange, member, objects, stringValues, type JsonDoc, type JsonNode } from '../model/jsonish.js';
import type { SourceRange } from '../types.js';

const PINNING_PRESETS = new Set(['helpers:pinGitHubActionDigests', 'helpers:pinGitHubActionDigestsToSemver', 'config:best-practices', ':pinDigests', 'default:pinDigests']);

export function extendsList(doc: JsonDoc): string[] {
  return stringValues(member(doc.root, 'extends')?.value).map((p) => p.replace(/^default:/, ':').replace(/\(.*\)$/, ''));
}

/** Presets from outside Renovate's built-in set, whose contents pipewarden cannot see. */
export function externalPresets(doc: JsonDoc): string[] {
  return extendsList(doc).filter((p) => /^(?:local>|github>|gitlab>|gitea>|bitbucket>|http)/.test(p) || (!p.includes(':') && p !== ''));
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

/** Where a finding about the whole configuration points: its `extends` key, else where the configuration starts. */
export function renovateAnchor(doc: JsonDoc): SourceRange {
  const ext = member(doc.root, 'extends');
  const at = jsonRange(ext ? ext.key : doc.root);
  return { ...at, endLine: ext ? at.endLine : at.line, endColumn: ext ? at.endColumn : at.column + 1, end: ext ? at.end : at.start + 1 };
}
