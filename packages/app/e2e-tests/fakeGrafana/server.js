#!/usr/bin/env node
/*
 * A fake Grafana for the demo (`make start`) and the end-to-end tests only:
 * Grafana is not packaged for Debian, so it cannot run here. It speaks just
 * the contract the Grafana panels card relies on, the embed URL of a single
 * panel:
 *
 *   GET /d-solo/<uid>/[<slug>]?orgId=&panelId=&from=&to=&theme=&var-<name>=
 *
 * and answers with a small HTML page naming what it received (dashboard uid,
 * panel id, organization, time range, theme, variables), so a test can check
 * what the iframe asked for. It renders no chart. GET /api/health answers as
 * Grafana's does; everything else is 404.
 *
 *   node server.js            listens on 127.0.0.1:$OPSDECK_GRAFANA_PORT (3100)
 */
'use strict';

const http = require('node:http');

const HOST = process.env.OPSDECK_GRAFANA_HOST || '127.0.0.1';
const PORT = Number(process.env.OPSDECK_GRAFANA_PORT || 3100);

function escapeHtml(text) {
  return text.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]),
  );
}

function send(res, status, type, body) {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-store',
  });
  res.end(body);
}

function panelPage(uid, query) {
  const rows = [
    ['Dashboard', uid],
    ['Panel', query.get('panelId') ?? ''],
    ['Organization', query.get('orgId') ?? ''],
    ['From', query.get('from') ?? ''],
    ['To', query.get('to') ?? ''],
    ['Theme', query.get('theme') ?? ''],
  ];
  for (const [key, value] of query) {
    if (key.startsWith('var-')) rows.push([`Variable ${key.slice(4)}`, value]);
  }
  const items = rows
    .map(
      ([name, value]) =>
        `<dt>${escapeHtml(name)}</dt><dd data-field="${escapeHtml(
          name,
        )}">${escapeHtml(value)}</dd>`,
    )
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Fake Grafana panel</title>
<style>body{font:13px sans-serif;margin:8px}dt{font-weight:bold}dd{margin:0 0 4px}</style>
</head><body>
<p>Fake Grafana (demo and tests): this is where panel ${escapeHtml(
    query.get('panelId') ?? '',
  )} of dashboard ${escapeHtml(uid)} would render.</p>
<dl>
${items}
</dl>
</body></html>
`;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://${HOST}:${PORT}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain', 'method not allowed\n');
    return;
  }
  if (url.pathname === '/api/health') {
    send(
      res,
      200,
      'application/json',
      JSON.stringify({ database: 'ok', version: 'fake' }),
    );
    return;
  }
  const match = /^\/d-solo\/([^/]+)(?:\/[^/]*)?$/.exec(url.pathname);
  if (!match) {
    send(res, 404, 'text/plain', 'not found\n');
    return;
  }
  if (!/^[1-9][0-9]*$/.test(url.searchParams.get('panelId') ?? '')) {
    send(res, 400, 'text/plain', 'panelId is missing or not a number\n');
    return;
  }
  let uid;
  try {
    uid = decodeURIComponent(match[1]);
  } catch {
    send(res, 400, 'text/plain', 'malformed dashboard uid\n');
    return;
  }
  send(res, 200, 'text/html', panelPage(uid, url.searchParams));
});

server.listen(PORT, HOST, () => {
  process.stdout.write(`fake Grafana on http://${HOST}:${PORT}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
