/** Edits to a step's `with:` block that several fixes share. */
import type { Step } from '../model/workflow.js';
import { isMap, isScalar, type YamlFile } from '../model/yaml.js';
import type { Fix } from '../types.js';
import { addMapEntry, replaceScalar } from './yaml-edit.js';

/**
 * Sets `with.<key>` of a step to a plain scalar: replaces the value when the key exists,
 * adds it to an existing `with:` map, or adds a `with:` block. Returns undefined (refuse)
 * when `with:` has a shape the edit cannot keep intact.
 */
export function setStepInput(yaml: YamlFile, step: Step, stepPath: Array<string | number>, key: string, value: string, title: string): Fix | undefined {
  const path = [...stepPath, 'with', key];
  const existing = step.withNode ? yaml.entry(step.withNode, key) : undefined;
  if (existing) {
    if (!isScalar(existing.value)) return undefined;
    return { title, safety: 'safe', edits: [replaceScalar(yaml, existing.value, value)], newFiles: [], changes: [{ file: yaml.path, path }] };
  }
  if (step.withNode) return { title, safety: 'safe', edits: [addMapEntry(yaml, step.withNode, key, value)], newFiles: [], changes: [{ file: yaml.path, path }] };
  const withValue = yaml.get(step.node, 'with');
  if (withValue !== null && !(isScalar(withValue) && withValue.value === null)) return undefined;
  if (yaml.entry(step.node, 'with')) return undefined;
  if (!isMap(step.node)) return undefined;
  const edit = step.node.flow ? addMapEntry(yaml, step.node, 'with', `{${key}: ${value}}`) : addMapEntry(yaml, step.node, 'with', [`${key}: ${value}`]);
  return { title, safety: 'safe', edits: [edit], newFiles: [], changes: [{ file: yaml.path, path: [...stepPath, 'with'] }] };
}
