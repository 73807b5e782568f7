import fs from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';
import { opsApiSpec } from './openapi';

// generated/openapi.ts is generated from the document by this test:
// `yarn --cwd plugins/ops-common generate:openapi` runs it with
// OPSDECK_WRITE_OPENAPI=1, which writes the file instead of comparing.

const GENERATED = path.resolve(__dirname, 'generated/openapi.ts');

const HEADER = `// Generated from the OpenAPI document of /api/ops (src/schema/openapi.ts)
// by openapi-typescript. Do not edit: run \`yarn --cwd plugins/ops-common generate:openapi\`.
/* eslint-disable */
`;

async function renderTypes(): Promise<string> {
  const ast = await openapiTS(JSON.parse(JSON.stringify(opsApiSpec)), {
    exportType: false,
    // an object schema without properties (event data) holds anything
    emptyObjectsUnknown: true,
  });
  // The paths and operations are part of ops-common's public API: keep to
  // the TSDoc tags its API report accepts.
  const types = astToString(ast)
    .replace(/@description /g, '')
    .replace(/^\s*\/\*\* @enum \{\w+\} \*\/\n/gm, '')
    .replace(/^\s*\* @enum \{\w+\}\n/gm, '')
    .replace(
      /^export interface (paths|operations) \{/gm,
      '/** @public */\nexport interface $1 {',
    );
  const source = `${HEADER}\n${types}`;
  const config = (await prettier.resolveConfig(GENERATED)) ?? {};
  return prettier.format(source, { ...config, parser: 'typescript' });
}

describe('generated/openapi.ts', () => {
  it('is up to date with the OpenAPI document', async () => {
    const expected = await renderTypes();
    if (process.env.OPSDECK_WRITE_OPENAPI) {
      fs.writeFileSync(GENERATED, expected);
    }
    const actual = fs.existsSync(GENERATED)
      ? fs.readFileSync(GENERATED, 'utf8')
      : '';
    // When this fails, run `yarn --cwd plugins/ops-common generate:openapi`.
    expect(actual).toBe(expected);
  });
});
