/** The repository model every check reads: parsed workflows and actions, plus the raw policy files. */
import type { DiscoveredRepo, FileKind, RepoFile } from '../loader/discover.js';
import type { AuditError } from '../types.js';
import { buildAction, buildWorkflow, type ActionModel, type Workflow } from './workflow.js';
import { YamlFile } from './yaml.js';

export interface RepoIdentity {
  owner: string;
  name: string;
}

export interface RepoModel {
  root: string;
  identity?: RepoIdentity;
  workflows: Workflow[];
  actions: ActionModel[];
  files: RepoFile[];
  vendorDirs: string[];
  errors: AuditError[];
  /** The date checks compare against (injectable so date-dependent checks are deterministic). */
  now: Date;
  filesOfKind(kind: FileKind): RepoFile[];
}

export function buildRepoModel(discovered: DiscoveredRepo, identity: RepoIdentity | undefined, now: Date): RepoModel {
  const errors: AuditError[] = [...discovered.errors];
  const workflows: Workflow[] = [];
  const actions: ActionModel[] = [];
  for (const file of discovered.files) {
    if (file.kind !== 'workflow' && file.kind !== 'action') continue;
    const yaml = new YamlFile(file.path, file.text, errors);
    if (!yaml.ok) continue;
    try {
      if (file.kind === 'workflow') workflows.push(buildWorkflow(yaml));
      else actions.push(buildAction(yaml));
    } catch (err) {
      yaml.error(null, `could not be modelled: ${(err as Error).message}`);
    }
  }
  return {
    root: discovered.root,
    ...(identity ? { identity } : {}),
    workflows,
    actions,
    files: discovered.files,
    vendorDirs: discovered.vendorDirs,
    errors,
    now,
    filesOfKind: (kind) => discovered.files.filter((f) => f.kind === kind),
  };
}
