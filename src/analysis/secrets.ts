/** Where workflows read `secrets.*`: the data behind the credential checks and `pipewarden secrets`. */
import { PRIVILEGED_UNTRUSTED_EVENTS } from './facts.js';
import { NO_MEMO, type Memo } from './memo.js';
import type { RepoModel } from '../model/repo.js';
import { expressionsIn, type Job, type Workflow } from '../model/workflow.js';
import type { SourceRange } from '../types.js';

export interface SecretUse {
  /** Upper-case, as GitHub stores secret names. */
  name: string;
  file: string;
  /** Job id, or undefined for workflow-level env. */
  job?: string;
  step?: number;
  range: SourceRange;
}

/** Every `secrets.X` read inside one job (GITHUB_TOKEN included; callers filter), once per audit. */
export function secretUsesInJob(wf: Workflow, job: Job, memo: Memo = NO_MEMO): SecretUse[] {
  return memo.get('secret-uses', job, () => findSecretUses(wf, job));
}

function findSecretUses(wf: Workflow, job: Job): SecretUse[] {
  const out: SecretUse[] = [];
  for (const s of wf.yaml.strings(job.node)) {
    if (!s.value.includes('secrets')) continue;
    const stepIndex = job.steps.findIndex((st) => s.range && st.range.start <= s.range[0] && s.range[0] < st.range.end);
    for (const expr of expressionsIn(wf.yaml, s)) {
      for (const p of expr.paths) {
        const m = /^secrets\.([^.*?]+)$/.exec(p);
        if (m) out.push({ name: m[1]!.toUpperCase(), file: wf.file, job: job.id, ...(stepIndex >= 0 ? { step: stepIndex } : {}), range: expr.range });
      }
    }
  }
  return out;
}

export function isTokenSecret(name: string): boolean {
  return name === 'GITHUB_TOKEN';
}

export interface CredentialMapEntry {
  secret: string;
  file: string;
  job?: string;
  step?: number;
  line: number;
  triggers: string[];
  untrustedTriggers: string[];
  environment?: string;
}

/** The credential-isolation picture: each secret read, where, reachable from which events, gated by which environment. */
export function credentialMap(repo: RepoModel, memo: Memo = NO_MEMO): CredentialMapEntry[] {
  const out: CredentialMapEntry[] = [];
  for (const wf of repo.workflows) {
    const triggers = wf.triggers.map((t) => t.event);
    const untrusted = triggers.filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e));
    for (const job of wf.jobs) {
      for (const use of secretUsesInJob(wf, job, memo)) {
        if (isTokenSecret(use.name)) continue;
        out.push({
          secret: use.name,
          file: use.file,
          ...(use.job ? { job: use.job } : {}),
          ...(use.step !== undefined ? { step: use.step + 1 } : {}),
          line: use.range.line,
          triggers,
          untrustedTriggers: untrusted,
          ...(job.environment ? { environment: job.environment.name } : {}),
        });
      }
    }
    // Workflow-level env reaches every job.
    for (const [, value] of wf.env) {
      for (const expr of expressionsIn(wf.yaml, value.node)) {
        for (const p of expr.paths) {
          const m = /^secrets\.([^.*?]+)$/.exec(p);
          if (m && !isTokenSecret(m[1]!.toUpperCase())) out.push({ secret: m[1]!.toUpperCase(), file: wf.file, line: expr.range.line, triggers, untrustedTriggers: untrusted });
        }
      }
    }
  }
  return out;
}
