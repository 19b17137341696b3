/** The release workflow publishes through npm trusted publishing, and nothing more powerful. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const FILE = fileURLToPath(new URL('../.github/workflows/release.yml', import.meta.url));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

describe('release workflow', () => {
  it('runs on v* tags in the npm environment with an OIDC token and no stored npm token', async () => {
    const text = await readFile(FILE, 'utf8');
    const wf = parse(text);
    expect(wf.on).toEqual({ push: { tags: ['v*'] } });
    expect(wf.permissions).toEqual({});
    const jobs = Object.values(wf.jobs) as Array<{ environment: string; permissions: Record<string, string>; steps: Step[] }>;
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.environment).toBe('npm');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(text).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN|secrets\./);

    const publish = job.steps.findIndex((s) => s.run?.includes('npm publish'));
    expect(job.steps[publish]!.run).toBe('npm publish --provenance --access public');
    // Tested and self-audited before anything is published.
    const before = job.steps.slice(0, publish).map((s) => s.run ?? '');
    expect(before).toContain('npm test');
    expect(before.some((r) => r.includes('bin/pipewarden.js . --ci'))).toBe(true);
  });

  it('pins every action by full commit SHA with a version comment, and checkout keeps no credentials', async () => {
    const text = await readFile(FILE, 'utf8');
    const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThanOrEqual(3);
    for (const [, ref, comment] of uses) {
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
    const steps = (Object.values(parse(text).jobs)[0] as { steps: Step[] }).steps;
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['persist-credentials']).toBe(false);
    // The same pins as the project's CI workflow, so one update moves both.
    const ci = await readFile(fileURLToPath(new URL('../.github/workflows/ci.yml', import.meta.url)), 'utf8');
    for (const action of ['actions/checkout', 'actions/setup-node']) {
      const pin = (t: string) => new RegExp(`${action}@([0-9a-f]{40})`).exec(t)?.[1];
      expect(pin(text)).toBe(pin(ci));
    }
  });
});
