import { unpinnedImage } from '../../checks/unpinned-image.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/repo.js';

const WF = '.github/workflows/ci.yml';
const DIGEST = `sha256:${'a'.repeat(64)}`;

ruleTester(unpinnedImage, {
  valid: [
    { name: 'docker by digest', files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    steps:', `      - uses: docker://alpine@${DIGEST}`) } },
    {
      name: 'container and service by digest, tag kept',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', `    container: node:20@${DIGEST}`, '    services:', '      db:', `        image: postgres:16@${DIGEST}`, '    steps:', '      - run: make') },
    },
    {
      name: 'matrix image whose values are all pinned',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    strategy:', '      matrix:', `        img: ["debian@${DIGEST}"]`, '    container: ${{ matrix.img }}', '    steps:', '      - run: make') },
    },
    {
      name: 'image from something other than the matrix is not known',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    container: ${{ inputs.image }}', '    steps:', '      - run: make') },
    },
    {
      name: 'matrix from fromJSON is not known',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    strategy:', '      matrix: ${{ fromJSON(needs.p.outputs.m) }}', '    container: ${{ matrix.img }}', '    steps:', '      - run: make') },
    },
    { name: 'non-docker action image', files: { 'act/action.yml': yaml('name: a', 'runs:', '  using: docker', '  image: Dockerfile') } },
  ],
  invalid: [
    {
      name: 'images without digest (moved from unpinned-uses)',
      files: {
        [WF]: yaml(
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: x',
          '    container: node:20',
          '    services:',
          '      db:',
          '        image: postgres:16',
          '    steps:',
          '      - uses: docker://alpine:3.20',
        ),
      },
      findings: [
        { line: 5, column: 16, severity: 'medium', messageId: 'unpinned-image/image-tag', message: 'job `a` container `node:20` is not pinned by digest (@sha256:…)' },
        { line: 8, column: 16, severity: 'medium', messageId: 'unpinned-image/image-tag', message: 'job `a` service `postgres:16` is not pinned by digest (@sha256:…)' },
        { line: 10, column: 15, severity: 'medium', messageId: 'unpinned-image/docker-image-tag', message: 'image `alpine:3.20` is not pinned by digest (@sha256:…)' },
      ],
    },
    {
      name: 'docker action image by tag',
      files: { 'act/action.yml': yaml('name: a', 'runs:', '  using: docker', "  image: 'docker://ghcr.io/o/i:1'") },
      findings: [{ file: 'act/action.yml', line: 4, column: 10, endColumn: 34, message: 'action image `ghcr.io/o/i:1` is not pinned by digest (@sha256:…)' }],
    },
    {
      name: 'matrix images: each tagged value is reported where it is written, include entries too',
      files: {
        [WF]: yaml(
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: x',
          '    strategy:',
          '      matrix:',
          `        img: [debian:12, "alpine@${DIGEST}"]`,
          '        include:',
          '          - img: fedora:40',
          '    container:',
          '      image: ${{ matrix.img }}',
          '    services:',
          '      db:',
          '        image: postgres:${{ matrix.pg }}',
          '    steps:',
          '      - run: make',
        ),
      },
      findings: [
        {
          line: 7,
          column: 15,
          endColumn: 24,
          messageId: 'unpinned-image/matrix-image-tag',
          message: 'job `a` container `${{ matrix.img }}` is `debian:12` for this matrix value, not pinned by digest (@sha256:…)',
          related: [{ file: WF, line: 11, column: 14, endLine: 11, endColumn: 31, note: 'the image built from `matrix.img`' }],
        },
        { line: 9, column: 18, message: 'job `a` container `${{ matrix.img }}` is `fedora:40` for this matrix value, not pinned by digest (@sha256:…)' },
      ],
    },
    {
      name: 'matrix axis feeding part of a service image',
      files: { [WF]: yaml('on: push', 'jobs:', '  a:', '    runs-on: x', '    strategy:', '      matrix:', '        pg: ["15", "16"]', '    services:', '      db:', '        image: postgres:${{ matrix.pg }}', '    steps:', '      - run: make') },
      findings: [
        { line: 7, column: 14, message: 'job `a` service `postgres:${{ matrix.pg }}` is `postgres:15` for this matrix value, not pinned by digest (@sha256:…)' },
        { line: 7, column: 20, message: 'job `a` service `postgres:${{ matrix.pg }}` is `postgres:16` for this matrix value, not pinned by digest (@sha256:…)' },
      ],
    },
  ],
});
