import { describe, expect, it } from 'vitest';
import { codeInputOf } from '../../src/analysis/code-inputs.js';
import { YamlFile } from '../../src/model/yaml.js';
import { buildWorkflow } from '../../src/model/workflow.js';
import { yaml } from '../helpers/repo.js';

function steps(...lines: string[]) {
  const wf = buildWorkflow(new YamlFile('.github/workflows/ci.yml', yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', ...lines)));
  return wf.jobs[0]!.steps;
}

describe('codeInputOf', () => {
  it('finds the code input of known actions, with its language and the value as written', () => {
    const [gs, az, yq, pw] = steps(
      '      - uses: actions/github-script@v7',
      '        with:',
      '          script: console.log(1)',
      '      - uses: Azure/CLI@v2',
      '        with:',
      '          inlineScript: az account show',
      '      - uses: mikefarah/yq@v4',
      '        with:',
      "          cmd: yq '.a' f.yml",
      '      - uses: azure/powershell@v2',
      '        with:',
      '          azPSVersion: latest',
      '          inlineScript: Get-AzContext',
    );
    expect(codeInputOf(gs!)).toMatchObject({ input: 'script', language: 'javascript', value: { value: 'console.log(1)' } });
    expect(codeInputOf(az!)).toMatchObject({ input: 'inlineScript', language: 'bash', value: { value: 'az account show', range: { line: 11, column: 25 } } });
    expect(codeInputOf(yq!)).toMatchObject({ input: 'cmd', language: 'yq' });
    expect(codeInputOf(pw!)).toMatchObject({ input: 'inlineScript', language: 'pwsh' });
  });

  it('is undefined for other actions, for run steps and when the input is not set', () => {
    const [co, run, gs] = steps('      - uses: actions/checkout@v4', '      - run: echo hi', '      - uses: actions/github-script@v7', '        with:', '          github-token: x');
    expect(codeInputOf(co!)).toBeUndefined();
    expect(codeInputOf(run!)).toBeUndefined();
    expect(codeInputOf(gs!)).toBeUndefined();
  });
});
