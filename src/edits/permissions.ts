/** Rewrites a workflow's token permissions to `contents: read` at the top and each job's least privilege. */
import type { ActionModel, Job, Workflow } from '../model/workflow.js';
import { jobNeeds, needsMoreThanRead, permissionLines } from '../analysis/permissions.js';
import { NO_MEMO, type Memo } from '../analysis/memo.js';
import type { Fix, TextEdit } from '../types.js';
import { eolOf, lineStart } from './text.js';
import { addMapEntry, indentUnit } from './yaml-edit.js';
import { isMap, type Node, type YAMLMap } from '../model/yaml.js';

/** Jobs whose token needs cannot be derived, with why (jobs with their own permissions are left alone). */
export function unknownJobs(wf: Workflow, actions: readonly ActionModel[]): Array<{ job: Job; why: string }> {
  return wf.jobs.flatMap((job) => {
    if (job.permissions) return [];
    const needs = jobNeeds(wf, job, actions);
    return needs.known ? [] : [{ job, why: needs.why }];
  });
}

/** missing-permissions and excessive-permissions ask for the same rewrite; it is worked out once per audit. */
export function leastPrivilegeFix(wf: Workflow, actions: readonly ActionModel[], title: string, memo: Memo = NO_MEMO): Fix | { refused: string } {
  const fix = memo.get('least-privilege', wf, () => planLeastPrivilege(wf, actions, title));
  return 'refused' in fix ? fix : { ...fix, title };
}

function planLeastPrivilege(wf: Workflow, actions: readonly ActionModel[], title: string): Fix | { refused: string } {
  const unknown = unknownJobs(wf, actions);
  if (unknown.length) return { refused: unknown.map((u) => `job \`${u.job.id}\`: ${u.why}`).join('; ') };
  const yaml = wf.yaml;
  const root = yaml.root;
  if (!isMap(root) || root.flow) return { refused: 'the workflow is not a block map' };
  const edits: TextEdit[] = [];
  const changes: Fix['changes'] = [{ file: wf.file, path: ['permissions'] }];
  const unit = ' '.repeat(indentUnit(yaml));
  const eol = eolOf(yaml.text);
  const top = yaml.entry(root, 'permissions');
  if (top) edits.push(replaceEntry(wf, top.keyNode, top.value, ['contents: read']));
  else {
    const jobsKey = yaml.entry(root, 'jobs')!.keyNode;
    const at = aboveComments(yaml.text, lineStart(yaml.text, jobsKey.range![0]));
    edits.push({ file: wf.file, start: at, end: at, text: `permissions:${eol}${unit}contents: read${eol}${eol}` });
  }
  for (const job of wf.jobs) {
    if (job.permissions) continue;
    const needs = jobNeeds(wf, job, actions);
    if (!needs.known || !needsMoreThanRead(needs.scopes)) continue;
    edits.push(insertJobPermissions(wf, job, permissionLines(needs.scopes)));
    changes.push({ file: wf.file, path: ['jobs', job.id, 'permissions'] });
  }
  return { title, safety: 'safe', edits, newFiles: [], changes };
}

/** A job-level `write-all` replaced by the job's least privilege. */
export function jobPermissionsFix(wf: Workflow, job: Job, actions: readonly ActionModel[]): Fix | { refused: string } {
  const needs = jobNeeds(wf, job, actions);
  if (!needs.known) return { refused: `job \`${job.id}\`: ${needs.why}` };
  const entry = wf.yaml.entry(job.node, 'permissions')!;
  return {
    title: `Give job ${job.id} only the permissions it needs`,
    safety: 'safe',
    edits: [replaceEntry(wf, entry.keyNode, entry.value, permissionLines(needs.scopes))],
    newFiles: [],
    changes: [{ file: wf.file, path: ['jobs', job.id, 'permissions'] }],
  };
}

/** Replaces `key: <anything>` with a block of `lines` under the key, in the file's indentation. */
function replaceEntry(wf: Workflow, keyNode: Node, value: Node | null, lines: string[]): TextEdit {
  const text = wf.yaml.text;
  const start = keyNode.range![0];
  const end = (value ?? keyNode).range![1];
  const pad = ' '.repeat(start - lineStart(text, start));
  const unit = ' '.repeat(indentUnit(wf.yaml));
  const eol = eolOf(text);
  const block = `permissions:${lines.map((l) => `${eol}${pad}${unit}${l}`).join('')}`;
  return { file: wf.file, start, end, text: text[end - 1] === '\n' ? `${block}${eol}` : block };
}

/** Puts the job's permissions right before its `steps:` (or at the end of the job). */
function insertJobPermissions(wf: Workflow, job: Job, lines: string[]): TextEdit {
  const text = wf.yaml.text;
  const steps = wf.yaml.entry(job.node, 'steps');
  const at = steps?.keyNode.range?.[0];
  if (at !== undefined && /^[ ]*$/.test(text.slice(lineStart(text, at), at)) && !job.node.flow) {
    const pad = text.slice(lineStart(text, at), at);
    const unit = ' '.repeat(indentUnit(wf.yaml));
    const eol = eolOf(text);
    const start = lineStart(text, at);
    return { file: wf.file, start, end: start, text: `${pad}permissions:${lines.map((l) => `${eol}${pad}${unit}${l}`).join('')}${eol}` };
  }
  return addMapEntry(wf.yaml, job.node as YAMLMap, 'permissions', lines);
}

/** Moves an insertion point above the comment lines directly over it. */
function aboveComments(text: string, at: number): number {
  let pos = at;
  while (pos > 0) {
    const prev = lineStart(text, pos - 1);
    if (!/^[ \t]*#/.test(text.slice(prev, pos))) break;
    pos = prev;
  }
  return pos;
}
