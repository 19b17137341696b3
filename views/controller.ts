/**
 * The one place the views reach the engine: commands that need the RepoSession (open a finding,
 * queue and write fixes, suppress, save a patch, re-audit after the editor) run here and report
 * back to the reducer as actions. Everything else is the reducer's.
 */
import { randomBytes } from 'node:crypto';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import type { FixResult, RepoSession } from '../src/engine/session.js';
import type { Finding } from '../src/types.js';
import type { CommandId } from './keymap.js';
import {
  filtered,
  findingByFingerprint,
  findingRows,
  overviewRows,
  subjectKey,
  type Action,
  type AppState,
  type Message,
} from './state.js';

export interface PullRequestRequest {
  /** The combined patch of the queued fixes, as `git apply` takes it. */
  patch: string;
  findings: Finding[];
  /** The repository directory the patch applies to. */
  dir: string;
}

/** Opens a pull request with the queued fixes; wired by a build that can reach GitHub. */
export type OpenPullRequest = (req: PullRequestRequest) => Promise<{ url: string } | { error: string }>;

export interface ViewOptions {
  /** Colours on (false under NO_COLOR, and in tests). */
  color: boolean;
  openPullRequest?: OpenPullRequest;
  /** Runs $EDITOR on a file at a line, with the terminal handed over; the entry supplies one. */
  openEditor?: (absPath: string, line: number) => Promise<{ error?: string }> | { error?: string };
  /** Where a relative patch path is resolved (the current directory). */
  cwd?: string;
  /** The clock, for the progress screen's elapsed time. */
  now?: () => number;
  /** Called once, when the view has shown its first frame with findings (the bench measures this). */
  onReady?: () => void;
  /** Called when the person quits. */
  onExit: () => void;
}

export function useController(session: RepoSession, options: ViewOptions, state: AppState, dispatch: Dispatch<Action>): (command: CommandId) => void {
  const ref = useRef(state);
  ref.current = state;
  const now = options.now ?? Date.now;

  // Load: subscribe to progress, audit (or take the audit already made), hand the report over.
  useEffect(() => {
    let live = true;
    const off = session.listen((event) => live && dispatch({ type: 'progress', event, at: now() }));
    const load = async (): Promise<void> => {
      try {
        const audit = session.current ?? (await session.audit());
        if (live) dispatch({ type: 'loaded', report: audit.report, at: now() });
      } catch (err) {
        if (live) dispatch({ type: 'load-failed', message: (err as Error).message });
      }
    };
    void load();
    return () => {
      live = false;
      off();
    };
  }, [session]);

  // The queue's combined diff, planned whenever the queue screen shows a queue without one.
  const { screen } = state;
  const { items, patch, planning } = state.queue;
  useEffect(() => {
    if (screen !== 'queue' || !items.length || patch !== undefined || planning) return;
    dispatch({ type: 'queue-planning' });
    session.previewFixes(items).then(
      (result) => dispatch({ type: 'queue-planned', patch: result.patch, notes: outcomeNotes(result), items }),
      (err) => dispatch({ type: 'queue-planned', patch: '', notes: [`planning the fixes failed: ${(err as Error).message}`], items }),
    );
  }, [screen, items, patch, planning]);

  const busy = async (text: string, work: () => Promise<void>): Promise<void> => {
    dispatch({ type: 'busy', text });
    try {
      await work();
    } catch (err) {
      dispatch({ type: 'message', message: { text: (err as Error).message, tone: 'error' } });
    } finally {
      dispatch({ type: 'busy', text: undefined });
    }
  };

  const reaudited = (extra: { message?: Message; change?: { title: string; diff: string } } = {}): void => {
    const report = session.current?.report;
    if (report) dispatch({ type: 'reaudited', report, ...extra });
  };

  const openDetail = (f: Finding): void => {
    let preview;
    try {
      preview = session.fixPreview(f);
    } catch (err) {
      preview = { refused: `the fix could not be shown: ${(err as Error).message}` };
    }
    const source = session.current?.model.file(f.file)?.text;
    dispatch({ type: 'open-detail', fingerprint: f.fingerprint, preview, ...(source !== undefined ? { source } : {}) });
  };

  return useCallback(
    (command: CommandId): void => {
      const s = ref.current;
      if (s.message && command !== 'help') dispatch({ type: 'message', message: undefined });
      const current = currentFinding(s);
      switch (command) {
        case 'open':
          if (s.screen === 'overview') {
            const row = overviewRows(s.report)[s.overview.cursor];
            if (row?.kind === 'area') dispatch({ type: 'show-findings', filters: { area: row.area! } });
            else if (row?.kind === 'top') openDetail(row.finding!);
            else if (row?.kind === 'widest') dispatch({ type: 'show-findings', filters: { groupKey: row.groupKey! } });
            return;
          }
          if (s.screen === 'credentials') {
            const entry = s.report?.secrets[s.credentials.cursor];
            if (!entry) return;
            const job = entry.job ? session.current?.model.workflows.find((w) => w.file === entry.file)?.jobs.find((j) => j.id === entry.job) : undefined;
            const span = job ? { line: job.range.line, endLine: job.range.endLine } : { line: 1, endLine: Number.MAX_SAFE_INTEGER };
            dispatch({ type: 'show-findings', filters: { job: { file: entry.file, job: entry.job ?? '(workflow)', ...span } } });
            return;
          }
          if (s.screen === 'findings') {
            const row = findingRows(s)[s.list.cursor];
            if (row?.kind === 'finding') openDetail(row.finding);
            else dispatch({ type: 'command', command });
          }
          return;
        case 'accept':
          if (current) dispatch({ type: 'queue-add', findings: [current] });
          return;
        case 'accept-group': {
          const row = s.screen === 'findings' ? findingRows(s)[s.list.cursor] : undefined;
          if (row?.kind === 'group') dispatch({ type: 'queue-add', findings: row.findings });
          else if (current) {
            const key = subjectKey(current);
            dispatch({ type: 'queue-add', findings: s.report!.findings.filter((f) => subjectKey(f) === key) });
          }
          return;
        }
        case 'skip':
          if (s.screen === 'detail' && current) {
            const list = filtered(s.report!.findings, s.list.sort, s.list.filters);
            const next = list[list.indexOf(current) + 1];
            if (next) openDetail(next);
            else dispatch({ type: 'message', message: { text: 'that was the last finding', tone: 'info' } });
          } else dispatch({ type: 'command', command: 'skip' });
          return;
        case 'suppress':
          if (!current) return;
          if (current.suppression) return dispatch({ type: 'message', message: { text: 'already suppressed', tone: 'info' } });
          dispatch({ type: 'prompt', prompt: { kind: 'reason', fingerprint: current.fingerprint, value: '' } });
          return;
        case 'submit':
          return submit(s);
        case 'where-config':
        case 'where-inline': {
          const p = s.prompt;
          if (p?.kind !== 'where') return;
          const f = findingByFingerprint(s, p.fingerprint);
          dispatch({ type: 'prompt', prompt: undefined });
          if (!f) return;
          void busy('writing the suppression', async () => {
            const result = await session.suppress(f, { reason: p.reason, ...(p.expires ? { expires: p.expires } : {}), where: command === 'where-config' ? 'config' : 'inline' });
            if ('refused' in result) dispatch({ type: 'message', message: { text: `not suppressed: ${result.refused}`, tone: 'error' } });
            else reaudited({ message: { text: `suppressed in ${result.file}`, tone: 'ok' }, change: { title: `written to ${result.file}`, diff: result.diff } });
          });
          return;
        }
        case 'edit': {
          const target = current ?? editTargetOfCredential(s);
          if (!target) return;
          if (!options.openEditor) return dispatch({ type: 'message', message: { text: 'no editor: set $EDITOR', tone: 'error' } });
          void busy('editing', async () => {
            const result = await options.openEditor!(path.join(session.dir, target.file), target.line);
            if (result.error) dispatch({ type: 'message', message: { text: result.error, tone: 'error' } });
            await session.audit();
            reaudited();
          });
          return;
        }
        case 'write':
          if (!s.queue.items.length) return dispatch({ type: 'message', message: { text: 'the queue is empty: accept fixes with y', tone: 'info' } });
          void busy(`writing ${s.queue.items.length} fixes`, async () => {
            const result = await session.applyFixes(s.queue.items);
            reaudited({ message: { text: writeSummary(result), tone: result.skippedDirty.length || result.refusedWrites.length ? 'error' : 'ok' } });
          });
          return;
        case 'save-patch':
          if (!s.queue.items.length) return dispatch({ type: 'message', message: { text: 'the queue is empty: accept fixes with y', tone: 'info' } });
          dispatch({ type: 'prompt', prompt: { kind: 'patch-path', value: 'pipewarden.patch' } });
          return;
        case 'pull-request':
          if (!options.openPullRequest) return dispatch({ type: 'message', message: { text: s.pullRequests.reason, tone: 'error' } });
          if (!s.queue.items.length) return dispatch({ type: 'message', message: { text: 'the queue is empty: accept fixes with y', tone: 'info' } });
          void busy('opening a pull request', async () => {
            const planned = await session.previewFixes(s.queue.items);
            const result = await options.openPullRequest!({ patch: planned.patch, findings: s.queue.items, dir: session.dir });
            dispatch({ type: 'message', message: 'url' in result ? { text: `pull request opened: ${result.url}`, tone: 'ok' } : { text: `no pull request: ${result.error}`, tone: 'error' } });
          });
          return;
        case 'quit':
          if (s.queue.items.length) {
            dispatch({ type: 'prompt', prompt: { kind: 'confirm-quit' } });
            return;
          }
          options.onExit();
          return;
        case 'yes':
          if (s.prompt?.kind === 'confirm-quit') options.onExit();
          return;
        default:
          dispatch({ type: 'command', command });
      }
    },
    [session, options],
  );

  function submit(s: AppState): void {
    const p = s.prompt;
    if (!p) return;
    switch (p.kind) {
      case 'search':
        dispatch({ type: 'prompt', prompt: undefined });
        return;
      case 'reason': {
        const reason = p.value.trim();
        if (!reason) return dispatch({ type: 'prompt', prompt: { ...p, error: 'a reason is required' } });
        dispatch({ type: 'prompt', prompt: { kind: 'expires', fingerprint: p.fingerprint, reason, value: '' } });
        return;
      }
      case 'expires': {
        const value = p.value.trim();
        if (value && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) return dispatch({ type: 'prompt', prompt: { ...p, error: 'write the date as YYYY-MM-DD, or leave it empty' } });
        dispatch({ type: 'prompt', prompt: { kind: 'where', fingerprint: p.fingerprint, reason: p.reason, ...(value ? { expires: value } : {}) } });
        return;
      }
      case 'patch-path': {
        const target = p.value.trim();
        if (!target) return dispatch({ type: 'prompt', prompt: { ...p, error: 'a file name is required' } });
        dispatch({ type: 'prompt', prompt: undefined });
        void busy('saving the patch', async () => {
          const planned = await session.previewFixes(s.queue.items);
          const abs = path.resolve(options.cwd ?? process.cwd(), target);
          await writeFileAtomically(abs, planned.patch);
          dispatch({ type: 'message', message: { text: `patch saved to ${target} (${planned.plan.files.size} file${planned.plan.files.size === 1 ? '' : 's'}); apply it with git apply`, tone: 'ok' } });
        });
        return;
      }
      default:
    }
  }
}

/** The finding the current screen is about: the detail's, or the one under the findings cursor. */
export function currentFinding(s: AppState): Finding | undefined {
  if (s.screen === 'detail' && s.detail) return findingByFingerprint(s, s.detail.fingerprint);
  if (s.screen === 'findings') {
    const row = findingRows(s)[s.list.cursor];
    return row?.kind === 'finding' ? row.finding : undefined;
  }
  return undefined;
}

function editTargetOfCredential(s: AppState): { file: string; line: number } | undefined {
  if (s.screen !== 'credentials') return undefined;
  const e = s.report?.secrets[s.credentials.cursor];
  return e ? { file: e.file, line: e.line } : undefined;
}

function outcomeNotes(result: FixResult): string[] {
  return result.plan.outcomes.filter((o) => o.status !== 'applied').map((o) => `${o.status}: ${o.finding.file}:${o.finding.line} ${o.finding.check}${o.reason ? `: ${o.reason}` : ''}`);
}

function writeSummary(result: FixResult): string {
  const applied = result.plan.outcomes.filter((o) => o.status === 'applied').length;
  const files = result.plan.files.size;
  let text = `wrote ${applied} fix${applied === 1 ? '' : 'es'} to ${files} file${files === 1 ? '' : 's'}`;
  const other = result.plan.outcomes.length - applied;
  if (other) text += `; ${other} not applied`;
  if (result.skippedDirty.length) text += `; left alone (uncommitted changes): ${result.skippedDirty.join(', ')}`;
  if (result.refusedWrites.length) text += `; refused: ${result.refusedWrites.join('; ')}`;
  return text;
}

/** Temp file beside the target, then rename: a reader never sees half a patch. */
async function writeFileAtomically(abs: string, text: string): Promise<void> {
  const dir = path.dirname(abs);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`cannot write ${abs}: the directory ${dir} does not exist`);
  const tmp = path.join(dir, `.${path.basename(abs)}.pipewarden-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, abs);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw new Error(`cannot write ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
