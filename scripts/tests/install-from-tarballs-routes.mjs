// Checks over HTTP that the installed OpsDeck backend answers for the annotated component:
// readiness (the catalog and the annotations), severities (config defaults), and an incident
// declared and listed back (the packed migrations ran, the permission check passed).
//
//   node install-from-tarballs-routes.mjs <backend base URL> <entity ref>
const [base, entityRef] = process.argv.slice(2);

// A guest user's token, as the app's sign-in would get it.
let token;
const refresh = await call('GET', '/api/auth/guest/refresh');
token = refresh.backstageIdentity?.token;
if (!token) fail(`no guest token: ${JSON.stringify(refresh)}`);

// The catalog reads its locations in the background: wait for the component.
const ref = encodeURIComponent(entityRef);
const [kind, namespace, name] = entityRef.split(/[:/]/);
for (let i = 0; ; i++) {
  const res = await fetch(
    `${base}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  if (res.ok) break;
  if (i === 60) fail(`the catalog never had ${entityRef} (${res.status})`);
  await new Promise(r => setTimeout(r, 1000));
}

const readiness = await call('GET', `/api/ops/readiness?entityRef=${ref}`);
expect(
  readiness.entityRef === entityRef,
  `readiness is for ${readiness.entityRef}`,
);
const runbooks = readiness.items.find(item => item.id === 'runbooks');
expect(
  runbooks?.status === 'present',
  `runbooks item: ${JSON.stringify(runbooks)}`,
);
const slos = readiness.items.find(item => item.id === 'slos');
expect(
  slos?.status === 'missing',
  `slos item (no openslo annotation): ${JSON.stringify(slos)}`,
);
console.log(`readiness: ${readiness.present}/${readiness.total} present`);

const severities = await call('GET', '/api/ops/severities');
const ids = severities.items.map(s => s.id);
expect(ids.join() === 'SEV1,SEV2,SEV3,SEV4', `default severities: ${ids}`);

const title = `Install test ${Date.now()}`;
const created = await call('POST', '/api/ops/incidents', {
  entityRef,
  title,
  severity: 'SEV3',
});
const listed = await call('GET', `/api/ops/incidents?entityRef=${ref}`);
const found = listed.items.find(item => item.id === created.id);
expect(
  found?.title === title,
  `declared incident listed back: ${JSON.stringify(listed.items)}`,
);
console.log(`incident ${created.id} declared and listed (${found.status})`);

// The invalid request: a 400 naming the field, nothing stored.
const bad = await fetch(`${base}/api/ops/incidents`, {
  method: 'POST',
  headers: {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  },
  body: JSON.stringify({ entityRef, severity: 'SEV3' }),
});
const badBody = await bad.text();
expect(
  bad.status === 400 && badBody.includes('title'),
  `missing title: ${bad.status} ${badBody}`,
);
const after = await call('GET', `/api/ops/incidents?entityRef=${ref}`);
expect(
  after.items.length === listed.items.length,
  'the refused incident was not stored',
);
console.log('OpsDeck routes answer for', entityRef);

async function call(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) fail(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

function expect(ok, message) {
  if (!ok) fail(message);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
