/**
 * Action inputs whose value is code the action runs: where `${{ }}` expansion is template
 * injection just as in `run:`. The table follows the actions' own action.yml and the sink
 * models CodeQL's Actions queries publish (actions/github-script `script`, azure/cli and
 * azure/powershell `inlineScript`, …); each entry says which language the code is in.
 */
import type { Step, StringValue } from '../model/workflow.js';

export type CodeLanguage = 'javascript' | 'bash' | 'pwsh' | 'python' | 'yq' | 'shell';

interface CodeInput {
  /** `owner/repo[/path]`, lower-case, as Step.action. */
  action: string;
  input: string;
  language: CodeLanguage;
}

export const CODE_INPUTS: readonly CodeInput[] = [
  { action: 'actions/github-script', input: 'script', language: 'javascript' },
  { action: 'amadevus/pwsh-script', input: 'script', language: 'pwsh' },
  { action: 'azure/cli', input: 'inlinescript', language: 'bash' },
  { action: 'azure/powershell', input: 'inlinescript', language: 'pwsh' },
  { action: 'mikefarah/yq', input: 'cmd', language: 'yq' },
  { action: 'jannekem/run-python-script-action', input: 'script', language: 'python' },
  { action: 'appleboy/ssh-action', input: 'script', language: 'shell' },
  { action: 'cross-platform-actions/action', input: 'run', language: 'shell' },
  { action: 'uraimo/run-on-arch-action', input: 'run', language: 'shell' },
  { action: 'addnab/docker-run-action', input: 'run', language: 'shell' },
  { action: 'nick-fields/retry', input: 'command', language: 'shell' },
  { action: 'nick-invision/retry', input: 'command', language: 'shell' },
  { action: 'wandalen/wretry.action', input: 'command', language: 'shell' },
  { action: 'pwsh/pwsh-script', input: 'script', language: 'pwsh' },
];

const BY_ACTION = new Map<string, CodeInput[]>();
for (const entry of CODE_INPUTS) BY_ACTION.set(entry.action, [...(BY_ACTION.get(entry.action) ?? []), entry]);

/**
 * The code-executing input a step passes, if its action has one and the step sets it. Input
 * names are matched case-insensitively, as the runner does.
 */
export function codeInputOf(step: Step): { input: string; value: StringValue; language: CodeLanguage } | undefined {
  const entries = step.action ? BY_ACTION.get(step.action) : undefined;
  if (!entries) return undefined;
  for (const { input, language } of entries) {
    for (const [key, value] of step.with) if (key.toLowerCase() === input) return { input: key, value, language };
  }
  return undefined;
}
