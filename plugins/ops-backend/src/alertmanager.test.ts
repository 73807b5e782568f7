import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { opsPlugin } from './plugin';
import {
  oncallEntities,
  oncallSchedules,
} from './__testUtils__/oncallFixtures';
import { freePort, startProcess, waitFor } from './__testUtils__/processes';

// Acceptance: the real Alertmanager (Debian prometheus-alertmanager), fed
// alerts through its v2 API, notifies the OpsDeck webhook of a backend that
// authenticates it with a static external access token, exactly as in
// app-config.yaml. Ports come from 9300-9349.

const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';
jest.setTimeout(120_000);

const available = existsSync(ALERTMANAGER_BIN);
if (!available) {
  // Tell why the suite does nothing instead of failing obscurely.
  // eslint-disable-next-line no-console
  console.warn(
    `${ALERTMANAGER_BIN} is missing: install prometheus-alertmanager (scripts/system-packages.sh)`,
  );
}

(available ? describe : describe.skip)('with a real Alertmanager', () => {
  const token = randomBytes(24).toString('hex');
  // The test reads incidents as a module of the ops plugin (plugin:ops), the
  // one service besides users that may read records (a static token may
  // call only the routes ops.principals names it for).
  let readerToken: string;
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-alertmanager-'));
  const webhookCalls: string[] = [];
  let backendUrl: string;
  let alertmanagerUrl: string;
  let alertmanager: ReturnType<typeof startProcess>;
  let backend: ReturnType<typeof createBackend>;

  beforeAll(async () => {
    const backendPort = await freePort(9300, 9319);
    backendUrl = `http://127.0.0.1:${backendPort}`;
    const auditor = mockServices.auditor.mock();
    auditor.createEvent.mockImplementation(async ({ eventId }) => {
      if (eventId === 'alertmanager-webhook') webhookCalls.push(eventId);
      return { success: async () => {}, fail: async () => {} };
    });
    // A production backend (real auth, HTTP server, database service) on a
    // port of our range; only config, catalog and auditor are test doubles.
    backend = createBackend();
    backend.add(opsPlugin);
    backend.add(
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            baseUrl: backendUrl,
            listen: { host: '127.0.0.1', port: backendPort },
            database: { client: 'better-sqlite3', connection: ':memory:' },
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token, subject: 'alertmanager' },
                  accessRestrictions: [{ plugin: 'ops' }],
                },
              ],
            },
          },
          permission: { enabled: false },
          ops: {
            oncall: { schedules: oncallSchedules },
            principals: { alertmanager: ['alertmanager'] },
          },
        },
      }),
    );
    // Like the real catalog client, refuse credentials whose access
    // restrictions do not include the catalog (the token is limited to ops).
    const catalog = catalogServiceMock({ entities: oncallEntities });
    const guarded = <T extends (...args: any[]) => any>(call: T) =>
      ((...args: any[]) => {
        const { credentials } = args[args.length - 1];
        if (credentials?.principal?.accessRestrictions) {
          throw new Error(
            "Access to target plugin 'catalog' is not included in token's access restrictions",
          );
        }
        return call.apply(catalog, args);
      }) as T;
    backend.add(
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => ({
          ...catalog,
          getEntityByRef: guarded(catalog.getEntityByRef),
          getEntitiesByRefs: guarded(catalog.getEntitiesByRefs),
          getEntities: guarded(catalog.getEntities),
        }),
      }),
    );
    backend.add(
      createBackendModule({
        pluginId: 'ops',
        moduleId: 'test-reader',
        register(env) {
          env.registerInit({
            deps: { auth: coreServices.auth },
            async init({ auth }) {
              ({ token: readerToken } = await auth.getPluginRequestToken({
                onBehalfOf: await auth.getOwnServiceCredentials(),
                targetPluginId: 'ops',
              }));
            },
          });
        },
      }),
    );
    backend.add(auditor.factory);
    backend.add(mockServices.rootLogger.factory());
    await backend.start();

    const alertmanagerPort = await freePort(9320, 9339);
    alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      JSON.stringify({
        route: {
          receiver: 'opsdeck',
          group_by: ['alertname', 'service'],
          group_wait: '1s',
          group_interval: '2s',
          repeat_interval: '4s',
        },
        receivers: [
          {
            name: 'opsdeck',
            webhook_configs: [
              {
                url: `${backendUrl}/api/ops/alerts/alertmanager`,
                send_resolved: true,
                http_config: { authorization: { credentials: token } },
              },
            ],
          },
        ],
      }),
    );
    alertmanager = startProcess(ALERTMANAGER_BIN, [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
      '--cluster.listen-address=',
      '--log.level=info',
    ]);
    await waitFor(`Alertmanager ready at ${alertmanagerUrl}`, async () => {
      if (alertmanager.child.exitCode !== null) {
        throw new Error(`exited: ${alertmanager.output()}`);
      }
      const response = await fetch(`${alertmanagerUrl}/-/ready`);
      return response.ok ? true : undefined;
    });
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await backend?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ops = () => request(backendUrl);
  const auth = () => `Bearer ${token}`;
  const reader = () => `Bearer ${readerToken}`;

  async function postAlerts(
    alerts: Array<{ instance: string; endsAt: Date }>,
  ): Promise<void> {
    const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(
        alerts.map(({ instance, endsAt }) => ({
          labels: {
            alertname: 'HighErrorRate',
            service: 'payments-api',
            severity: 'critical',
            instance,
          },
          annotations: { summary: 'Error rate above 5%' },
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          endsAt: endsAt.toISOString(),
          generatorURL: 'http://prometheus.example.com/graph',
        })),
      ),
    });
    expect(response.status).toBe(200);
  }

  async function incidents() {
    const response = await ops()
      .get('/api/ops/incidents?entityRef=component:default/payments-api')
      .set('Authorization', reader());
    expect(response.status).toBe(200);
    return response.body.items as Array<{
      id: string;
      status: string;
      severity: string;
      labels: Record<string, string>;
    }>;
  }

  async function timeline(id: string): Promise<string[]> {
    const response = await ops()
      .get(`/api/ops/incidents/${id}/events`)
      .set('Authorization', reader());
    return response.body.items.map((e: { message: string }) => e.message);
  }

  it('refuses unauthenticated and malformed webhook calls, writing nothing', async () => {
    const body = {
      version: '4',
      groupKey: 'g',
      status: 'firing',
      receiver: 'opsdeck',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: alertmanagerUrl,
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'X', service: 'payments-api' },
          annotations: {},
          startsAt: new Date().toISOString(),
          fingerprint: 'abc',
        },
      ],
    };
    await ops().post('/api/ops/alerts/alertmanager').send(body).expect(401);
    await ops()
      .post('/api/ops/alerts/alertmanager')
      .set('Authorization', 'Bearer wrong-token-0123456789')
      .send(body)
      .expect(401);
    const malformed = await ops()
      .post('/api/ops/alerts/alertmanager')
      .set('Authorization', auth())
      .send({ ...body, alerts: 'none' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/alerts/);
    expect(await incidents()).toEqual([]);
  });

  it('opens an incident, groups repeat firings into it and mitigates it on resolution', async () => {
    const inAnHour = new Date(Date.now() + 3600_000);
    await postAlerts([{ instance: 'a', endsAt: inAnHour }]);

    const [incident] = await waitFor(
      `an incident (Alertmanager log: ${alertmanager.output()})`,
      async () => {
        const items = await incidents();
        return items.length > 0 ? items : undefined;
      },
    );
    expect(incident).toMatchObject({
      status: 'open',
      severity: 'SEV1',
      labels: {
        source: 'alertmanager',
        alertname: 'HighErrorRate',
        runbook:
          'http://localhost:3000/docs/default/component/payments-api/runbooks/high-error-rate/',
      },
    });

    // A second instance fires: same group, same incident.
    await postAlerts([
      { instance: 'a', endsAt: inAnHour },
      { instance: 'b', endsAt: inAnHour },
    ]);
    await waitFor('the second alert on the timeline', async () =>
      (
        await timeline(incident.id)
      ).includes('Alertmanager: 1 more alert firing (HighErrorRate)')
        ? true
        : undefined,
    );
    // Alertmanager repeats the notification (repeat_interval 4s): no new incident.
    const callsBefore = webhookCalls.length;
    await waitFor('a repeated notification', async () =>
      webhookCalls.length >= callsBefore + 1 ? true : undefined,
    );
    expect((await incidents()).map(i => i.id)).toEqual([incident.id]);

    // Both resolve.
    const now = new Date();
    await postAlerts([
      { instance: 'a', endsAt: now },
      { instance: 'b', endsAt: now },
    ]);
    const mitigated = await waitFor('the incident mitigated', async () => {
      const [current] = await incidents();
      return current.status === 'mitigated' ? current : undefined;
    });
    expect(mitigated.id).toBe(incident.id);
    expect(await incidents()).toHaveLength(1);
    expect(await timeline(incident.id)).toEqual([
      'Declared SEV1: HighErrorRate: Error rate above 5%',
      'Alertmanager: 1 alert firing (HighErrorRate)',
      'Alertmanager: 1 more alert firing (HighErrorRate)',
      'Alertmanager: 2 alerts resolved (HighErrorRate)',
      'Status open → mitigated',
    ]);
  });
});
