/** Just enough of go.mod, go.sum and vendor/modules.txt to check integrity without a Go toolchain. */

export interface GoRequire {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
  /** 1-based columns of the module path on its line. */
  column: number;
  endColumn: number;
}

export interface GoMod {
  module?: { path: string; line: number };
  requires: GoRequire[];
  /** Module paths replaced by a directive (their sums are not checked). */
  replaced: Set<string>;
}

export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { requires: [], replaced: new Set() };
  let block: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const code = line.replace(/\/\/.*$/, '').trim();
    const lineNo = i + 1;
    if (block) {
      if (code === ')') {
        block = undefined;
        return;
      }
      directive(block, code, line, lineNo);
      return;
    }
    const m = /^(\w+)\s*(\(?)\s*(.*)$/.exec(code);
    if (!m) return;
    const [, verb, open, rest] = m as unknown as [string, string, string, string];
    if (open === '(') block = verb;
    else directive(verb, rest, line, lineNo);
  });
  return mod;

  function directive(verb: string, args: string, line: string, lineNo: number): void {
    const parts = args.split(/\s+/).filter(Boolean).map(unquote);
    if (verb === 'module' && parts[0]) mod.module = { path: parts[0], line: lineNo };
    if (verb === 'require' && parts.length >= 2) {
      const column = line.indexOf(parts[0]!) + 1;
      mod.requires.push({ path: parts[0]!, version: parts[1]!, indirect: /\/\/\s*indirect\b/.test(line), line: lineNo, column, endColumn: column + parts[0]!.length });
    }
    if (verb === 'replace' && parts[0]) mod.replaced.add(parts[0]);
  }
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, '$1').replace(/^`(.*)`$/, '$1');
}

/** `path version` pairs that go.sum has a hash for (either the module or its go.mod). */
export function parseGoSum(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const [path, version] = line.trim().split(/\s+/);
    if (path && version) out.add(`${path} ${version.replace(/\/go\.mod$/, '')}`);
  }
  return out;
}

/** Module versions vendor/modules.txt records (`# path version`). */
export function parseModulesTxt(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^# (\S+) (v\S+)/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}
