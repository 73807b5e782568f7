import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { opsPlugin } from './plugin';

// Every malformed request is refused with a 4xx whose message names what is
// wrong, and writes nothing. The OpenAPI document does most of this work; the
// services check what a schema cannot (configured severities, time order).

const payments = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const incident = {
  entityRef: 'component:default/payments-api',
  title: 'Checkout returns 502',
  severity: 'SEV2',
};
const drill = {
  entityRef: 'component:default/payments-api',
  kind: 'backup-restore',
  target: 'payments-db',
};
const deployment = {
  entityRef: 'component:default/payments-api',
  environment: 'production',
  version: '1.4.2',
  startedAt: '2026-11-20T10:00:00Z',
  status: 'succeeded',
};
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Case = {
  name: string;
  method: 'get' | 'post' | 'patch' | 'put';
  /** `{incident}` and `{drill}` are replaced by existing record ids. */
  path: string;
  body?: unknown;
  status?: number;
  /** Part of the error message: the field or value at fault. */
  message: string | RegExp;
};

const cases: Case[] = [
  // incidents: create
  {
    name: 'missing title',
    method: 'post',
    path: '/incidents',
    body: { ...incident, title: undefined },
    message: 'title',
  },
  {
    name: 'title of the wrong type',
    method: 'post',
    path: '/incidents',
    body: { ...incident, title: 42 },
    message: 'title',
  },
  {
    name: 'empty title',
    method: 'post',
    path: '/incidents',
    body: { ...incident, title: '' },
    message: 'title',
  },
  {
    name: 'oversized title',
    method: 'post',
    path: '/incidents',
    body: { ...incident, title: 'x'.repeat(201) },
    message: 'title',
  },
  {
    name: 'unknown status',
    method: 'post',
    path: '/incidents',
    body: { ...incident, status: 'closed' },
    message: 'status',
  },
  {
    name: 'unconfigured severity',
    method: 'post',
    path: '/incidents',
    body: { ...incident, severity: 'P0' },
    message: "Invalid severity 'P0'",
  },
  {
    name: 'SQL in the severity',
    method: 'post',
    path: '/incidents',
    body: { ...incident, severity: "SEV1'; DROP TABLE ops_incidents;--" },
    message: 'severity',
  },
  {
    name: 'entity ref without a name',
    method: 'post',
    path: '/incidents',
    body: { ...incident, entityRef: 'component:' },
    message: 'entityRef',
  },
  {
    name: 'script in the entity ref',
    method: 'post',
    path: '/incidents',
    body: {
      ...incident,
      entityRef: 'component:default/<script>alert(1)</script>',
    },
    message: 'entityRef',
  },
  {
    name: 'oversized entity ref',
    method: 'post',
    path: '/incidents',
    body: { ...incident, entityRef: `component:default/${'a'.repeat(300)}` },
    message: 'entityRef',
  },
  {
    name: 'unknown field',
    method: 'post',
    path: '/incidents',
    body: { ...incident, priority: 'high' },
    message: /additional properties|priority/,
  },
  {
    name: 'commander that is not a user ref',
    method: 'post',
    path: '/incidents',
    body: { ...incident, commander: 'group:default/sre' },
    message: 'commander',
  },
  {
    name: 'detectedAt that is not a time',
    method: 'post',
    path: '/incidents',
    body: { ...incident, detectedAt: 'yesterday' },
    message: 'detectedAt',
  },
  {
    name: 'labels that are not strings',
    method: 'post',
    path: '/incidents',
    body: { ...incident, labels: { team: 7 } },
    message: 'labels',
  },
  {
    name: 'label key with spaces',
    method: 'post',
    path: '/incidents',
    body: { ...incident, labels: { 'bad key': 'x' } },
    message: 'labels',
  },
  {
    name: 'oversized summary',
    method: 'post',
    path: '/incidents',
    body: { ...incident, summary: 'x'.repeat(10001) },
    message: 'summary',
  },
  {
    name: 'body that is an array',
    method: 'post',
    path: '/incidents',
    body: [incident],
    message: /body/,
  },
  // incidents: list
  {
    name: 'unknown status filter',
    method: 'get',
    path: '/incidents?status=closed',
    message: 'status',
  },
  {
    name: 'limit over 500',
    method: 'get',
    path: '/incidents?limit=501',
    message: 'limit',
  },
  {
    name: 'limit that is not a number',
    method: 'get',
    path: '/incidents?limit=ten',
    message: 'limit',
  },
  {
    name: 'malformed cursor',
    method: 'get',
    path: '/incidents?cursor=!!!',
    message: 'cursor',
  },
  {
    name: 'cursor that decodes to garbage',
    method: 'get',
    path: '/incidents?cursor=Z2FyYmFnZQ',
    message: 'cursor',
  },
  {
    name: 'from that is not a time',
    method: 'get',
    path: '/incidents?from=2026-13-45',
    message: 'from',
  },
  {
    name: 'unknown query parameter',
    method: 'get',
    path: '/incidents?sort=asc',
    message: 'sort',
  },
  {
    name: 'SQL in the entity ref filter',
    method: 'get',
    path: "/incidents?entityRef=component:default/x'%20OR%201=1--",
    message: 'entityRef',
  },
  // incidents: update and events
  {
    name: 'update without version',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { status: 'resolved' },
    message: 'version',
  },
  {
    name: 'update with only a version',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { version: 1 },
    message: 'Nothing to change',
  },
  {
    name: 'version of the wrong type',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { version: '1', status: 'resolved' },
    message: 'version',
  },
  {
    name: 'postmortem URL with a script scheme',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { version: 1, postmortemUrl: `${'java'}script:alert(1)` },
    message: 'postmortemUrl',
  },
  {
    name: 'id that is not a uuid',
    method: 'get',
    path: "/incidents/1'%20OR%20'1'='1",
    message: 'id',
  },
  {
    name: 'event of a type users cannot append',
    method: 'post',
    path: '/incidents/{incident}/events',
    body: { type: 'status-changed', message: 'x' },
    message: 'type',
  },
  {
    name: 'empty note',
    method: 'post',
    path: '/incidents/{incident}/events',
    body: { type: 'note', message: '' },
    message: 'message',
  },
  {
    name: 'unknown incident',
    method: 'get',
    path: `/incidents/${UNKNOWN_ID}`,
    status: 404,
    message: `No incident with id '${UNKNOWN_ID}'`,
  },
  // drills
  {
    name: 'unknown drill kind',
    method: 'post',
    path: '/drills',
    body: { ...drill, kind: 'chaos' },
    message: 'kind',
  },
  {
    name: 'exclusive that is not a boolean',
    method: 'post',
    path: '/drills',
    body: { ...drill, exclusive: 'yes' },
    message: 'exclusive',
  },
  {
    name: 'negative RTO objective',
    method: 'post',
    path: '/drills',
    body: { ...drill, objectives: { rtoSeconds: -1, rpoSeconds: 60 } },
    message: 'rtoSeconds',
  },
  {
    name: 'unknown drill status',
    method: 'patch',
    path: '/drills/{drill}',
    body: { status: 'done' },
    message: 'status',
  },
  {
    name: 'RTO as a string',
    method: 'patch',
    path: '/drills/{drill}',
    body: { rtoSeconds: '60' },
    message: 'rtoSeconds',
  },
  {
    name: 'verification without a result',
    method: 'patch',
    path: '/drills/{drill}',
    body: { verification: [{ name: 'row counts' }] },
    message: 'passed',
  },
  {
    name: 'drill finishing before it started',
    method: 'patch',
    path: '/drills/{drill}',
    body: { status: 'passed', finishedAt: '2000-01-01T00:00:00Z' },
    message: 'finishedAt',
  },
  {
    name: 'step with an unknown status',
    method: 'put',
    path: '/drills/{drill}/steps/restore',
    body: { status: 'ok' },
    message: 'status',
  },
  {
    name: 'step name with a path separator',
    method: 'put',
    path: '/drills/{drill}/steps/..%2Fetc',
    body: { status: 'running' },
    message: 'name',
  },
  // deployments and DORA
  {
    name: 'deployment without a version',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, version: undefined },
    message: 'version',
  },
  {
    name: 'deployment with an unknown status',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, status: 'rolled_back' },
    message: 'status',
  },
  {
    name: 'deployment commit sha that is not hexadecimal',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, commitSha: 'main; rm -rf /' },
    message: 'commitSha',
  },
  {
    name: 'deployment commit time that is not a time',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, commitTime: 'yesterday' },
    message: 'commitTime',
  },
  {
    name: 'deployment environment with spaces',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, environment: 'prod east' },
    message: 'environment',
  },
  {
    name: 'deployment URL with a script scheme',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, url: `${'java'}script:alert(1)` },
    message: 'url',
  },
  {
    name: 'deployment finishing before it started',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, finishedAt: '2026-11-20T09:00:00Z' },
    message: 'finishedAt',
  },
  {
    name: 'deployment committed after it started',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, commitTime: '2026-11-20T11:00:00Z' },
    message: 'startedAt',
  },
  {
    name: 'deployment of an unknown entity',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, entityRef: 'component:default/nope' },
    status: 404,
    message: 'component:default/nope',
  },
  {
    name: 'deployment list without an entity',
    method: 'get',
    path: '/deployments',
    message: 'entityRef',
  },
  {
    name: 'DORA without an entity or group',
    method: 'get',
    path: '/dora',
    message: 'entityRef and group',
  },
  {
    name: 'DORA with both an entity and a group',
    method: 'get',
    path: '/dora?entityRef=component:default/payments-api&group=team-payments',
    message: 'entityRef and group',
  },
  {
    name: 'DORA window ending before it starts',
    method: 'get',
    path: '/dora?entityRef=component:default/payments-api&from=2026-11-20T00:00:00Z&to=2026-11-01T00:00:00Z',
    message: 'from',
  },
  {
    name: 'DORA group with a script',
    method: 'get',
    path: '/dora?group=<script>',
    message: 'group',
  },
];

describe('malformed requests', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let incidentId: string;
  let drillId: string;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        opsPlugin,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
        catalogServiceMock.factory({ entities: [payments] }),
      ],
    }));
    incidentId = (
      await request(server).post('/api/ops/incidents').send(incident)
    ).body.id;
    drillId = (await request(server).post('/api/ops/drills').send(drill)).body
      .id;
  });

  async function snapshot() {
    const incidents = await request(server).get('/api/ops/incidents');
    const events = await request(server).get(
      `/api/ops/incidents/${incidentId}/events`,
    );
    const drills = await request(server).get('/api/ops/drills');
    const deployments = await request(server).get(
      '/api/ops/deployments?entityRef=component:default/payments-api',
    );
    return JSON.stringify([
      incidents.body,
      events.body,
      drills.body,
      deployments.body,
    ]);
  }

  it('has a table of at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)(
    'refuses $name',
    async ({ method, path, body, status, message }) => {
      const before = await snapshot();
      const url = `/api/ops${path
        .replace('{incident}', incidentId)
        .replace('{drill}', drillId)}`;
      let req = request(server)[method](url);
      if (body !== undefined) {
        req = req
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
      }
      const res = await req;

      expect(res.status).toBe(status ?? 400);
      expect(res.body.error.message).toMatch(
        typeof message === 'string'
          ? new RegExp(escapeRegExp(message))
          : message,
      );
      expect(await snapshot()).toBe(before);
    },
  );
});
