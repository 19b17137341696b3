/** Where workflows read `secrets.*`: the data behind the credential checks and `pipewarden secrets`. */
import { PRIVILEGED_UNTRUSTED_EVENTS } from './facts.js';
import { asWritten } from './gates.js';
import { NO_MEMO, type Memo } from './memo.js';
import { reachingEvents } from './workflow-graph.js';
import type { RepoModel } from '../model/repo.js';
import { expressionsIn, type Job, type Workflow } from '../model/workflow.js';
import type { SourceRange } from '../types.js';

export interface SecretUse {
  /** As the workflow spells it (GitHub matches secret names case-insensitively). */
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
    if (!/secrets/i.test(s.value)) continue;
    const stepIndex = job.steps.findIndex((st) => s.range && st.range.start <= s.range[0] && s.range[0] < st.range.end);
    for (const expr of expressionsIn(wf.yaml, s)) {
      for (const p of expr.paths) {
        const m = /^secrets\.([^.*?]+)$/.exec(p);
        if (!m) continue;
        // Keys in the order the conditional spread of `step` gave them.
        const use: SecretUse = { name: asWritten(expr.inner, p).replace(/^secrets\s*\.\s*/i, ''), file: wf.file, job: job.id } as SecretUse;
        if (stepIndex >= 0) use.step = stepIndex;
        use.range = expr.range;
        out.push(use);
      }
    }
  }
  return out;
}

export function isTokenSecret(name: string): boolean {
  return name.toUpperCase() === 'GITHUB_TOKEN';
}

/** Distinct names, compared as GitHub compares them (case-insensitively), each as first written. */
export function distinctNames(uses: readonly SecretUse[]): string[] {
  const seen = new Map<string, string>();
  for (const u of uses) if (!seen.has(u.name.toUpperCase())) seen.set(u.name.toUpperCase(), u.name);
  return [...seen.values()];
}

export type SecretKind = 'publishing' | 'deploy' | 'cloud' | 'registry' | 'signing' | 'app-key' | 'token' | 'notification' | 'cache' | 'test' | 'unknown';

/**
 * What a secret is for, from its name: the damage its theft does. Publishing, deploy, cloud,
 * registry and signing credentials ship or run code for users; notification webhooks, cache
 * keys and test-account tokens do not.
 */
export function secretKind(name: string): SecretKind {
  const n = name.toUpperCase();
  if (/SLACK|DISCORD|WEBHOOK|TEAMS|GITTER|MATRIX_|TELEGRAM|MAILGUN|NOTIF/.test(n)) return 'notification';
  if (/CACHE|SCCACHE|TURBO_TOKEN|NX_CLOUD|BUILDBUDDY|CODECOV|COVERALLS|CODSPEED|SONAR|BENCH/.test(n)) return 'cache';
  if (/\bTEST|_TEST_|^TEST|E2E|INTEGRATION|SANDBOX|STAGING_TEST|DUMMY/.test(n)) return 'test';
  if (/NPM|PYPI|CRATES|CARGO_REGISTRY|RUBYGEMS|NUGET|MAVEN|OSSRH|SONATYPE|GRADLE_PUBLISH|PUBLISH|RELEASE|HOMEBREW|SNAPCRAFT|CHOCO|VSCE|OVSX/.test(n)) return 'publishing';
  if (/DOCKER|QUAY|GHCR|REGISTRY|ECR|GCR|ACR/.test(n)) return 'registry';
  if (/COSIGN|GPG|SIGN|PGP|KEYCHAIN|CERTIFICATE|APPLE_|NOTARI/.test(n)) return 'signing';
  if (/AWS|AZURE|GCP|GOOGLE|GCLOUD|CLOUDFLARE|DIGITALOCEAN|HETZNER|FASTLY|VERCEL|NETLIFY|FLY_API|HEROKU/.test(n)) return 'cloud';
  if (/DEPLOY|KUBE|SSH|PROD/.test(n)) return 'deploy';
  if (/APP_PRIVATE_KEY|PRIVATE_KEY|APP_KEY/.test(n)) return 'app-key';
  if (/TOKEN|PAT\b|_PAT|PASSWORD|SECRET|KEY/.test(n)) return 'token';
  return 'unknown';
}

/** Credentials whose theft lets someone ship or run code as the project. */
export function isHighValueSecret(name: string): boolean {
  const k = secretKind(name);
  return k === 'publishing' || k === 'deploy' || k === 'cloud' || k === 'registry' || k === 'signing';
}

export function isLowValueSecret(name: string): boolean {
  const k = secretKind(name);
  return k === 'notification' || k === 'cache' || k === 'test';
}

export interface CredentialMapEntry {
  secret: string;
  file: string;
  job?: string;
  step?: number;
  line: number;
  /** Events that can start the workflow, its callers' included (`pull_request_target via .github/workflows/x.yml`). */
  triggers: string[];
  untrustedTriggers: string[];
  environment?: string;
}

/** Event names that reach a workflow, naming the caller for events that come through one. */
export function reachLabels(repo: RepoModel, wf: Workflow, memo: Memo = NO_MEMO): { all: string[]; untrusted: string[] } {
  const events = reachingEvents(repo, wf, memo);
  const label = (e: (typeof events)[number]): string => (e.via.length ? `${e.event} (via ${e.origin.file})` : e.event);
  const all = [...new Set(events.map(label))];
  const untrusted = [...new Set(events.filter((e) => PRIVILEGED_UNTRUSTED_EVENTS.has(e.event)).map(label))];
  return { all, untrusted };
}

/** The credential-isolation picture: each secret read, where, reachable from which events (through callers too), gated by which environment. */
export function credentialMap(repo: RepoModel, memo: Memo = NO_MEMO): CredentialMapEntry[] {
  return repo.workflows.flatMap((wf) => workflowCredentials(repo, wf, memo));
}

/** The credential map's entries of one workflow (the parallel audit builds the map workflow by workflow). */
export function workflowCredentials(repo: RepoModel, wf: Workflow, memo: Memo = NO_MEMO): CredentialMapEntry[] {
  const out: CredentialMapEntry[] = [];
  const { all: triggers, untrusted } = reachLabels(repo, wf, memo);
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
        const name = asWritten(expr.inner, p).replace(/^secrets\s*\.\s*/i, '');
        if (m && !isTokenSecret(name)) out.push({ secret: name, file: wf.file, line: expr.range.line, triggers, untrustedTriggers: untrusted });
      }
    }
  }
  return out;
}
