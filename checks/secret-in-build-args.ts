import type { Check } from '../src/check.js';
import { actionName } from '../src/analysis/facts.js';
import { expressionsIn } from '../src/model/workflow.js';

const BUILD_ACTIONS = new Set(['docker/build-push-action', 'docker/bake-action']);

export const secretInBuildArgs: Check = {
  meta: {
    id: 'secret-in-build-args',
    title: 'Secret passed to a container build as a build argument',
    area: 'credentials',
    severity: 'high',
    description: 'A secret in docker/build-push-action `build-args:` or a `--build-arg` of a docker build command.',
    why:
      'Build arguments are recorded in the image: `docker history` and the image config show them to anyone who can pull the ' +
      'image, and BuildKit provenance records them too. Secret mounts exist so that a credential reaches one RUN instruction and ' +
      'never a layer.',
    howToFix:
      'Use build secrets: `secrets: | npm_token=${{ secrets.NPM_TOKEN }}` on build-push-action (or `--secret id=npm_token,env=NPM_TOKEN`) ' +
      'and `RUN --mount=type=secret,id=npm_token` in the Dockerfile.',
    example: '- build-args: NPM_TOKEN=${{ secrets.NPM_TOKEN }}\n+ secrets: |\n+   npm_token=${{ secrets.NPM_TOKEN }}',
    fixable: false,
  },
  step(step, { workflow: wf, job }, { report }) {
          if (!wf || !job) return;
          const name = actionName(step);
          const args = name && BUILD_ACTIONS.has(name) ? step.with.get('build-args') : undefined;
          if (args) {
            for (const expr of expressionsIn(wf.yaml, args.node)) {
              const secret = expr.paths.find((p) => p.startsWith('secrets.'));
              if (secret) report({ file: wf.file, range: expr.range, messageId: 'build-args-input', message: `\`${secret}\` is passed as a build argument and ends up in the image's metadata` });
            }
          }
          if (!step.run || !/--build-arg/.test(step.run.value)) return;
          // Environment variables of the step or job that carry a secret, by name.
          const secretEnv = new Set(
            [...step.env, ...job.env]
              .filter(([, v]) => expressionsIn(wf.yaml, v.node).some((e) => e.paths.some((p) => p.startsWith('secrets.') && p !== 'secrets.github_token')))
              .map(([k]) => k),
          );
          for (const expr of expressionsIn(wf.yaml, step.run.node)) {
            const secret = expr.paths.find((p) => p.startsWith('secrets.'));
            if (secret && onBuildArgLine(step.run.value, expr.inner)) {
              report({ file: wf.file, range: expr.range, messageId: 'build-arg-flag', message: `\`${secret}\` is passed with --build-arg and ends up in the image's metadata` });
            }
          }
          for (const line of step.run.value.split('\n')) {
            const m = /--build-arg[ =]+["']?(\w+)(?:=["']?\$\{?(\w+)\}?)?/.exec(line);
            const variable = m?.[2] ?? m?.[1];
            if (variable && secretEnv.has(variable)) {
              report({ file: wf.file, range: step.run.range, messageId: 'build-arg-env', message: `\`${variable}\` holds a secret and is passed with --build-arg; it ends up in the image's metadata` });
            }
          }
  },
};

function onBuildArgLine(script: string, inner: string): boolean {
  return script.split('\n').some((l) => l.includes('--build-arg') && l.includes(inner));
}
