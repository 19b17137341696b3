/** Least privilege for a job: the scopes its actions and commands need, or why that is unknown. */
import { ACTION_PERMISSIONS, COMMAND_PERMISSIONS, type Grant, type Scope } from './data/token-permissions.js';
import { actionName } from './facts.js';
import { expressionsIn, type ActionModel, type Job, type Step, type Workflow } from '../model/workflow.js';
import type { YamlFile } from '../model/yaml.js';

export type JobNeeds = { known: true; scopes: Map<Scope, { level: 'read' | 'write'; why: Set<string> }> } | { known: false; why: string };

export function jobNeeds(wf: Workflow, job: Job, actions: readonly ActionModel[] = []): JobNeeds {
  if (job.uses) return { known: false, why: 'it calls a reusable workflow, whose needs pipewarden does not read' };
  const scopes = new Map<Scope, { level: 'read' | 'write'; why: Set<string> }>();
  const grant = (g: Grant): void => {
    const cur = scopes.get(g.scope);
    if (!cur) scopes.set(g.scope, { level: g.level, why: new Set([g.why]) });
    else {
      if (g.level === 'write') cur.level = 'write';
      cur.why.add(g.why);
    }
  };
  grant({ scope: 'contents', level: 'read', why: 'checkout' });
  for (const step of job.steps) {
    const unknown = stepGrants(wf.yaml, step, grant, actions, new Set());
    if (unknown) return { known: false, why: `step ${step.index + 1} ${unknown}` };
  }
  return { known: true, scopes };
}

/** Adds a step's grants; returns why the step's needs are unknown, if they are. */
function stepGrants(yaml: YamlFile, step: Step, grant: (g: Grant) => void, actions: readonly ActionModel[], seen: Set<string>): string | undefined {
  if (step.uses?.kind === 'docker') return undefined;
  if (step.uses?.kind === 'local') {
    // A local composite action needs what its own steps need.
    const dir = step.uses.path ?? '';
    const action = actions.find((a) => a.file === `${dir}/action.yml` || a.file === `${dir}/action.yaml`);
    if (!action || action.using !== 'composite' || seen.has(action.file)) return `uses the local action ./${dir}, whose needs pipewarden cannot read`;
    seen.add(action.file);
    for (const inner of action.steps) {
      const unknown = stepGrants(action.yaml, inner, grant, actions, seen);
      if (unknown) return `uses ./${dir}, whose step ${inner.index + 1} ${unknown}`;
    }
    return undefined;
  }
  const name = actionName(step);
  if (name) {
    const known = ACTION_PERMISSIONS[name];
    if (!known) return `uses ${name}, which is not in pipewarden's table of actions`;
    for (const g of known) {
      const set = (input: string): boolean => {
        const v = step.with.get(input)?.value.trim().toLowerCase();
        return v !== undefined && v !== '' && v !== 'false';
      };
      if (g.when && !set(g.when)) continue;
      if (g.unless && set(g.unless)) continue;
      grant(g);
    }
    if (name === 'docker/login-action' && /ghcr\.io/.test(step.with.get('registry')?.value ?? '') && usesToken(yaml, step)) {
      grant({ scope: 'packages', level: 'write', why: 'pushes to ghcr.io with GITHUB_TOKEN' });
    }
  }
  if (step.run) {
    let mapped = false;
    for (const line of step.run.value.split('\n')) {
      const code = line.replace(/(^|\s)#.*$/, '');
      let matched = false;
      for (const rule of COMMAND_PERMISSIONS) {
        const m = rule.pattern.exec(code);
        if (!m) continue;
        if ('unknown' in rule) return `runs a command pipewarden cannot map: ${rule.unknown}`;
        // The reason written beside the grant is the command itself (`gh pr comment`).
        rule.grants.forEach((g) => grant({ ...g, why: /^\s*(?:gh|git)\b/.test(m[0]) ? m[0].trim().replace(/\s+/g, ' ') : g.why }));
        matched = true;
        mapped = true;
      }
      if (!matched && /(?:^|[\s;&|(])gh\s+[a-z]/.test(code)) return 'runs a `gh` command pipewarden does not map';
      if (/\bgoreleaser\b[^\n]*\brelease\b/.test(code)) {
        grant({ scope: 'contents', level: 'write', why: 'goreleaser publishes the GitHub release' });
        mapped = true;
      }
    }
    // A token handed to a script whose commands pipewarden does not recognise could be used for anything.
    if (!mapped && passesToken(yaml, step)) return 'passes the token to a script pipewarden cannot read';
  }
  return undefined;
}

function usesToken(yaml: YamlFile, step: Step): boolean {
  const password = step.with.get('password');
  return !!password && expressionsIn(yaml, password.node).some((e) => e.paths.includes('secrets.github_token') || e.paths.includes('github.token'));
}

/** The lines of a `permissions:` block for these needs, each grant beyond reading code with its reason. */
export function permissionLines(needs: Map<Scope, { level: 'read' | 'write'; why: Set<string> }>): string[] {
  const order = [...needs.keys()].sort((a, b) => (a === 'contents' ? -1 : b === 'contents' ? 1 : a < b ? -1 : 1));
  return order.map((scope) => {
    const n = needs.get(scope)!;
    const why = [...n.why].filter((w) => w !== 'checkout');
    return `${scope}: ${n.level}${why.length ? ` # ${why.join('; ')}` : ''}`;
  });
}

/** More than the `contents: read` every job gets from the top-level block. */
export function needsMoreThanRead(needs: Map<Scope, { level: 'read' | 'write' }>): boolean {
  return [...needs].some(([scope, n]) => scope !== 'contents' || n.level === 'write');
}

function passesToken(yaml: YamlFile, step: Step): boolean {
  const isToken = (p: string): boolean => p === 'secrets.github_token' || p === 'github.token';
  const inEnv = [...step.env.values()].some((v) => expressionsIn(yaml, v.node).some((e) => e.paths.some(isToken)));
  return inEnv || (!!step.run && expressionsIn(yaml, step.run.node).some((e) => e.paths.some(isToken)));
}
