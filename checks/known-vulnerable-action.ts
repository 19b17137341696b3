import semver from 'semver';
import type { Check } from '../src/check.js';
import { usesSites, usesTarget, type UsesSite } from '../src/analysis/facts.js';
import { commentVersion, known } from '../src/analysis/remote.js';
import { resolutionKey } from '../src/github/resolve.js';
import type { Fix, Severity } from '../src/types.js';

/** GitHub's ranges (`>= 1.0.0, < 1.2.0`, `= 2.0.0`, `<= 3.0`) as a semver range. */
function semverRange(range: string): string | undefined {
  const parts = range.split(',').map((p) => p.trim().replace(/^=\s*/, '').replace(/^([<>]=?)\s+/, '$1'));
  const joined = parts.join(' ');
  return semver.validRange(joined) ?? undefined;
}

/** The version that runs: a full version tag, the most specific tag the pin resolved to, or a SHA pin's confirmed comment. */
function runningVersion(site: UsesSite, env: Parameters<NonNullable<Check['run']>>[0]['env']): string | undefined {
  const u = site.uses;
  if (!u.owner || !u.repo || !u.ref) return undefined;
  let candidate: string | undefined;
  if (u.refKind === 'tag') {
    const r = env.resolutions.get(resolutionKey(u.owner, u.repo, u.ref));
    candidate = r && !('error' in r) ? r.version : u.ref;
  } else if (u.refKind === 'sha') {
    const version = commentVersion(u.comment);
    // Only a comment the API confirms (its tag is at the pinned commit) says what runs.
    const tag = version ? known(env.remote?.tags.get(resolutionKey(u.owner, u.repo, version))) : undefined;
    if (version && tag && tag.sha.toLowerCase() === u.ref.toLowerCase()) candidate = version;
  }
  return candidate && semver.valid(semver.clean(candidate) ?? '') ? candidate : undefined;
}

const SEVERITY: Record<string, Severity> = { critical: 'critical', high: 'high', medium: 'medium', moderate: 'medium', low: 'low' };

function upgradeFix(site: UsesSite, pin: { sha: string; tag: string }): Fix | { refused: string } {
  const { uses, yaml, file } = site;
  if (!uses.inner) return { refused: 'the value is written with escapes; upgrade it by hand' };
  const text = yaml.text;
  const at = text.lastIndexOf('@', uses.inner.end);
  const end = uses.range.end;
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  const m = /^([ \t]+#[ \t]?)(.*?)[ \t]*$/.exec(rest);
  const edits = [{ file, start: at + 1, end: uses.inner.end, text: pin.sha }];
  if (m) edits.push({ file, start: end + m[1]!.length, end: end + m[1]!.length + m[2]!.length, text: commentVersion(m[2]) || m[2] === '' ? pin.tag : `${pin.tag} ${m[2]}` });
  else edits.push({ file, start: end, end, text: ` # ${pin.tag}` });
  return {
    title: `Upgrade ${usesTarget(uses)} to ${pin.tag} (first patched version), pinned to ${pin.sha.slice(0, 12)}`,
    // A newer version can change behaviour: applied only when unsafe fixes are asked for.
    safety: 'unsafe',
    edits,
    newFiles: [],
    changes: [{ file, path: site.path }],
  };
}

export const knownVulnerableAction: Check = {
  meta: {
    id: 'known-vulnerable-action',
    title: 'Action version with a published security advisory',
    area: 'remote',
    severity: 'high',
    description: 'A `uses:` runs an action version inside the vulnerable range of a GitHub security advisory (actions ecosystem).',
    why:
      'A published advisory tells attackers exactly which workflows to target: the vulnerable version and how to exploit it are public, ' +
      'and every workflow that still runs it is exposed with its token and secrets.',
    howToFix: 'Upgrade to the first patched version named by the advisory, pinned to its commit SHA. Dependabot security updates do this when enabled.',
    example: '- uses: tj-actions/changed-files@v45.0.7\n+ uses: tj-actions/changed-files@<sha> # v46.0.1',
    fixable: true,
  },
  run({ repo, env, report }) {
    const remote = env.remote;
    if (!remote) return;
    for (const site of usesSites(repo)) {
      const { file, uses } = site;
      if ((uses.kind !== 'action' && uses.kind !== 'reusable-workflow') || !uses.owner || !uses.repo) continue;
      const advisories = known(remote.advisories.get(`${uses.owner}/${uses.repo}`.toLowerCase()));
      if (!advisories?.length) continue;
      const version = runningVersion(site, env);
      if (!version) continue;
      const clean = semver.clean(version)!;
      const target = usesTarget(uses).toLowerCase();
      for (const a of advisories) {
        if (a.withdrawn) continue;
        const hit = a.vulnerabilities.find((v) => {
          const pkg = v.package.toLowerCase();
          const range = v.vulnerableRange ? semverRange(v.vulnerableRange) : undefined;
          return (pkg === target || pkg === `${uses.owner}/${uses.repo}`.toLowerCase()) && range !== undefined && semver.satisfies(clean, range);
        });
        if (!hit) continue;
        const patched = hit.firstPatched ? known(remote.patched.get(resolutionKey(uses.owner, uses.repo, hit.firstPatched))) : undefined;
        report({
          file,
          range: uses.range,
          severity: SEVERITY[a.severity] ?? 'high',
          group: a.ghsaId,
          messageId: 'advisory',
          message: `${usesTarget(uses)} ${version} is in the vulnerable range ${hit.vulnerableRange} of ${a.ghsaId} (${a.severity}): ${a.summary}${hit.firstPatched ? `; first patched version ${hit.firstPatched}` : '; no patched version yet'}`,
          remediation: `See ${a.url}.`,
          fix: () => (patched ? upgradeFix(site, patched) : { refused: hit.firstPatched ? `the tag of ${hit.firstPatched} could not be resolved` : 'the advisory names no patched version' }),
        });
      }
    }
  },
};
