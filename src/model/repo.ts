/**
 * The repository model every check reads: parsed workflows and actions, plus the raw policy
 * files. Built once from the files and never changed afterwards; what the run knows besides the
 * files (clock, look-ups, settings) travels beside it as the AuditEnv.
 */
import type { DiscoveredRepo, FileKind, RepoFile } from '../loader/discover.js';
import { member, parseJsonish, type JsonDoc } from './jsonish.js';
import type { AuditError, RepoIdentity } from '../types.js';
import { buildAction, buildWorkflow, type ActionModel, type Workflow } from './workflow.js';
import type { ParseCache } from './cache.js';
import { parseYamlFile, YamlFile } from './yaml.js';

export type { RepoIdentity };

export interface RepoModel {
  readonly root: string;
  readonly identity?: RepoIdentity;
  readonly workflows: readonly Workflow[];
  readonly actions: readonly ActionModel[];
  readonly files: readonly RepoFile[];
  readonly vendorDirs: readonly string[];
  /** Renovate configurations that parsed (a package.json's "renovate" key included). */
  readonly renovate: readonly JsonDoc[];
  /** Other YAML files (Dependabot, SECURITY-INSIGHTS, dco.yml, .goreleaser.yml) that parsed, by kind. */
  yamlOfKind(kind: FileKind): YamlFile[];
  /**
   * Problems with the input. Filled while the model is built, and by the YAML layer when a
   * check's walk meets an alias bomb deeper in a file.
   */
  readonly errors: AuditError[];
  filesOfKind(kind: FileKind): RepoFile[];
  /** The file at a repository-relative path, if it was read. */
  file(path: string): RepoFile | undefined;
}

/**
 * @param cache parses of earlier builds to reuse (a re-audit re-parses only the files whose text
 *   changed); the wrappers, the workflow model and the error list are built fresh either way.
 */
export function buildRepoModel(discovered: DiscoveredRepo, identity: RepoIdentity | undefined, cache?: ParseCache): RepoModel {
  const parsedYaml = (file: RepoFile) => (cache ? cache.get(file.path, file.kind, file.text, () => parseYamlFile(file.path, file.text)) : parseYamlFile(file.path, file.text));
  const errors: AuditError[] = [...discovered.errors];
  const workflows: Workflow[] = [];
  const actions: ActionModel[] = [];
  const renovate: JsonDoc[] = [];
  const yamlFiles: Array<{ kind: FileKind; yaml: YamlFile }> = [];
  for (const file of discovered.files) {
    if (file.kind === 'renovate' || file.kind === 'package-json') {
      const doc = cache ? cache.get(file.path, file.kind, file.text, () => parseJsonish(file.path, file.text)) : parseJsonish(file.path, file.text);
      if ('message' in doc) errors.push({ ...doc });
      else if (file.kind === 'renovate') renovate.push(doc);
      else {
        const key = member(doc.root, 'renovate');
        if (key) renovate.push({ file: file.path, root: key.value, path: ['renovate'] });
      }
      continue;
    }
    if (file.kind === 'dependabot' || file.kind === 'security-insights' || file.kind === 'dco' || file.kind === 'goreleaser') {
      const yaml = new YamlFile(file.path, file.text, errors, parsedYaml(file));
      if (yaml.ok) yamlFiles.push({ kind: file.kind, yaml });
      continue;
    }
    if (file.kind !== 'workflow' && file.kind !== 'action') continue;
    const yaml = new YamlFile(file.path, file.text, errors, parsedYaml(file));
    if (!yaml.ok) continue;
    try {
      if (file.kind === 'workflow') workflows.push(buildWorkflow(yaml));
      else actions.push(buildAction(yaml));
    } catch (err) {
      yaml.error(null, `could not be modelled: ${(err as Error).message}`);
    }
  }
  cache?.endBuild();
  const byPath = new Map(discovered.files.map((f) => [f.path, f]));
  const model: RepoModel = {
    root: discovered.root,
    ...(identity ? { identity } : {}),
    workflows,
    actions,
    files: discovered.files,
    vendorDirs: discovered.vendorDirs,
    renovate,
    yamlOfKind: (kind) => yamlFiles.filter((y) => y.kind === kind).map((y) => y.yaml),
    errors,
    filesOfKind: (kind) => discovered.files.filter((f) => f.kind === kind),
    file: (path) => byPath.get(path),
  };
  return Object.freeze(model);
}

/**
 * The same repository with another list of workflows (a batch's lone workflows), and with
 * `files`, another list of the files it read (the parallel audit's whole-repository model:
 * workflows summarised by workers beside those parsed here). Actions, the other parsed files
 * and the error list are the base model's.
 */
export function withWorkflows(base: RepoModel, workflows: readonly Workflow[], files?: readonly RepoFile[]): RepoModel {
  if (!files) return Object.freeze({ ...base, workflows });
  const byPath = new Map(files.map((f) => [f.path, f]));
  return Object.freeze({ ...base, workflows, files, filesOfKind: (kind: FileKind) => files.filter((f) => f.kind === kind), file: (path: string) => byPath.get(path) });
}
