/** The repository model every check reads: parsed workflows and actions, plus the raw policy files. */
import type { DiscoveredRepo, FileKind, RepoFile } from '../loader/discover.js';
import { member, parseJsonish, type JsonDoc } from './jsonish.js';
import type { GoVerifyResult } from '../loader/go-verify.js';
import type { ResolveResult } from '../github/resolve.js';
import type { AuditError } from '../types.js';
import { buildAction, buildWorkflow, type ActionModel, type Workflow } from './workflow.js';
import { YamlFile } from './yaml.js';

export interface RepoIdentity {
  owner: string;
  name: string;
}

export interface RepoSettings {
  owner?: string;
}

export interface RepoModel {
  root: string;
  identity?: RepoIdentity;
  workflows: Workflow[];
  actions: ActionModel[];
  files: RepoFile[];
  vendorDirs: string[];
  /** Renovate configurations that parsed (a package.json's "renovate" key included). */
  renovate: JsonDoc[];
  /** Other YAML files (Dependabot, SECURITY-INSIGHTS, dco.yml, .goreleaser.yml) that parsed, by kind. */
  yamlOfKind(kind: FileKind): YamlFile[];
  errors: AuditError[];
  /** GitHub look-ups of `owner/repo@ref` (lower-case keys), made before checks run when fixing. */
  resolutions?: Map<string, ResolveResult>;
  /** Results of `go mod verify` per go.mod path, when --go asked for them. */
  goVerify?: Map<string, GoVerifyResult>;
  /** Choices the user made that fixes need (e.g. --owner for a new CODEOWNERS rule). */
  settings: RepoSettings;
  /** The date checks compare against (injectable so date-dependent checks are deterministic). */
  now: Date;
  filesOfKind(kind: FileKind): RepoFile[];
}

export function buildRepoModel(discovered: DiscoveredRepo, identity: RepoIdentity | undefined, now: Date, settings: RepoSettings = {}): RepoModel {
  const errors: AuditError[] = [...discovered.errors];
  const workflows: Workflow[] = [];
  const actions: ActionModel[] = [];
  const renovate: JsonDoc[] = [];
  const yamlFiles: Array<{ kind: FileKind; yaml: YamlFile }> = [];
  for (const file of discovered.files) {
    if (file.kind === 'renovate' || file.kind === 'package-json') {
      const doc = parseJsonish(file.path, file.text);
      if ('message' in doc) errors.push(doc);
      else if (file.kind === 'renovate') renovate.push(doc);
      else {
        const key = member(doc.root, 'renovate');
        if (key) renovate.push({ file: file.path, root: key.value, path: ['renovate'] });
      }
      continue;
    }
    if (file.kind === 'dependabot' || file.kind === 'security-insights' || file.kind === 'dco' || file.kind === 'goreleaser') {
      const yaml = new YamlFile(file.path, file.text, errors);
      if (yaml.ok) yamlFiles.push({ kind: file.kind, yaml });
      continue;
    }
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
    renovate,
    yamlOfKind: (kind) => yamlFiles.filter((y) => y.kind === kind).map((y) => y.yaml),
    errors,
    now,
    settings,
    filesOfKind: (kind) => discovered.files.filter((f) => f.kind === kind),
  };
}
