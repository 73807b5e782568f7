#!/usr/bin/env node
// Serves the production build of the app (packages/app/dist, `yarn workspace app build`) the way
// the dev server serves the app: files as they are, any other path the app's index.html (the
// app routes in the browser). For scripts/e2e.sh: a fresh browser context loads this bundle in a
// fraction of the time it takes to evaluate the dev server's unminified eval-source-mapped one.
//
//   node scripts/lib/serve-app.cjs DIST_DIR PORT
const path = require('node:path');
const fs = require('node:fs');
const express = require('express');

const [dist, port] = process.argv.slice(2);
const index = path.join(dist ?? '', 'index.html');
if (!dist || !port || !fs.existsSync(index)) {
  console.error(
    `usage: serve-app.cjs DIST_DIR PORT (DIST_DIR must hold the app's index.html; got '${dist}')`,
  );
  process.exit(2);
}

const app = express();
// Content-hashed bundles: a browser may keep them; index.html always revalidates.
app.use(
  '/static',
  express.static(path.join(dist, 'static'), { immutable: true, maxAge: '1y' }),
);
app.use(express.static(dist, { index: false }));
app.use((_req, res) => {
  res.setHeader('Cache-Control', 'no-cache');
  res.sendFile(path.resolve(index));
});
const server = app.listen(Number(port), 'localhost', () => {
  console.log(`[serve-app] ${dist} on http://localhost:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
