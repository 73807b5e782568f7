// Applies the README's "Add OpsDeck to an existing Backstage app" steps to a new app, reading
// them from README.md so that the test fails when the README is wrong, not a copy of it:
//   - the `resolutions` block of "Installing from tarballs", its tarball folder replaced by
//     the one the test packed into, merged into the app's root package.json;
//   - the `yarn ... add` lines of the sh block, written to <work>/readme-install.sh;
//   - the lines of the ts block headed `// packages/backend/src/index.ts`, put before
//     `backend.start();` of the app's backend;
//   - the frontend: the README's new-frontend-system step, `app.packages: all`, must be what
//     the created app's app-config.yaml already says.
//
//   node install-from-tarballs-readme.mjs README.md <app dir> <tarball dir>
import fs from 'node:fs';
import path from 'node:path';

const [readmePath, appDir, packDir] = process.argv.slice(2);
const readme = fs.readFileSync(readmePath, 'utf8');

const start = readme.indexOf('## Add OpsDeck to an existing Backstage app');
if (start < 0)
  fail('README has no "## Add OpsDeck to an existing Backstage app" section');
const end = readme.indexOf('\n## ', start + 3);
const section = readme.slice(start, end < 0 ? undefined : end);

const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(m => ({
  lang: m[1],
  body: m[2],
}));

// 1. resolutions: every @opsdeck package from the tarballs
const resolutionsBlock = blocks.find(
  b => b.lang === 'json' && b.body.includes('"resolutions"'),
);
if (!resolutionsBlock)
  fail('README shows no "resolutions" block for the tarballs');
const { resolutions } = JSON.parse(`{${resolutionsBlock.body.trim()}}`);
const packed = fs.readdirSync(packDir).filter(f => f.endsWith('.tgz'));
const manifestPath = path.join(appDir, 'package.json');
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
manifest.resolutions = { ...manifest.resolutions };
for (const [name, spec] of Object.entries(resolutions)) {
  const file = path.basename(spec.replace(/^file:/, ''));
  if (!packed.includes(file)) {
    fail(
      `README resolves ${name} to ${file}, which the pack step did not make (${packed})`,
    );
  }
  manifest.resolutions[name] = `file:${path.join(packDir, file)}`;
}
for (const file of packed) {
  if (!Object.values(resolutions).some(spec => spec.endsWith(`/${file}`))) {
    fail(`README's resolutions leave out the packed ${file}`);
  }
}
fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

// 2. the yarn add commands of "Installing from tarballs" (the last such block)
const sh = blocks
  .filter(b => b.lang === 'sh' && /yarn .*\badd @opsdeck\//.test(b.body))
  .pop();
if (!sh) fail('README shows no `yarn add @opsdeck/...` commands');
const commands = sh.body
  .split('\n')
  .map(line => line.replace(/\s+#.*$/, '').trim())
  .filter(line => /^yarn .*\badd @opsdeck\//.test(line));
fs.writeFileSync(
  path.join(path.dirname(appDir), 'readme-install.sh'),
  `${commands.join('\n')}\n`,
);

// 3. the backend's features
const ts = blocks.find(
  b => b.lang === 'ts' && b.body.startsWith('// packages/backend/src/index.ts'),
);
if (!ts) fail('README shows no packages/backend/src/index.ts block');
const lines = ts.body.split('\n').slice(1).filter(Boolean);
const indexPath = path.join(appDir, 'packages/backend/src/index.ts');
const index = fs.readFileSync(indexPath, 'utf8');
if (!index.includes('backend.start();'))
  fail(`${indexPath} has no backend.start();`);
fs.writeFileSync(
  indexPath,
  index.replace('backend.start();', `${lines.join('\n')}\n\nbackend.start();`),
);

// 4. the frontend: the created app discovers its packages' plugins
const appConfig = fs.readFileSync(path.join(appDir, 'app-config.yaml'), 'utf8');
if (!section.includes('`app.packages: all`')) {
  fail(
    'README no longer names `app.packages: all` for the new frontend system',
  );
}
if (!/^\s+packages: all\s*$/m.test(appConfig)) {
  fail(
    "the created app does not set app.packages: all; apply the README's features step",
  );
}

console.log(
  `resolutions: ${Object.keys(resolutions).join(', ')}\n` +
    `commands:\n  ${commands.join('\n  ')}\nbackend:\n  ${lines.join('\n  ')}`,
);

function fail(message) {
  console.error(message);
  process.exit(1);
}
