import { mockCredentials } from '@backstage/backend-test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import request from 'supertest';
import {
  connectMcpClient,
  OUTSIDER_REF,
  OWNER_REF,
  startMcpTestBackend,
} from './__testUtils__/mcpTestBackend';

// Each call crosses the MCP server, the actions service and the ops plugin
// over HTTP: on a loaded machine more than jest's 5 s default.
jest.setTimeout(30_000);

const PAYMENTS = 'component:default/payments-api';

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

function textOf(result: ToolResult): string {
  const [first] = result.content as Array<{ type: string; text?: string }>;
  return first?.text ?? '';
}

/** The tool's structured output; fails the test with its text when it erred. */
function outputOf(result: ToolResult): any {
  if (result.isError) {
    throw new Error(`tool failed: ${textOf(result)}`);
  }
  return result.structuredContent;
}

describe('OpsDeck actions through the MCP server', () => {
  let backend: Awaited<ReturnType<typeof startMcpTestBackend>>;
  let owner: Client;
  const asOwner = mockCredentials.user.header(OWNER_REF);

  beforeAll(async () => {
    backend = await startMcpTestBackend();
    owner = await connectMcpClient(backend.baseUrl, asOwner);
  });

  afterAll(async () => {
    await owner?.close();
  });

  it("lists OpsDeck's tools with honest attributes", async () => {
    const { tools } = await owner.listTools();
    const byName = new Map(tools.map(tool => [tool.name, tool]));
    expect([...byName.keys()].sort()).toEqual([
      'ops.add-incident-note',
      'ops.declare-incident',
      'ops.get-drill-report',
      'ops.get-incident',
      'ops.get-oncall',
      'ops.get-service-operations',
      'ops.list-incidents',
    ]);
    for (const name of [
      'ops.get-service-operations',
      'ops.list-incidents',
      'ops.get-incident',
      'ops.get-drill-report',
      'ops.get-oncall',
    ]) {
      expect(byName.get(name)?.annotations).toMatchObject({
        readOnlyHint: true,
        idempotentHint: true,
        destructiveHint: false,
      });
    }
    expect(byName.get('ops.declare-incident')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
    // An agent reads what to pass from the schema's descriptions.
    expect(
      byName.get('ops.declare-incident')?.inputSchema.properties?.severity,
    ).toMatchObject({ description: expect.stringContaining('SEV1') });
  });

  it('get-service-operations answers the facts the HTTP API answers', async () => {
    const http = request(backend.server);
    const at = new Date(Date.now() - 60_000).toISOString();
    await http
      .post('/api/ops/incidents')
      .set('Authorization', asOwner)
      .send({ entityRef: PAYMENTS, title: 'Checkout slow', severity: 'SEV3' })
      .expect(201);
    await http
      .post('/api/ops/deployments')
      .set('Authorization', asOwner)
      .send({
        entityRef: PAYMENTS,
        environment: 'production',
        version: '1.4.2',
        startedAt: at,
        status: 'succeeded',
      })
      .expect(201);
    const drill = await http
      .post('/api/ops/drills')
      .set('Authorization', asOwner)
      .send({
        entityRef: PAYMENTS,
        kind: 'backup-restore',
        target: 'payments-db',
      })
      .expect(201);
    await http
      .patch(`/api/ops/drills/${drill.body.id}`)
      .set('Authorization', asOwner)
      .send({
        status: 'passed',
        finishedAt: new Date().toISOString(),
        rtoSeconds: 120,
        rpoSeconds: 4000,
      })
      .expect(200);

    const facts = outputOf(
      await owner.callTool({
        name: 'ops.get-service-operations',
        arguments: { entityRef: 'payments-api' },
      }),
    );
    const get = async (path: string) =>
      (await http.get(path).set('Authorization', asOwner).expect(200)).body;
    const q = `entityRef=${encodeURIComponent(PAYMENTS)}`;

    expect(facts.entityRef).toBe(PAYMENTS);
    expect(facts.readiness).toEqual(await get(`/api/ops/readiness?${q}`));
    const open = await get(
      `/api/ops/incidents?${q}&status=open&status=investigating&status=mitigated`,
    );
    expect(facts.openIncidents).toEqual(open.items);
    expect(facts.openIncidents.map((i: any) => i.title)).toEqual([
      'Checkout slow',
    ]);
    const onCall = await get(`/api/ops/oncall?${q}`);
    expect(facts.onCall).toEqual({ ...onCall, at: facts.onCall.at });
    expect(facts.onCall.levels[0].current.userRef).toBe(OWNER_REF);
    const deployments = await get(`/api/ops/deployments?${q}&limit=1`);
    expect(facts.lastDeployment).toEqual(deployments.items[0]);
    const dora = await get(`/api/ops/dora?${q}`);
    expect(facts.dora).toEqual({ ...dora, window: facts.dora.window });
    const slos = await get(`/api/ops/slos?${q}`);
    expect(facts.slos).toEqual(slos);
    // The drill against its objectives (default RTO 1 h, RPO 15 min).
    expect(facts.lastDrills).toEqual([
      expect.objectContaining({
        target: 'payments-db',
        drillId: drill.body.id,
        status: 'passed',
        rtoSeconds: 120,
        rpoSeconds: 4000,
        verdict: { rto: 'met', rpo: 'missed' },
      }),
    ]);

    // The detail tools answer the same records.
    const report = outputOf(
      await owner.callTool({
        name: 'ops.get-drill-report',
        arguments: {
          entityRef: PAYMENTS,
          target: 'payments-db',
          kind: 'backup-restore',
        },
      }),
    );
    expect(report).toEqual({
      drill: await get(`/api/ops/drills/${drill.body.id}`),
      objectives: { rto: 'met', rpo: 'missed' },
    });
    const whoIsOnCall = outputOf(
      await owner.callTool({
        name: 'ops.get-oncall',
        arguments: { entityRef: PAYMENTS },
      }),
    );
    expect(whoIsOnCall).toEqual({ ...onCall, at: whoIsOnCall.at });
  });

  it('lets an owner declare an incident and note it, audited as theirs', async () => {
    const declared = outputOf(
      await owner.callTool({
        name: 'ops.declare-incident',
        arguments: {
          entityRef: PAYMENTS,
          title: 'Card payments fail',
          severity: 'SEV2',
          summary: 'Error rate 12% since 14:05 UTC',
        },
      }),
    );
    expect(declared.incident).toMatchObject({
      entityRef: PAYMENTS,
      title: 'Card payments fail',
      status: 'open',
      createdBy: OWNER_REF,
    });
    const id = declared.incident.id;
    outputOf(
      await owner.callTool({
        name: 'ops.add-incident-note',
        arguments: { incidentId: id, message: 'Pool exhausted after 1.4.2' },
      }),
    );

    const http = await request(backend.server)
      .get(`/api/ops/incidents/${id}/events`)
      .set('Authorization', asOwner)
      .expect(200);
    expect(http.body.items.map((e: any) => [e.type, e.author])).toEqual([
      ['created', OWNER_REF],
      ['note', OWNER_REF],
    ]);
    const fetched = outputOf(
      await owner.callTool({ name: 'ops.get-incident', arguments: { id } }),
    );
    expect(fetched.incident).toEqual(
      (
        await request(backend.server)
          .get(`/api/ops/incidents/${id}`)
          .set('Authorization', asOwner)
      ).body,
    );
    expect(fetched.timeline).toEqual(http.body.items);
    expect(backend.audit).toEqual(
      expect.arrayContaining([
        {
          eventId: 'incident-create',
          meta: expect.objectContaining({
            entityRef: PAYMENTS,
            severity: 'SEV2',
            actor: OWNER_REF,
          }),
          outcome: 'succeeded',
        },
        {
          eventId: 'incident-event-append',
          meta: expect.objectContaining({ incidentId: id, actor: OWNER_REF }),
          outcome: 'succeeded',
        },
      ]),
    );
  });

  it('refuses a non-owner with a clear message and records nothing', async () => {
    const outsider = await connectMcpClient(
      backend.baseUrl,
      mockCredentials.user.header(OUTSIDER_REF),
    );
    try {
      const before = await outsider.callTool({
        name: 'ops.list-incidents',
        arguments: { entityRef: PAYMENTS },
      });
      const refused = await outsider.callTool({
        name: 'ops.declare-incident',
        arguments: {
          entityRef: PAYMENTS,
          title: 'Not mine to declare',
          severity: 'SEV1',
        },
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toBe(
        'NotAllowedError: You are not allowed to ops.incident.write on component:default/payments-api; it is reserved to the members of its owning group and OpsDeck admins',
      );
      const after = await outsider.callTool({
        name: 'ops.list-incidents',
        arguments: { entityRef: PAYMENTS },
      });
      expect(outputOf(after).items).toEqual(outputOf(before).items);
      expect(backend.audit).toContainEqual({
        eventId: 'incident-create',
        meta: expect.objectContaining({ actor: OUTSIDER_REF }),
        outcome: 'failed',
      });
    } finally {
      await outsider.close();
    }
  });

  it('refuses a service token as the HTTP API does, naming ops.principals', async () => {
    const service = await connectMcpClient(
      backend.baseUrl,
      mockCredentials.service.header(),
    );
    try {
      const refused = await service.callTool({
        name: 'ops.get-oncall',
        arguments: { entityRef: PAYMENTS },
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain(
        "NotAllowedError: The service 'external:test-service' may not call this route: it is for users",
      );
    } finally {
      await service.close();
    }
  });

  it('gives an agent a usable error for bad input', async () => {
    const result = await owner.callTool({
      name: 'ops.get-drill-report',
      arguments: {},
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'InputError: get-drill-report needs either id or entityRef (with an optional target and kind)',
    );
  });
});
