import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import request from 'supertest';
import { opsPlugin } from './plugin';

jest.setTimeout(60_000);

const POSTGRES_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

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
  startedAt: '2026-11-20T10:00:00Z',
};
const deployment = {
  entityRef: 'component:default/payments-api',
  environment: 'production',
  version: '1.4.2',
  startedAt: '2026-11-20T10:00:00Z',
  status: 'succeeded',
};
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const NUL = '\u0000';
const PAYMENTS = 'entityRef=component:default/payments-api';

/** `{ a: { a: ... } }`, `depth` objects deep. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) {
    value = { a: value };
  }
  return value;
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Case = {
  name: string;
  method: 'get' | 'post' | 'patch' | 'put';
  /** `{incident}` and `{drill}` are replaced by existing record ids. */
  path: string;
  body?: unknown;
  /** A JSON body sent as it is (one too deep for `JSON.stringify`). */
  json?: string;
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
    message: /^priority is not a field of this request$/,
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
  // bounds: DORA and deployment windows (at most 366 days by default)
  {
    name: 'DORA window from year 0001 to 9999',
    method: 'get',
    path: `/dora?${PAYMENTS}&from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z`,
    message: 'at most 366 days',
  },
  {
    name: 'DORA window of 367 days',
    method: 'get',
    path: `/dora?${PAYMENTS}&from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z`,
    message: 'at most 366 days',
  },
  {
    name: 'DORA window from year 0001 to now',
    method: 'get',
    path: `/dora?${PAYMENTS}&from=0001-01-01T00:00:00Z`,
    message: 'at most 366 days',
  },
  {
    name: 'DORA group window over the limit',
    method: 'get',
    path: '/dora?group=team-payments&from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    message: 'at most 366 days',
  },
  {
    name: 'deployment list window over the limit',
    method: 'get',
    path: `/deployments?${PAYMENTS}&from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z`,
    message: 'at most 366 days',
  },
  {
    name: 'deployment list window ending before it starts',
    method: 'get',
    path: `/deployments?${PAYMENTS}&from=2026-11-20T00:00:00Z&to=2026-11-01T00:00:00Z`,
    message: 'from',
  },
  // bounds: timeline event data (depth and serialized size)
  {
    name: 'event data nested 10,000 levels deep',
    method: 'post',
    path: '/incidents/{incident}/events',
    json: `{"type":"note","message":"x","data":${'{"a":'.repeat(
      9_999,
    )}{}${'}'.repeat(9_999)}}`,
    message: `nested deeper than ${RECORD_LIMITS.eventDataDepth} levels`,
  },
  {
    name: 'event data one level too deep',
    method: 'post',
    path: '/incidents/{incident}/events',
    body: {
      type: 'note',
      message: 'x',
      data: nested(RECORD_LIMITS.eventDataDepth + 1),
    },
    message: 'data',
  },
  {
    name: 'event data with a 100k-item array',
    method: 'post',
    path: '/incidents/{incident}/events',
    body: {
      type: 'note',
      message: 'x',
      data: { items: Array(100_000).fill(0) },
    },
    message: `${RECORD_LIMITS.eventDataBytes} bytes`,
  },
  {
    name: 'event data over the size limit in one string',
    method: 'post',
    path: '/incidents/{incident}/events',
    body: {
      type: 'note',
      message: 'x',
      data: { log: 'x'.repeat(RECORD_LIMITS.eventDataBytes) },
    },
    message: 'data',
  },
  {
    name: 'event data that is an array',
    method: 'post',
    path: '/incidents/{incident}/events',
    body: { type: 'note', message: 'x', data: [1, 2] },
    message: 'data',
  },
  // bounds: NUL bytes in text (PostgreSQL cannot store them)
  {
    name: 'NUL byte in an incident title',
    method: 'post',
    path: '/incidents',
    body: { ...incident, title: `Checkout${NUL}` },
    message: 'title',
  },
  {
    name: 'NUL byte in an incident summary',
    method: 'post',
    path: '/incidents',
    body: { ...incident, summary: `a${NUL}b` },
    message: 'summary',
  },
  {
    name: 'NUL byte in a label value',
    method: 'post',
    path: '/incidents',
    body: { ...incident, labels: { team: `a${NUL}` } },
    message: 'labels',
  },
  {
    name: 'NUL byte in a deployment id of an incident',
    method: 'post',
    path: '/incidents',
    body: { ...incident, deploymentId: `d${NUL}` },
    message: 'deploymentId',
  },
  {
    name: 'NUL byte in a root cause',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { version: 1, rootCause: `a${NUL}` },
    message: 'rootCause',
  },
  {
    name: 'NUL byte in a postmortem URL',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { version: 1, postmortemUrl: `https://example.com/${NUL}` },
    message: 'postmortemUrl',
  },
  {
    name: 'NUL byte in a timeline message',
    method: 'post',
    path: '/incidents/{incident}/events',
    body: { type: 'note', message: `a${NUL}b` },
    message: 'message',
  },
  {
    name: 'NUL byte in a drill target',
    method: 'post',
    path: '/drills',
    body: { ...drill, target: `payments${NUL}` },
    message: 'target',
  },
  {
    name: 'NUL byte in a drill task id',
    method: 'post',
    path: '/drills',
    body: { ...drill, taskId: `t${NUL}` },
    message: 'taskId',
  },
  {
    name: 'NUL byte in a drill report',
    method: 'patch',
    path: '/drills/{drill}',
    body: { report: `# Report${NUL}` },
    message: 'report',
  },
  {
    name: 'NUL byte in a verification value',
    method: 'patch',
    path: '/drills/{drill}',
    body: { verification: [{ name: 'rows', passed: true, actual: NUL }] },
    message: 'actual',
  },
  {
    name: 'NUL byte in a step output',
    method: 'put',
    path: '/drills/{drill}/steps/restore',
    body: { status: 'running', output: `restoring${NUL}` },
    message: 'output',
  },
  {
    name: 'NUL byte in a deployment version',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, version: `1.4.2${NUL}` },
    message: 'version',
  },
  {
    name: 'NUL byte in a deployment description',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, description: `a${NUL}` },
    message: 'description',
  },
  {
    name: 'NUL byte in a deployment URL',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, url: `https://ci.example.com/${NUL}` },
    message: 'url',
  },
  {
    name: 'NUL byte in an entity ref filter',
    method: 'get',
    path: '/incidents?entityRef=component:default/payments-api%00',
    message: 'entityRef',
  },
  // bounds: strict RFC 3339 times, in the past where they must be, ordered
  {
    name: 'detectedAt on February 30th',
    method: 'post',
    path: '/incidents',
    body: { ...incident, detectedAt: '2027-02-30T00:00:00Z' },
    message: 'detectedAt',
  },
  {
    name: 'detectedAt without a time zone',
    method: 'post',
    path: '/incidents',
    body: { ...incident, detectedAt: '2026-11-20T10:00:00' },
    message: 'detectedAt',
  },
  {
    name: 'detectedAt in year 9999',
    method: 'post',
    path: '/incidents',
    body: { ...incident, detectedAt: '9999-01-01T00:00:00Z' },
    message: 'detectedAt',
  },
  {
    name: 'incident started after it was detected',
    method: 'post',
    path: '/incidents',
    body: {
      ...incident,
      detectedAt: '2026-11-20T10:00:00Z',
      startedAt: '2026-11-20T12:00:00+01:00',
    },
    message: 'startedAt',
  },
  {
    name: 'incident resolved before it started',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { version: 1, resolvedAt: '2000-01-01T00:00:00Z' },
    message: 'resolvedAt',
  },
  {
    name: 'incident mitigated before it started',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { version: 1, mitigatedAt: '2000-01-01T00:00:00Z' },
    message: 'mitigatedAt',
  },
  {
    name: 'incident resolved in year 9999',
    method: 'patch',
    path: '/incidents/{incident}',
    body: { version: 1, resolvedAt: '9999-01-01T00:00:00Z' },
    message: 'resolvedAt',
  },
  {
    name: 'deployment started on February 30th',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, startedAt: '2027-02-30T10:00:00Z' },
    message: 'startedAt',
  },
  {
    name: 'deployment started in year 9999',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, startedAt: '9999-12-31T00:00:00Z' },
    message: 'startedAt',
  },
  {
    name: 'deployment finished in year 9999',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, finishedAt: '9999-12-31T00:00:00Z' },
    message: 'finishedAt',
  },
  {
    name: 'deployment finishing before it started, in another offset',
    method: 'post',
    path: '/deployments',
    body: { ...deployment, finishedAt: '2026-11-20T10:30:00+01:00' },
    message: 'finishedAt',
  },
  {
    name: 'drill started in year 9999',
    method: 'post',
    path: '/drills',
    body: { ...drill, startedAt: '9999-01-01T00:00:00Z' },
    message: 'startedAt',
  },
  {
    name: 'drill started on February 30th',
    method: 'post',
    path: '/drills',
    body: { ...drill, startedAt: '2027-02-30T00:00:00Z' },
    message: 'startedAt',
  },
  {
    name: 'drill finishing before it started, in another offset',
    method: 'patch',
    path: '/drills/{drill}',
    body: { status: 'passed', finishedAt: '2026-11-20T11:00:00+02:00' },
    message: 'finishedAt',
  },
  {
    name: 'step finishing before it started',
    method: 'put',
    path: '/drills/{drill}/steps/restore',
    body: {
      status: 'succeeded',
      startedAt: '2026-11-20T10:05:00Z',
      finishedAt: '2026-11-20T10:04:00Z',
    },
    message: 'finishedAt',
  },
  {
    name: 'step finishing before it started, in another offset',
    method: 'put',
    path: '/drills/{drill}/steps/restore',
    body: {
      status: 'succeeded',
      startedAt: '2026-11-20T10:05:00Z',
      finishedAt: '2026-11-20T11:04:00+01:00',
    },
    message: 'finishedAt',
  },
  {
    name: 'step finished in year 9999',
    method: 'put',
    path: '/drills/{drill}/steps/restore',
    body: {
      status: 'succeeded',
      startedAt: '2026-11-20T10:05:00Z',
      finishedAt: '9999-01-01T00:00:00Z',
    },
    message: 'finishedAt',
  },
  {
    name: 'DORA window starting on February 30th',
    method: 'get',
    path: `/dora?${PAYMENTS}&from=2027-02-30T00:00:00Z&to=2027-03-10T00:00:00Z`,
    message: 'from',
  },
];

describe('malformed requests', () => {
  it(`runs on PostgreSQL too (${POSTGRES_VARIABLE} names a server: scripts/postgres-for-tests.sh starts one)`, () => {
    // Without a server TestDatabases drops POSTGRES_15 from the list and the
    // PostgreSQL cases would vanish instead of failing.
    expect(databases.supports('POSTGRES_15')).toBe(true);
  });

  it('has a table of at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    refusesMalformedRequests(databaseId);
  });
});

function refusesMalformedRequests(databaseId: TestDatabaseId) {
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
        mockServices.database.factory({
          knex: await databases.init(databaseId),
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

  it.each(cases)(
    'refuses $name',
    async ({ method, path, body, json, status, message }) => {
      const before = await snapshot();
      const url = `/api/ops${path
        .replace('{incident}', incidentId)
        .replace('{drill}', drillId)}`;
      let req = request(server)[method](url);
      const payload =
        json ?? (body === undefined ? body : JSON.stringify(body));
      if (payload !== undefined) {
        req = req.set('Content-Type', 'application/json').send(payload);
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

  // The failover names its steps this way (a Patroni switchover, a retry):
  // refusing them failed a real switchover half-way.
  it.each(['Switch over (Patroni)', 'Promote (attempt 2)'])(
    'accepts the step name %s',
    async name => {
      const res = await request(server)
        .put(`/api/ops/drills/${drillId}/steps/${encodeURIComponent(name)}`)
        .send({ status: 'running' });
      expect(res.status).toBe(200);
      expect(
        res.body.steps.map((step: { name: string }) => step.name),
      ).toContain(name);
    },
  );
}
