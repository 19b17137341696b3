/**
 * The template-injection fix: move a `${{ }}` out of a `run:` script into the step's `env:`
 * and refer to it as a shell variable. Refused where a variable would not expand (inside
 * single quotes or a quoted heredoc) or where the name is taken by another value.
 */
import type { LocatedExpression, Step } from '../model/workflow.js';
import { isMap, scalarText, type Scalar, type YamlFile } from '../model/yaml.js';
import type { Fix, TextEdit } from '../types.js';
import { addMapEntry } from './yaml-edit.js';

/** `github.event.pull_request.title` becomes PULL_REQUEST_TITLE; GitHub reserves GITHUB_* and RUNNER_*. */
export function envVarName(path: string): string {
  const name = path.replace(/^github\.event\./, '').replace(/^github\./, '').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^(?:GITHUB|RUNNER)_/.test(name) || /^\d/.test(name) ? `PW_${name}` : name;
}

export function moveToEnv(yaml: YamlFile, step: Step, stepPath: Array<string | number>, expr: LocatedExpression, path: string): Fix | { refused: string } {
  const run = step.run;
  if (!run) return { refused: 'only run: scripts are rewritten' };
  const source = yaml.text.slice(expr.range.start, expr.range.end);
  if (!source.startsWith('${{') || !source.endsWith('}}')) return { refused: 'the expression is not written verbatim in the file' };
  const shell = (scalarText(yaml.get(step.node, 'shell')) ?? 'bash').trim().split(/\s+/)[0]!.toLowerCase();
  const name = envVarName(path);
  let reference: string;
  if (shell === 'bash' || shell === 'sh' || shell.endsWith('/bash') || shell.endsWith('/sh')) reference = `\${${name}}`;
  else if (shell === 'pwsh' || shell === 'powershell') reference = `$env:${name}`;
  else return { refused: `shell \`${shell}\` is not rewritten` };
  if (hasQuotedHeredoc(run.node)) return { refused: 'the script has a quoted heredoc, where variables do not expand' };
  if (insideSingleQuotes(yaml.text, run.node, run.range.start, expr.range.start)) return { refused: 'the expression is inside single quotes, where a variable would not expand' };
  const value = `\${{ ${expr.inner.trim()} }}`;
  const edits: TextEdit[] = [{ file: yaml.path, start: expr.range.start, end: expr.range.end, text: reference }];
  const existing = step.env.get(name);
  if (existing) {
    if (existing.value.trim() !== value) return { refused: `env \`${name}\` already holds another value` };
  } else if (step.envNode) {
    edits.push(addMapEntry(yaml, step.envNode, name, value));
  } else if (yaml.get(step.node, 'env') === null && !yaml.entry(step.node, 'env') && isMap(step.node)) {
    edits.push(step.node.flow ? addMapEntry(yaml, step.node, 'env', `{${name}: ${value}}`) : addMapEntry(yaml, step.node, 'env', [`${name}: ${value}`]));
  } else return { refused: '`env:` has a shape the edit cannot keep intact' };
  return {
    title: `Pass ${path} through env ${name}`,
    safety: 'unsafe',
    edits,
    newFiles: [],
    changes: [
      { file: yaml.path, path: [...stepPath, 'run'] },
      { file: yaml.path, path: [...stepPath, 'env'] },
    ],
  };
}

const heredocs = new WeakMap<Scalar, boolean>();

/** Does the script hold a quoted heredoc (`<<'EOF'`, `<<"EOF"`, `<<\EOF`)? Asked once per script. */
function hasQuotedHeredoc(node: Scalar): boolean {
  let found = heredocs.get(node);
  if (found === undefined) heredocs.set(node, (found = /<<-?\s*(?:'|"|\\)/.test(String(node.value))));
  return found;
}

/** How far a script has been read for quotes; expressions are asked about in order, so each script is read once. */
const quoteScans = new WeakMap<Scalar, { pos: number; single: boolean; double: boolean }>();

/**
 * Is `offset` inside a single-quoted shell string on its line? Quotes are followed from the
 * start of the line (or of the script), continuing from the last question about the same script.
 */
function insideSingleQuotes(text: string, node: Scalar, scriptStart: number, offset: number): boolean {
  let state = quoteScans.get(node);
  if (!state || state.pos > offset) state = { pos: Math.max(scriptStart, text.lastIndexOf('\n', offset - 1) + 1), single: false, double: false };
  let { pos: i, single, double } = state;
  for (; i < offset; i++) {
    const c = text[i];
    if (c === '\n') single = double = false;
    else if (c === '\\' && !single) {
      // A backslash ending the line escapes nothing on it.
      if (text[i + 1] !== '\n') i++;
    } else if (c === "'" && !double) single = !single;
    else if (c === '"' && !single) double = !double;
  }
  quoteScans.set(node, { pos: i, single, double });
  return single;
}
