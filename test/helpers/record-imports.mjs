// node --import ./test/helpers/record-imports.mjs …: records every module URL the ESM loader
// resolves into the file named by PW_IMPORT_LOG (the test that the CI path never loads Ink).
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { out: process.env.PW_IMPORT_LOG } });
