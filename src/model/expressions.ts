/**
 * `${{ }}` expressions, parsed with GitHub's own parser (@actions/expressions). Finding the
 * delimiters follows GitHub's rule: an expression ends at the first `}}` outside a string
 * literal. What the engine asks of an expression is which context paths it reads, and which
 * of them can flow as text into its result (a comparison or `contains()` yields a boolean).
 */
import { Lexer, Parser } from '@actions/expressions';
import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Star, Unary } from '@actions/expressions/ast';
import type { Expr } from '@actions/expressions';

const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'inputs', 'steps', 'job', 'jobs', 'runner', 'strategy', 'matrix', 'needs'];

export interface ExpressionSpan {
  /** Offsets of `${{` and just after `}}` in the string searched. */
  start: number;
  end: number;
  /** The text between the delimiters. */
  inner: string;
  expr?: Expr;
  error?: string;
}

export function findExpressions(text: string): ExpressionSpan[] {
  const spans: ExpressionSpan[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('${{', from);
    if (open === -1) break;
    const close = findClose(text, open + 3);
    if (close === -1) {
      spans.push({ start: open, end: text.length, inner: text.slice(open + 3), error: 'unterminated ${{' });
      break;
    }
    const inner = text.slice(open + 3, close);
    // The cached parse's one key copied by hand, in the place a spread put it.
    const span: ExpressionSpan = { start: open, end: close + 2, inner };
    const parsed = parseExpression(inner);
    if ('expr' in parsed) span.expr = parsed.expr;
    if ('error' in parsed) span.error = parsed.error;
    spans.push(span);
    from = close + 2;
  }
  return spans;
}

function findClose(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length - 1; i++) {
    const c = text[i];
    if (c === "'") {
      if (inString && text[i + 1] === "'") {
        i++;
        continue;
      }
      inString = !inString;
    } else if (!inString && c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

const parseCache = new Map<string, { expr?: Expr; error?: string }>();

export function parseExpression(source: string): { expr?: Expr; error?: string } {
  const cached = parseCache.get(source);
  if (cached) return cached;
  let result: { expr?: Expr; error?: string };
  try {
    const lexed = new Lexer(source.trim()).lex();
    result = { expr: new Parser(lexed.tokens, CONTEXTS, []).parse() };
  } catch (err) {
    result = { error: (err as Error).message };
  }
  if (parseCache.size > 50_000) parseCache.clear();
  parseCache.set(source, result);
  return result;
}

/**
 * The dotted path an access chain reads (`github.event.commits.*.message`); numeric and
 * star indexes become `*`, and a computed index ends the path with `?`.
 */
function accessPath(expr: Expr): string | undefined {
  if (expr instanceof ContextAccess) return expr.name.lexeme.toLowerCase();
  if (expr instanceof IndexAccess) {
    const base = accessPath(expr.expr);
    if (base === undefined) return undefined;
    const idx = expr.index;
    if (idx instanceof Star) return `${base}.*`;
    if (idx instanceof Literal) {
      const v = idx.literal.coerceString();
      return /^\d+$/.test(v) ? `${base}.*` : `${base}.${v.toLowerCase()}`;
    }
    return `${base}.?`;
  }
  return undefined;
}

/**
 * The answers of referencedPaths and valuePaths per expression. parseExpression hands out one
 * Expr per expression text, so the same few expressions of every workflow are walked once; the
 * lists are shared, so they are only read.
 */
const referenced = new WeakMap<Expr, readonly string[]>();
const valued = new WeakMap<Expr, readonly string[]>();

/** Every context path the expression reads, anywhere in it. */
export function referencedPaths(expr: Expr): readonly string[] {
  let known = referenced.get(expr);
  if (!known) referenced.set(expr, (known = walkReferencedPaths(expr)));
  return known;
}

function walkReferencedPaths(expr: Expr): string[] {
  const out: string[] = [];
  const visit = (e: Expr): void => {
    const p = accessPath(e);
    if (p !== undefined) {
      out.push(p);
      if (e instanceof IndexAccess && !(e.index instanceof Literal) && !(e.index instanceof Star)) visit(e.index);
      return;
    }
    if (e instanceof IndexAccess) {
      visit(e.expr);
      visit(e.index);
    } else if (e instanceof FunctionCall) e.args.forEach(visit);
    else if (e instanceof Logical) e.args.forEach(visit);
    else if (e instanceof Binary) {
      visit(e.left);
      visit(e.right);
    } else if (e instanceof Unary) visit(e.expr);
    else if (e instanceof Grouping) visit(e.group);
  };
  visit(expr);
  return out;
}

/** Functions whose result can contain their arguments' text. */
const TEXT_PASSING_FUNCTIONS = new Set(['format', 'join', 'tojson', 'fromjson']);

/** The context paths whose text can end up in the expression's value. */
export function valuePaths(expr: Expr): readonly string[] {
  let known = valued.get(expr);
  if (!known) valued.set(expr, (known = walkValuePaths(expr)));
  return known;
}

function walkValuePaths(expr: Expr): readonly string[] {
  const p = accessPath(expr);
  if (p !== undefined) return [p];
  if (expr instanceof Logical) return expr.args.flatMap(valuePaths);
  if (expr instanceof Grouping) return valuePaths(expr.group);
  if (expr instanceof FunctionCall && TEXT_PASSING_FUNCTIONS.has(expr.functionName.lexeme.toLowerCase())) {
    return expr.args.flatMap(valuePaths);
  }
  if (expr instanceof IndexAccess) return valuePaths(expr.expr).map((b) => `${b}.?`);
  return [];
}

/** Does a concrete path (split at dots) match a pattern whose `*` stands for one segment? */
export function segmentsMatch(path: string[], pattern: string[]): boolean {
  if (path.length !== pattern.length) return false;
  return pattern.every((seg, i) => seg === '*' || seg === path[i] || path[i] === '*' || path[i] === '?');
}
