/**
 * Every key of the interactive view, in one table: a key press becomes a named command here and
 * nowhere else. The help overlay and docs/tui.md are generated from this table.
 */

export type Scope =
  | 'global'
  | 'list'
  | 'overview'
  | 'findings'
  | 'detail'
  | 'queue'
  | 'credentials'
  | 'help'
  | 'prompt'
  | 'confirm'
  | 'where';

export type CommandId =
  | 'help'
  | 'quit'
  | 'back'
  | 'next-pane'
  | 'prev-pane'
  | 'go-overview'
  | 'go-findings'
  | 'go-queue'
  | 'go-credentials'
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'top'
  | 'bottom'
  | 'open'
  | 'search'
  | 'filter-severity'
  | 'filter-area'
  | 'filter-check'
  | 'filter-fixable'
  | 'clear-filters'
  | 'sort'
  | 'group'
  | 'accept'
  | 'accept-group'
  | 'skip'
  | 'suppress'
  | 'edit'
  | 'remove'
  | 'write'
  | 'save-patch'
  | 'pull-request'
  | 'close-help'
  | 'submit'
  | 'cancel'
  | 'erase'
  | 'yes'
  | 'no'
  | 'where-config'
  | 'where-inline';

export interface Binding {
  command: CommandId;
  /** Key names as keyName() produces them. */
  keys: string[];
  description: string;
  scopes: Scope[];
}

export const BINDINGS: readonly Binding[] = [
  { command: 'help', keys: ['?'], description: 'show the keys of this screen', scopes: ['global'] },
  { command: 'quit', keys: ['q'], description: 'quit (asks first when accepted fixes are not written)', scopes: ['global'] },
  { command: 'back', keys: ['esc'], description: 'back to the previous screen', scopes: ['global'] },
  { command: 'next-pane', keys: ['tab'], description: 'next pane (overview, findings, queue, credentials)', scopes: ['global'] },
  { command: 'prev-pane', keys: ['shift-tab'], description: 'previous pane', scopes: ['global'] },
  { command: 'go-overview', keys: ['1'], description: 'overview', scopes: ['global'] },
  { command: 'go-findings', keys: ['2'], description: 'findings', scopes: ['global'] },
  { command: 'go-queue', keys: ['3'], description: 'fix queue', scopes: ['global'] },
  { command: 'go-credentials', keys: ['4'], description: 'credentials', scopes: ['global'] },
  { command: 'up', keys: ['up', 'k'], description: 'move up (detail: scroll)', scopes: ['list'] },
  { command: 'down', keys: ['down', 'j'], description: 'move down (detail: scroll)', scopes: ['list'] },
  { command: 'page-up', keys: ['pageup'], description: 'one page up', scopes: ['list'] },
  { command: 'page-down', keys: ['pagedown', 'space'], description: 'one page down', scopes: ['list'] },
  { command: 'top', keys: ['g', 'home'], description: 'first line', scopes: ['list'] },
  { command: 'bottom', keys: ['G', 'end'], description: 'last line', scopes: ['list'] },
  { command: 'open', keys: ['enter'], description: 'open: an area, a group (expand/collapse), a finding, a credential\'s findings', scopes: ['overview', 'findings', 'credentials'] },
  { command: 'search', keys: ['/'], description: 'search findings (message, file, check)', scopes: ['findings'] },
  { command: 'filter-severity', keys: ['s'], description: 'filter by severity (cycles)', scopes: ['findings'] },
  { command: 'filter-area', keys: ['a'], description: 'filter by area (cycles)', scopes: ['findings'] },
  { command: 'filter-check', keys: ['c'], description: 'filter by check (cycles)', scopes: ['findings'] },
  { command: 'filter-fixable', keys: ['f'], description: 'filter fixable / not fixable (cycles)', scopes: ['findings'] },
  { command: 'clear-filters', keys: ['x'], description: 'clear filters and search', scopes: ['findings'] },
  { command: 'sort', keys: ['o'], description: 'sort by priority, severity or file (cycles)', scopes: ['findings'] },
  { command: 'group', keys: ['v'], description: 'group by nothing, check, subject or file (cycles)', scopes: ['findings'] },
  { command: 'accept', keys: ['y'], description: 'accept the fix (adds it to the queue)', scopes: ['findings', 'detail'] },
  { command: 'accept-group', keys: ['Y'], description: 'accept every fix of the group', scopes: ['findings', 'detail'] },
  { command: 'skip', keys: ['n'], description: 'skip to the next finding', scopes: ['findings', 'detail'] },
  { command: 'suppress', keys: ['i'], description: 'suppress (ignore) with a reason and optional expiry', scopes: ['findings', 'detail'] },
  { command: 'edit', keys: ['e'], description: 'open the file in $EDITOR at the line', scopes: ['findings', 'detail', 'credentials'] },
  { command: 'remove', keys: ['d', 'delete'], description: 'remove the fix from the queue', scopes: ['queue'] },
  { command: 'write', keys: ['w'], description: 'write the queued fixes to the working tree', scopes: ['queue'] },
  { command: 'save-patch', keys: ['p'], description: 'save the queued fixes as a patch file', scopes: ['queue'] },
  { command: 'pull-request', keys: ['P'], description: 'open a pull request with the queued fixes', scopes: ['queue'] },
  { command: 'close-help', keys: ['?', 'esc', 'q'], description: 'close the help', scopes: ['help'] },
  { command: 'submit', keys: ['enter'], description: 'accept the answer', scopes: ['prompt'] },
  { command: 'cancel', keys: ['esc'], description: 'cancel', scopes: ['prompt', 'where'] },
  { command: 'erase', keys: ['backspace', 'delete'], description: 'erase a character', scopes: ['prompt'] },
  { command: 'yes', keys: ['y'], description: 'yes', scopes: ['confirm'] },
  { command: 'no', keys: ['n', 'esc'], description: 'no', scopes: ['confirm'] },
  { command: 'where-config', keys: ['c'], description: 'write the suppression to .pipewarden.yml', scopes: ['where'] },
  { command: 'where-inline', keys: ['l'], description: 'write it as an inline comment above the line', scopes: ['where'] },
];

/** Ink's key event, as much of it as the keymap reads. */
export interface KeyEvent {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** One name per key press: `j`, `G`, `up`, `pagedown`, `enter`, `shift-tab`, `ctrl-c`. */
export function keyName(input: string, key: KeyEvent): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.ctrl) return `ctrl-${input}`;
  if (input === ' ') return 'space';
  return input;
}

/** The scopes that apply, most specific first. */
export function scopesFor(context: { screen: string; overlay?: 'help' | 'prompt' | 'confirm' | 'where' }): Scope[] {
  if (context.overlay) return [context.overlay];
  const screen = context.screen as Scope;
  if (screen === ('progress' as Scope)) return ['global'];
  return [screen, 'list', 'global'];
}

export type Resolved = { command: CommandId } | { text: string } | undefined;

const TABLE = new Map<string, Binding[]>();
for (const b of BINDINGS) for (const k of b.keys) TABLE.set(k, [...(TABLE.get(k) ?? []), b]);

/** The command a key press means in this context; in a prompt, other printable keys are text. */
export function resolveKey(input: string, key: KeyEvent, context: Parameters<typeof scopesFor>[0]): Resolved {
  const name = keyName(input, key);
  const scopes = scopesFor(context);
  for (const scope of scopes) {
    const hit = TABLE.get(name)?.find((b) => b.scopes.includes(scope));
    if (hit) return { command: hit.command };
  }
  if (context.overlay === 'prompt' && !key.ctrl && !key.meta && input && !/[\u0000-\u001f\u007f]/.test(input)) return { text: input };
  return undefined;
}

/** The bindings of one context, for the help overlay. */
export function bindingsFor(context: Parameters<typeof scopesFor>[0]): Binding[] {
  const scopes = scopesFor(context);
  const seen = new Set<string>();
  const out: Binding[] = [];
  for (const scope of scopes) {
    for (const b of BINDINGS) {
      if (!b.scopes.includes(scope) || seen.has(b.command)) continue;
      seen.add(b.command);
      out.push(b);
    }
  }
  return out;
}

const SCOPE_TITLES: Record<Scope, string> = {
  global: 'Everywhere',
  list: 'Lists and scrolling (overview, findings, detail, queue, credentials)',
  overview: 'Overview',
  findings: 'Findings',
  detail: 'Finding detail',
  queue: 'Fix queue',
  credentials: 'Credentials',
  help: 'Help overlay',
  prompt: 'Text prompts (search, suppression reason and expiry, patch path)',
  confirm: 'Questions (quit with unwritten fixes)',
  where: 'Where a suppression goes',
};

/** The whole keymap as Markdown tables, one per scope (docs/tui.md carries this verbatim). */
export function keymapMarkdown(): string {
  const out: string[] = [];
  for (const scope of Object.keys(SCOPE_TITLES) as Scope[]) {
    const rows = BINDINGS.filter((b) => b.scopes.includes(scope));
    if (!rows.length) continue;
    out.push(`### ${SCOPE_TITLES[scope]}`, '', '| Keys | Command | What it does |', '| --- | --- | --- |');
    for (const b of rows) out.push(`| ${b.keys.map((k) => `\`${k === '|' ? '\\|' : k}\``).join(' ')} | ${b.command} | ${b.description} |`);
    out.push('');
  }
  return out.join('\n');
}
