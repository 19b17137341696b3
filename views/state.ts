/**
 * The interactive view's whole state and its one reducer. Views are functions of this state;
 * key presses arrive as named commands (views/keymap.ts) and engine results as actions from
 * views/controller.ts. Derived lists (filtered, sorted, grouped findings) are memoised here so
 * a cursor move with thousands of findings touches only the rows on screen.
 */
import type { AuditReport } from '../src/audit/report.js';
import { byPriority, fixFirst, groupFindings, type FixFirst } from '../src/audit/priority.js';
import type { Progress } from '../src/engine/session.js';
import { AREAS, SEVERITIES, severityRank, type Area, type Finding, type Severity } from '../src/types.js';
import type { CommandId } from './keymap.js';
import { detailRows, type FixPreview } from './detail-model.js';
import type { Seg } from './theme.js';

export type { FixPreview } from './detail-model.js';

export type Screen = 'progress' | 'overview' | 'findings' | 'detail' | 'queue' | 'credentials';
export const PANES: readonly Screen[] = ['overview', 'findings', 'queue', 'credentials'];
export type Grouping = 'none' | 'check' | 'subject' | 'file';
export const GROUPINGS: readonly Grouping[] = ['none', 'check', 'subject', 'file'];
export type SortKey = 'priority' | 'severity' | 'file';
export const SORTS: readonly SortKey[] = ['priority', 'severity', 'file'];

export interface Filters {
  severity?: Severity;
  area?: Area;
  check?: string;
  fixable?: boolean;
  /** One group's findings (the overview's widest fix). */
  groupKey?: string;
  /** One job's findings (from the credentials table): the file and the job's line span. */
  job?: { file: string; job: string; line: number; endLine: number };
  search: string;
}

export interface ProgressLine {
  phase: Progress['phase'];
  text: string;
  at: number;
}

export type Prompt =
  | { kind: 'search'; value: string }
  | { kind: 'reason'; fingerprint: string; value: string; error?: string }
  | { kind: 'expires'; fingerprint: string; reason: string; value: string; error?: string }
  | { kind: 'where'; fingerprint: string; reason: string; expires?: string }
  | { kind: 'patch-path'; value: string; error?: string }
  | { kind: 'confirm-quit' };

export interface Message {
  text: string;
  tone: 'info' | 'ok' | 'error';
}

export interface AppState {
  screen: Screen;
  back: Screen[];
  columns: number;
  rows: number;
  color: boolean;
  started: number;
  progress: ProgressLine[];
  loadError?: string;
  report?: AuditReport;
  /** Counts audits, so memoised lists know the findings changed. */
  revision: number;
  overview: { cursor: number };
  list: { cursor: number; filters: Filters; sort: SortKey; grouping: Grouping; expanded: ReadonlySet<string> };
  detail?: { fingerprint: string; scroll: number; preview: FixPreview; source?: string };
  queue: { items: Finding[]; cursor: number; scroll: number; patch?: string; planning: boolean; notes: string[] };
  credentials: { cursor: number };
  skipped: ReadonlySet<string>;
  prompt?: Prompt;
  help: boolean;
  busy?: string;
  message?: Message;
  /** The last change written for a suppression (file and diff), shown until the next command. */
  change?: { title: string; diff: string };
  quitting: boolean;
  pullRequests: { available: boolean; reason: string };
}

export type Action =
  | { type: 'progress'; event: Progress; at: number }
  | { type: 'loaded'; report: AuditReport; at: number }
  | { type: 'load-failed'; message: string }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'command'; command: CommandId }
  | { type: 'text'; text: string }
  | { type: 'open-detail'; fingerprint: string; preview: FixPreview; source?: string }
  | { type: 'queue-add'; findings: Finding[] }
  | { type: 'queue-planned'; patch: string; notes: string[]; items: Finding[] }
  | { type: 'queue-planning' }
  | { type: 'reaudited'; report: AuditReport; message?: Message; change?: { title: string; diff: string }; clearQueue?: boolean }
  | { type: 'prompt'; prompt: Prompt | undefined }
  | { type: 'message'; message: Message | undefined }
  | { type: 'busy'; text: string | undefined }
  | { type: 'show-findings'; filters: Partial<Filters> };

export interface InitOptions {
  columns: number;
  rows: number;
  color: boolean;
  now: number;
  pullRequests?: { available: boolean; reason: string };
}

export function initialState(o: InitOptions): AppState {
  return {
    screen: 'progress',
    back: [],
    columns: o.columns,
    rows: o.rows,
    color: o.color,
    started: o.now,
    progress: [],
    revision: 0,
    overview: { cursor: 0 },
    list: { cursor: 0, filters: { search: '' }, sort: 'priority', grouping: 'none', expanded: new Set() },
    queue: { items: [], cursor: 0, scroll: 0, planning: false, notes: [] },
    credentials: { cursor: 0 },
    skipped: new Set(),
    help: false,
    quitting: false,
    pullRequests: o.pullRequests ?? { available: false, reason: 'pull requests: not available in this build' },
  };
}

// ---------------------------------------------------------------------------------------------
// Derived lists (memoised on the identity of their inputs)

function memoLast<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((a, i) => a === args[i])) return last.result;
    const result = fn(...args);
    last = { args, result };
    return result;
  };
}

const sorted = memoLast((findings: Finding[], sort: SortKey): Finding[] => {
  const copy = [...findings];
  if (sort === 'priority') return copy.sort(byPriority);
  if (sort === 'severity') return copy.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || byFile(a, b));
  return copy.sort(byFile);
});

function byFile(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

/** A finding's group key under groupFindings (check + subject). */
export function subjectKey(f: Finding): string {
  return `${f.check}\0${f.group ?? f.message}`;
}

const searchText = new WeakMap<Finding, string>();
function haystack(f: Finding): string {
  let s = searchText.get(f);
  // `also`: a search for a check folded into this finding finds the finding that stands for it.
  if (s === undefined) searchText.set(f, (s = `${f.message}\n${f.file}:${f.line}\n${f.check}\n${f.group ?? ''}\n${f.also?.join('\n') ?? ''}`.toLowerCase()));
  return s;
}

export const filtered = memoLast((findings: Finding[], sort: SortKey, filters: Filters): Finding[] => {
  const needle = filters.search.trim().toLowerCase();
  return sorted(findings, sort).filter(
    (f) =>
      (!filters.severity || f.severity === filters.severity) &&
      (!filters.area || f.area === filters.area) &&
      (!filters.check || f.check === filters.check) &&
      (filters.fixable === undefined || f.fixable === filters.fixable) &&
      (!filters.groupKey || subjectKey(f) === filters.groupKey) &&
      (!filters.job || (f.file === filters.job.file && f.line >= filters.job.line && f.line <= filters.job.endLine)) &&
      (!needle || haystack(f).includes(needle)),
  );
});

export interface GroupRow {
  kind: 'group';
  key: string;
  label: string;
  findings: Finding[];
  fixable: number;
  expanded: boolean;
}
export interface FindingRow {
  kind: 'finding';
  finding: Finding;
  nested: boolean;
}
export type Row = GroupRow | FindingRow;

const grouped = memoLast((list: Finding[], grouping: Grouping): Array<Omit<GroupRow, 'expanded'>> => {
  if (grouping === 'subject') {
    return groupFindings(list).map((g) => ({ kind: 'group', key: g.key, label: `${g.check}  ${g.subject}`, findings: g.findings, fixable: g.fixable }));
  }
  const map = new Map<string, Omit<GroupRow, 'expanded'>>();
  for (const f of list) {
    const key = grouping === 'check' ? f.check : f.file;
    let g = map.get(key);
    if (!g) map.set(key, (g = { kind: 'group', key, label: key, findings: [], fixable: 0 }));
    g.findings.push(f);
    if (f.fixable) g.fixable++;
  }
  return [...map.values()];
});

export const rowsOf = memoLast((list: Finding[], grouping: Grouping, expanded: ReadonlySet<string>): Row[] => {
  if (grouping === 'none') return list.map((finding) => ({ kind: 'finding', finding, nested: false }));
  const out: Row[] = [];
  for (const g of grouped(list, grouping)) {
    const open = expanded.has(g.key);
    out.push({ ...g, expanded: open });
    if (open) for (const finding of g.findings) out.push({ kind: 'finding', finding, nested: true });
  }
  return out;
});

export function findingRows(state: AppState): Row[] {
  if (!state.report) return [];
  return rowsOf(filtered(state.report.findings, state.list.sort, state.list.filters), state.list.grouping, state.list.expanded);
}

export function findingByFingerprint(state: AppState, fingerprint: string): Finding | undefined {
  return state.report?.findings.find((f) => f.fingerprint === fingerprint) ?? state.report?.suppressed.find((f) => f.fingerprint === fingerprint);
}

/** The detail screen's rows for the open finding (also measured here, to bound its scrolling). */
export function detailRowsOf(state: AppState, width: number): Seg[][] {
  const d = state.detail;
  const finding = d && findingByFingerprint(state, d.fingerprint);
  return detailRows(
    {
      finding,
      meta: finding && state.report?.checks.find((c) => c.id === finding.check),
      preview: d?.preview,
      queued: !!finding && state.queue.items.some((q) => q.fingerprint === finding.fingerprint),
      ...(d?.source !== undefined ? { source: d.source } : {}),
    },
    width,
  );
}

export interface OverviewRow {
  kind: 'area' | 'top' | 'widest';
  area?: Area;
  count?: number;
  finding?: Finding;
  groupKey?: string;
}

export const fixFirstOf = memoLast((findings: Finding[]): FixFirst => fixFirst(findings));

export const overviewRows = memoLast((report: AuditReport | undefined): OverviewRow[] => {
  if (!report) return [];
  const counts = new Map<Area, number>();
  for (const f of report.findings) counts.set(f.area, (counts.get(f.area) ?? 0) + 1);
  const rows: OverviewRow[] = AREAS.filter((a) => counts.has(a)).map((area) => ({ kind: 'area', area, count: counts.get(area)! }));
  const first = fixFirstOf(report.findings);
  for (const finding of first.top) rows.push({ kind: 'top', finding });
  if (first.widestFix) rows.push({ kind: 'widest', groupKey: first.widestFix.key });
  return rows;
});

/** Rows for the screen's body: the terminal less the tabs, a rule, the status and key lines, and one spare. */
export function bodyHeight(state: Pick<AppState, 'rows'>): number {
  return Math.max(4, state.rows - 5);
}

/** The page size of a list: the body less its two heading rows. */
export function pageSize(state: Pick<AppState, 'rows'>): number {
  return Math.max(2, bodyHeight(state) - 2);
}

// ---------------------------------------------------------------------------------------------
// The reducer

function clamp(n: number, max: number): number {
  return Math.max(0, Math.min(n, max - 1));
}

function cycle<T>(values: readonly T[], current: T | undefined): T | undefined {
  const i = current === undefined ? -1 : values.indexOf(current);
  return i + 1 >= values.length ? undefined : values[i + 1];
}

function go(state: AppState, screen: Screen): AppState {
  if (state.screen === screen) return state;
  return { ...state, screen, back: [...state.back, state.screen].slice(-20) };
}

function withList(state: AppState, list: Partial<AppState['list']>): AppState {
  return { ...state, list: { ...state.list, ...list } };
}

function setFilters(state: AppState, filters: Partial<Filters>): AppState {
  return withList(state, { filters: { ...state.list.filters, ...filters }, cursor: 0 });
}

/** Moves the cursor of the current screen (the detail screen scrolls). */
function move(state: AppState, to: (cursor: number, length: number, page: number) => number): AppState {
  const page = pageSize(state);
  switch (state.screen) {
    case 'overview': {
      const n = overviewLength(state);
      return { ...state, overview: { cursor: clamp(to(state.overview.cursor, n, page), n) } };
    }
    case 'findings': {
      const n = findingRows(state).length;
      return withList(state, { cursor: clamp(to(state.list.cursor, n, page), n) });
    }
    case 'queue': {
      const n = state.queue.items.length;
      return { ...state, queue: { ...state.queue, cursor: clamp(to(state.queue.cursor, n, page), n) } };
    }
    case 'credentials': {
      const n = state.report?.secrets.length ?? 0;
      return { ...state, credentials: { cursor: clamp(to(state.credentials.cursor, n, page), n) } };
    }
    case 'detail': {
      if (!state.detail) return state;
      const max = Math.max(0, detailRowsOf(state, state.columns).length - bodyHeight(state)) + 1;
      return { ...state, detail: { ...state.detail, scroll: clamp(to(Math.min(state.detail.scroll, max - 1), max, page), max) } };
    }
    default:
      return state;
  }
}

function overviewLength(state: AppState): number {
  return overviewRows(state.report).length;
}

const MOVES: Partial<Record<CommandId, (cursor: number, length: number, page: number) => number>> = {
  up: (c) => c - 1,
  down: (c) => c + 1,
  'page-up': (c, _n, p) => c - p,
  'page-down': (c, _n, p) => c + p,
  top: () => 0,
  bottom: (_c, n) => n - 1,
};

function progressText(p: Progress): string {
  switch (p.phase) {
    case 'discover':
      return `discovering files: ${p.files} found`;
    case 'lookups':
      return `GitHub look-ups: ${p.done} of ${p.total}`;
    case 'checks':
      return p.done < p.total ? `running ${p.total} checks` : `ran ${p.total} checks`;
    case 'ready':
      return `${p.findings} finding${p.findings === 1 ? '' : 's'} in ${(p.ms / 1000).toFixed(1)} s`;
  }
}

export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'progress': {
      if (state.report) return state;
      const line = { phase: action.event.phase, text: progressText(action.event), at: action.at };
      const last = state.progress[state.progress.length - 1];
      // One line per phase: later events of the same phase update it in place.
      const progress = last?.phase === line.phase ? [...state.progress.slice(0, -1), { ...line, at: last.at }] : [...state.progress, line];
      return { ...state, progress };
    }
    case 'loaded':
      return { ...state, report: action.report, revision: state.revision + 1, screen: state.screen === 'progress' ? 'overview' : state.screen, back: [] };
    case 'load-failed':
      return { ...state, loadError: action.message };
    case 'resize':
      return { ...state, columns: action.columns, rows: action.rows };
    case 'text': {
      const p = state.prompt;
      if (!p || !('value' in p)) return state;
      const next = { ...state, prompt: { ...p, value: p.value + action.text, error: undefined } as Prompt };
      return p.kind === 'search' ? setFilters(next, { search: p.value + action.text }) : next;
    }
    case 'open-detail':
      return { ...go(state, 'detail'), detail: { fingerprint: action.fingerprint, scroll: 0, preview: action.preview, ...(action.source !== undefined ? { source: action.source } : {}) }, change: undefined };
    case 'queue-add': {
      const have = new Set(state.queue.items.map((f) => f.fingerprint));
      const added = action.findings.filter((f) => f.fixable && !have.has(f.fingerprint));
      const n = added.length;
      const message: Message = n
        ? { text: `queued ${n} fix${n === 1 ? '' : 'es'} (${state.queue.items.length + n} in the queue)`, tone: 'ok' }
        : { text: action.findings.some((f) => f.fixable) ? 'already in the queue' : 'no automatic fix for this finding', tone: 'info' };
      return { ...state, queue: { ...state.queue, items: [...state.queue.items, ...added], patch: n ? undefined : state.queue.patch }, message };
    }
    case 'queue-planning':
      return { ...state, queue: { ...state.queue, planning: true } };
    case 'queue-planned':
      if (action.items !== state.queue.items) return { ...state, queue: { ...state.queue, planning: false } };
      return { ...state, queue: { ...state.queue, planning: false, patch: action.patch, notes: action.notes, scroll: 0 } };
    case 'reaudited': {
      const byPrint = new Map(action.report.findings.map((f) => [f.fingerprint, f]));
      const items = action.clearQueue ? [] : state.queue.items.flatMap((f) => (byPrint.get(f.fingerprint)?.fixable ? [byPrint.get(f.fingerprint)!] : []));
      const next: AppState = {
        ...state,
        report: action.report,
        revision: state.revision + 1,
        queue: { ...state.queue, items, cursor: clamp(state.queue.cursor, items.length), patch: undefined, notes: [] },
        busy: undefined,
        ...(action.message ? { message: action.message } : {}),
        change: action.change,
      };
      return withList(next, { cursor: clamp(state.list.cursor, findingRows(next).length) });
    }
    case 'prompt':
      return { ...state, prompt: action.prompt };
    case 'message':
      return { ...state, message: action.message };
    case 'busy':
      return { ...state, busy: action.text };
    case 'show-findings':
      return setFilters({ ...go(state, 'findings'), list: { ...state.list, filters: { search: '' } } }, action.filters);
    case 'command':
      return command(state, action.command);
  }
}

function command(state: AppState, id: CommandId): AppState {
  // A written change is on screen: the next key dismisses it.
  if (state.change && id !== 'help' && id !== 'close-help') return { ...state, change: undefined };
  const move_ = MOVES[id];
  if (move_) return move(state, move_);
  switch (id) {
    case 'help':
      return { ...state, help: true };
    case 'close-help':
      return { ...state, help: false };
    case 'back':
      if (state.change) return { ...state, change: undefined };
      if (state.screen === 'findings' && !state.back.length && hasFilters(state.list.filters)) return setFilters(state, { ...CLEARED });
      if (!state.back.length) return state;
      return { ...state, screen: state.back[state.back.length - 1]!, back: state.back.slice(0, -1), change: undefined };
    case 'next-pane':
    case 'prev-pane': {
      if (!state.report) return state;
      const at = PANES.indexOf(state.screen === 'detail' ? 'findings' : state.screen);
      const step = id === 'next-pane' ? 1 : PANES.length - 1;
      return { ...state, screen: PANES[(at + step) % PANES.length]!, back: [], change: undefined };
    }
    case 'go-overview':
    case 'go-findings':
    case 'go-queue':
    case 'go-credentials':
      if (!state.report) return state;
      return { ...state, screen: id.slice(3) as Screen, back: [], change: undefined };
    case 'filter-severity':
      return setFilters(state, { severity: cycle(SEVERITIES, state.list.filters.severity) });
    case 'filter-area':
      return setFilters(state, { area: cycle(presentAreas(state), state.list.filters.area) });
    case 'filter-check':
      return setFilters(state, { check: cycle(presentChecks(state), state.list.filters.check) });
    case 'filter-fixable':
      return setFilters(state, { fixable: state.list.filters.fixable === undefined ? true : state.list.filters.fixable ? false : undefined });
    case 'clear-filters':
      return setFilters(state, { ...CLEARED });
    case 'sort':
      return withList(state, { sort: cycle(SORTS, state.list.sort) ?? 'priority', cursor: 0 });
    case 'group':
      return withList(state, { grouping: cycle(GROUPINGS, state.list.grouping) ?? 'none', cursor: 0, expanded: new Set() });
    case 'open': {
      if (state.screen !== 'findings') return state;
      const row = findingRows(state)[state.list.cursor];
      if (row?.kind !== 'group') return state;
      const expanded = new Set(state.list.expanded);
      if (expanded.has(row.key)) expanded.delete(row.key);
      else expanded.add(row.key);
      return withList(state, { expanded });
    }
    case 'search':
      return { ...state, prompt: { kind: 'search', value: state.list.filters.search } };
    case 'erase': {
      const p = state.prompt;
      if (!p || !('value' in p)) return state;
      const value = p.value.slice(0, -1);
      const next = { ...state, prompt: { ...p, value } as Prompt };
      return p.kind === 'search' ? setFilters(next, { search: value }) : next;
    }
    case 'cancel':
      if (state.prompt?.kind === 'search') return { ...setFilters(state, { search: '' }), prompt: undefined };
      return { ...state, prompt: undefined, message: { text: 'cancelled', tone: 'info' } };
    case 'no':
      return { ...state, prompt: undefined, quitting: false };
    case 'skip': {
      const row = state.screen === 'findings' ? findingRows(state)[state.list.cursor] : undefined;
      if (row?.kind !== 'finding') return move(state, MOVES.down!);
      return move({ ...state, skipped: new Set(state.skipped).add(row.finding.fingerprint) }, MOVES.down!);
    }
    case 'remove': {
      const items = state.queue.items.filter((_, i) => i !== state.queue.cursor);
      return { ...state, queue: { ...state.queue, items, cursor: clamp(state.queue.cursor, items.length), patch: undefined } };
    }
    default:
      // The other commands reach the engine; the controller runs them.
      return state;
  }
}

const CLEARED: Partial<Filters> = { severity: undefined, area: undefined, check: undefined, fixable: undefined, groupKey: undefined, job: undefined, search: '' };

export function hasFilters(f: Filters): boolean {
  return !!(f.severity || f.area || f.check || f.fixable !== undefined || f.groupKey || f.job || f.search);
}

const presentAreas = (state: AppState): Area[] => AREAS.filter((a) => state.report?.findings.some((f) => f.area === a));
function presentChecks(state: AppState): string[] {
  return [...new Set(state.report?.findings.map((f) => f.check) ?? [])].sort();
}
