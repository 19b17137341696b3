import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Unary } from '@actions/expressions/ast';
import type { Expr } from '@actions/expressions';
import type { Check, CheckContext } from '../src/check.js';
import { eventNames } from '../src/analysis/facts.js';
import { findExpressions, parseExpression } from '../src/model/expressions.js';
import type { Workflow } from '../src/model/workflow.js';
import { isScalar, type Scalar, type YAMLMap } from '../src/model/yaml.js';
import type { Fix } from '../src/types.js';
import { parseDocument } from 'yaml';

/** Triggers whose `github.actor` need not be the author of the code or text the run acts on. */
const ACTOR_SPOOFABLE = new Set(['pull_request_target', 'workflow_run']);

export const unsoundCondition: Check = {
  meta: {
    id: 'unsound-condition',
    title: '`if:` that does not guard what it seems to',
    area: 'triggers',
    severity: 'medium',
    description:
      'An `if:` that is always true because text surrounds its `${{ }}` (`${{ a }} && ${{ b }}`, a block scalar `if: |`, extra spaces inside quotes), or a `github.actor == \'…[bot]\'` test in a pull_request_target or workflow_run workflow.',
    why:
      'When an `if:` holds `${{ }}` plus any other text, even a trailing newline from `|`, GitHub evaluates it as a string, and ' +
      'every non-empty string is true: the step or job always runs, whatever the expression says. `github.actor` is whoever caused ' +
      'the latest event, not who wrote the pull request: an outsider can get Dependabot to act on their fork branch (or re-run a ' +
      'Dependabot run) so that a `github.actor == \'dependabot[bot]\'` gate opens on their code in a privileged workflow.',
    howToFix:
      'Write the whole condition inside one `${{ }}` (or leave the delimiters out): `if: ${{ a && b }}`, `if: a && b`. Test the ' +
      'pull request\'s author instead of the actor: `github.event.pull_request.user.login == \'dependabot[bot]\'`.',
    example: "- if: |\n-   ${{ github.event_name == 'push' }}\n+ if: ${{ github.event_name == 'push' }}",
    fixable: true,
  },
  workflow(wf, ctx) {
    const spoofable = eventNames(wf).filter((e) => ACTOR_SPOOFABLE.has(e));
    for (const job of wf.jobs) {
      checkIf(wf, job.node, ['jobs', job.id, 'if'], spoofable, ctx);
      for (const step of job.steps) checkIf(wf, step.node, ['jobs', job.id, 'steps', step.index, 'if'], spoofable, ctx);
    }
  },
};

function checkIf(wf: Workflow, owner: YAMLMap, path: Array<string | number>, spoofable: string[], { report }: CheckContext): void {
  const { yaml } = wf;
  const entry = yaml.entry(owner, 'if');
  if (!entry || !isScalar(entry.value) || typeof entry.value.value !== 'string') return;
  const node = entry.value as Scalar<string>;
  const value = node.value;
  const spans = findExpressions(value);
  const range = yaml.range(node);
  if (spans.length > 0 && !(spans.length === 1 && spans[0]!.start === 0 && spans[0]!.end === value.length)) {
    const lone = spans.length === 1 && value.slice(0, spans[0]!.start).trim() === '' && value.slice(spans[0]!.end).trim() === '';
    report({
      file: wf.file,
      range,
      severity: 'high',
      messageId: lone ? 'text-around-expression' : 'several-expressions',
      message: lone
        ? `this \`if:\` is always true: the white space or line break around \`\${{ … }}\` makes it a non-empty string`
        : `this \`if:\` is always true: \`${value.trim()}\` mixes \`\${{ }}\` with other text, which makes it a non-empty string`,
      fix: () => (lone ? loneExpressionFix(wf, node, spans[0]!.inner, path) : { refused: 'the parts would have to be combined into one expression by hand' }),
    });
    return;
  }
  if (spoofable.length === 0) return;
  const source = spans.length === 1 ? spans[0]!.inner : value;
  const { expr } = parseExpression(source);
  if (!expr) return;
  const test = actorBotTest(expr);
  if (!test) return;
  const onlyPrTarget = spoofable.length === 1 && spoofable[0] === 'pull_request_target';
  report({
    file: wf.file,
    range,
    messageId: 'spoofable-actor',
    message: `\`${test}\` does not prove the bot wrote the change: in a workflow run by ${spoofable.join(', ')}, \`github.actor\` is whoever caused the latest event; test \`github.event.pull_request.user.login\` instead`,
    fix: () => (onlyPrTarget ? actorFix(wf, node, path) : { refused: 'workflow_run carries no pull request author to test instead; check the triggering run\'s head repository' }),
  });
}

/** `github.actor == '<something>[bot]'` (or triggering_actor) anywhere in the condition, not under a negation. */
function actorBotTest(expr: Expr): string | undefined {
  let found: string | undefined;
  const visit = (e: Expr): void => {
    if (found) return;
    if (e instanceof Binary && e.operator.lexeme === '==') {
      for (const [a, b] of [[e.left, e.right], [e.right, e.left]] as const) {
        const p = pathOf(a);
        if ((p === 'github.actor' || p === 'github.triggering_actor') && b instanceof Literal && /\[bot\]$/i.test(b.literal.coerceString())) {
          found = `${p} == '${b.literal.coerceString()}'`;
          return;
        }
      }
    }
    if (e instanceof Logical) e.args.forEach(visit);
    else if (e instanceof Grouping) visit(e.group);
    else if (e instanceof Binary) {
      visit(e.left);
      visit(e.right);
    } else if (e instanceof FunctionCall) e.args.forEach(visit);
    // Under `!` the test keeps the bot out rather than letting it in.
    else if (e instanceof Unary) return;
  };
  visit(expr);
  return found;
}

function pathOf(e: Expr): string | undefined {
  if (e instanceof ContextAccess) return e.name.lexeme.toLowerCase();
  if (e instanceof IndexAccess && e.index instanceof Literal) {
    const base = pathOf(e.expr);
    return base === undefined ? undefined : `${base}.${e.index.literal.coerceString().toLowerCase()}`;
  }
  return undefined;
}

/** `if: |\n  ${{ x }}\n` becomes `if: ${{ x }}` (plain when YAML reads it back unchanged, else double-quoted). */
function loneExpressionFix(wf: Workflow, node: Scalar<string>, inner: string, path: Array<string | number>): Fix | { refused: string } {
  const [start, end] = node.range ?? [0, 0];
  const expression = `\${{ ${inner.trim()} }}`;
  const plain = readsBack(expression) ? expression : JSON.stringify(expression);
  // A block scalar's range runs to the start of the next line; keep that line break.
  const text = wf.yaml.text.slice(start, end);
  const trailing = /\r?\n[ \t]*$/.exec(text)?.[0] ?? '';
  const keep = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? trailing.replace(/[ \t]+$/, '') : '';
  return {
    title: 'Make the `if:` a single expression',
    safety: 'unsafe',
    edits: [{ file: wf.file, start, end: end - (keep ? trailing.length : 0), text: plain }],
    newFiles: [],
    changes: [{ file: wf.file, path }],
  };
}

function readsBack(value: string): boolean {
  const doc = parseDocument(`if: ${value}\n`);
  return doc.errors.length === 0 && (doc.toJS() as { if?: unknown })?.if === value;
}

function actorFix(wf: Workflow, node: Scalar<string>, path: Array<string | number>): Fix | { refused: string } {
  const [start, end] = node.range ?? [0, 0];
  const source = wf.yaml.text.slice(start, end);
  const re = /\bgithub\.actor\b(?![\w.-])/g;
  const hits = [...source.matchAll(re)];
  if (hits.length !== 1) return { refused: hits.length ? '`github.actor` appears more than once' : '`github.actor` is not written as such' };
  const at = start + hits[0]!.index;
  return {
    title: 'Test the pull request author instead of github.actor',
    safety: 'unsafe',
    edits: [{ file: wf.file, start: at, end: at + 'github.actor'.length, text: 'github.event.pull_request.user.login' }],
    newFiles: [],
    changes: [{ file: wf.file, path }],
  };
}
