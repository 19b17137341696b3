/** The pinning fix: `uses: owner/repo@ref` becomes `uses: owner/repo@<sha> # <version>`, quoting kept. */
import type { UsesSite } from '../analysis/facts.js';
import type { AuditEnv } from '../analysis/env.js';
import { resolutionKey, type Resolution } from '../github/resolve.js';
import type { Fix, TextEdit } from '../types.js';

/** The fix for a site, the reason there is none, or undefined when nothing was looked up. */
/** @param text the file's text, when the caller has it (reading site.yaml of a summarised workflow parses it again). */
export function pinFix(env: AuditEnv, site: UsesSite, text?: string): Fix | { refused: string } | undefined {
  const u = site.uses;
  if (!u.owner || !u.repo || !u.ref) return undefined;
  const result = env.resolutions.get(resolutionKey(u.owner, u.repo, u.ref));
  if (!result) return undefined;
  if ('error' in result) return { refused: result.error };
  if (!u.inner) return { refused: 'the value is written with escapes; pin it by hand' };
  return {
    title: `Pin ${u.owner}/${u.repo}${u.path ? `/${u.path}` : ''}@${u.ref} to ${result.sha.slice(0, 12)} (${result.version})`,
    safety: 'safe',
    edits: pinEdits(site, result, text ?? site.yaml.text),
    newFiles: [],
    changes: [{ file: site.file, path: site.path }],
  };
}

function pinEdits(site: UsesSite, r: Resolution, text: string): TextEdit[] {
  const { uses, file } = site;
  const inner = uses.inner!;
  const at = text.lastIndexOf('@', inner.end);
  const edits: TextEdit[] = [{ file, start: at + 1, end: inner.end, text: r.sha }];
  const end = uses.range.end;
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  const m = /^([ \t]+#[ \t]?)(.*?)[ \t]*$/.exec(rest);
  if (m) {
    const old = m[2]!;
    // Keep a comment that says something else; replace one that is only a version.
    const comment = old === '' || /^v?\d[\w.+-]*$/.test(old) || old === uses.ref ? r.version : `${r.version} ${old}`;
    edits.push({ file, start: end + m[1]!.length, end: end + m[1]!.length + old.length, text: comment });
  } else {
    edits.push({ file, start: end, end, text: ` # ${r.version}` });
  }
  return edits;
}
