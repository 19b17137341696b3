import type { Check } from '../src/check.js';
import { actionName } from '../src/analysis/facts.js';
import { expressionsIn, type StringValue } from '../src/model/workflow.js';
import type { YamlFile } from '../src/model/yaml.js';

/** Inputs that carry a long-lived key, per action, and what to use instead. */
const STATIC_INPUTS: Record<string, { inputs: string[]; instead: string }> = {
  'aws-actions/configure-aws-credentials': { inputs: ['aws-access-key-id', 'aws-secret-access-key'], instead: '`role-to-assume` with `id-token: write`' },
  'google-github-actions/auth': { inputs: ['credentials_json'], instead: '`workload_identity_provider` and `service_account`' },
  'azure/login': { inputs: ['creds'], instead: '`client-id`, `tenant-id` and `subscription-id` (federated credentials)' },
};

const STATIC_ENV = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'GOOGLE_CREDENTIALS', 'GOOGLE_APPLICATION_CREDENTIALS_JSON', 'GCP_SA_KEY', 'AZURE_CREDENTIALS', 'AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET']);

export const staticCloudCredentials: Check = {
  meta: {
    id: 'static-cloud-credentials',
    title: 'Long-lived cloud keys where short-lived OIDC credentials exist',
    area: 'credentials',
    severity: 'high',
    description:
      'aws-actions/configure-aws-credentials with access keys, google-github-actions/auth with `credentials_json`, azure/login with `creds`, or AWS_ACCESS_KEY_ID-style secrets in `env:`.',
    why:
      'A static key works from anywhere until someone rotates it. Once it leaks (a log, an artifact, a compromised action) it ' +
      'grants cloud access for months. OpenID Connect federation issues credentials that live for an hour and can be bound to ' +
      'this repository, branch and environment.',
    howToFix:
      'Configure the cloud provider to trust GitHub\'s OIDC issuer for this repository, grant the job `id-token: write`, and use ' +
      'role-to-assume (AWS), workload_identity_provider (Google Cloud) or client-id/tenant-id/subscription-id (Azure). Then delete the keys.',
    example:
      '- uses: aws-actions/configure-aws-credentials@<sha> # v4\n  with:\n-   aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n-   aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n+   role-to-assume: arn:aws:iam::123456789012:role/ci',
    fixable: false,
  },
  workflow(wf, { report }) {
      const envMaps: Array<Map<string, StringValue>> = [wf.env];
      for (const job of wf.jobs) {
        envMaps.push(job.env);
        for (const step of job.steps) {
          envMaps.push(step.env);
          const name = actionName(step);
          const rule = name ? STATIC_INPUTS[name] : undefined;
          if (!rule) continue;
          const input = rule.inputs.map((i) => step.with.get(i)).find((v) => v && v.value.trim() !== '');
          if (input) report({ file: wf.file, range: input.range, messageId: 'action-input', message: `\`${name}\` is given a long-lived key; use ${rule.instead}` });
        }
      }
      for (const env of envMaps) {
        // Most steps have no env: nothing to look at, and no key list to build.
        if (env.size === 0) continue;
        // AWS_* keys next to an endpoint are for an S3-compatible store (R2, MinIO…), which has no GitHub OIDC.
        let s3Compatible = false;
        for (const k of env.keys()) if (/^AWS_ENDPOINT_URL/i.test(k)) s3Compatible = true;
        for (const [key, value] of env) {
          if (s3Compatible && /^AWS_/i.test(key)) continue;
          if (STATIC_ENV.has(key.toUpperCase()) && fromSecret(wf.yaml, value)) {
            report({ file: wf.file, range: value.range, messageId: 'env-secret', message: `\`${key}\` exports a long-lived cloud key from secrets; use OIDC federation instead` });
          }
        }
      }
  },
};

function fromSecret(yaml: YamlFile, value: StringValue): boolean {
  return expressionsIn(yaml, value.node).some((e) => e.paths.some((p) => p.startsWith('secrets.')));
}
