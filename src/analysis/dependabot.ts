/** The `updates:` entries of .github/dependabot.yml, with their nodes. */
import type { RepoModel } from '../model/repo.js';
import { isMap, isSeq, scalarText, type Node, type YAMLMap } from '../model/yaml.js';
import type { YamlFile } from '../model/yaml.js';

export interface DependabotFile {
  yaml: YamlFile;
  updatesKey?: Node;
  updates: Array<{ ecosystem: string; node: YAMLMap; ecosystemNode: Node | null }>;
}

export function dependabotFiles(repo: RepoModel): DependabotFile[] {
  const out: DependabotFile[] = [];
  for (const yaml of repo.yamlOfKind('dependabot')) {
    const root = yaml.root;
    const entry = isMap(root) ? yaml.entry(root, 'updates') : undefined;
    const updates = entry && isSeq(entry.value) ? yaml.items(entry.value).filter(isMap) : [];
    out.push({
      yaml,
      ...(entry ? { updatesKey: entry.keyNode } : {}),
      updates: updates.map((node) => {
        const eco = yaml.get(node, 'package-ecosystem');
        return { ecosystem: scalarText(eco) ?? '', node, ecosystemNode: eco };
      }),
    });
  }
  return out;
}
