/**
 * AI coding-agent actions: which inputs become the agent's prompt or instructions, and which
 * settings let it run arbitrary tools. Input names are the actions' own (action.yml of
 * anthropics/claude-code-action v1 and its base action, openai/codex-action,
 * google-github-actions/run-gemini-cli).
 */
import type { Step } from '../model/workflow.js';

export interface AgentAction {
  action: string;
  name: string;
  promptInputs: string[];
  /** Why the step lets the agent run any command, if it does. */
  arbitraryTools(step: Step): string | undefined;
  /** Does the action itself refuse actors without write access, unless told otherwise? */
  writeAccessGate?(step: Step): boolean;
}

const input = (step: Step, key: string): string => step.with.get(key)?.value ?? '';
/** `Bash` or `Bash(*)` without a command restriction. */
const UNRESTRICTED_BASH = /(?:^|[\s,"'[])Bash(?:\(\s*\*?\s*\))?(?=$|[\s,"'\]])/;

/** Bash permission prefixes that run arbitrary code whatever the restriction says (`Bash(npx:*)`). */
const ESCAPE_PREFIXES = /Bash\((?:npx|docker|go run|node|python3?|sh|bash|env|find|xargs|eval|yarn|pnpm dlx|bunx)(?::\*|\s\*)?\)/;

const claude = (action: string): AgentAction => ({
  action,
  name: 'Claude Code',
  promptInputs: ['prompt', 'direct_prompt', 'override_prompt', 'custom_instructions', 'system_prompt', 'append_system_prompt'],
  arbitraryTools(step) {
    const args = input(step, 'claude_args');
    if (/--dangerously-skip-permissions\b/.test(args)) return '`claude_args` passes --dangerously-skip-permissions';
    if (/--permission-mode[ =]bypassPermissions\b/.test(args)) return '`claude_args` sets --permission-mode bypassPermissions';
    const tools = `${input(step, 'allowed_tools')} ${/--allowed-?tools[ =]("[^"]*"|'[^']*'|\S+)/i.exec(args)?.[1] ?? ''}`;
    if (UNRESTRICTED_BASH.test(tools)) return 'it may run any shell command (`Bash` allowed without restriction)';
    const escape = ESCAPE_PREFIXES.exec(tools);
    if (escape) return `\`${escape[0]}\` allowed, which runs any code`;
    return undefined;
  },
  writeAccessGate: (step) => input(step, 'allowed_non_write_users').trim() === '',
});

export const AGENT_ACTIONS: readonly AgentAction[] = [
  claude('anthropics/claude-code-action'),
  claude('anthropics/claude-code-base-action'),
  {
    action: 'openai/codex-action',
    name: 'Codex',
    promptInputs: ['prompt'],
    arbitraryTools(step) {
      if (input(step, 'sandbox').trim() === 'danger-full-access') return '`sandbox: danger-full-access`';
      if (input(step, 'safety-strategy').trim() === 'unsafe') return '`safety-strategy: unsafe`';
      return undefined;
    },
    writeAccessGate: (step) => input(step, 'allow-users').trim() === '',
  },
  {
    action: 'google-github-actions/run-gemini-cli',
    name: 'Gemini CLI',
    promptInputs: ['prompt'],
    // The action runs `gemini --yolo`: every tool call is approved.
    arbitraryTools: () => 'the action runs Gemini CLI with --yolo (every tool call approved)',
  },
];

const BY_NAME = new Map(AGENT_ACTIONS.map((a) => [a.action, a]));

export function agentOf(step: Step): AgentAction | undefined {
  return step.action ? BY_NAME.get(step.action) : undefined;
}
