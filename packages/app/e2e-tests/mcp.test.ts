import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { test, expect, type APIRequestContext } from '@playwright/test';
import { openOperationsTab, signInAsGuest } from './navigation';

// An agent on OpsDeck's MCP server (README "MCP"), with the official
// TypeScript SDK client, against the running portal: the tools it lists, the
// facts it reads, a declaration as the owner (the guest's team owns
// payments-api) and a refusal as a non-owner (the engineering department owns
// the commerce system, and the guest is a member of its teams, not of it), and
// a failover plan that leaves the demo's primary and replica as they were.

const BACKEND = 'http://localhost:7007';
const MCP_SERVER = `${BACKEND}/api/mcp-actions/v1/opsdeck`;
const PAYMENTS = 'component:default/payments-api';
const NOT_THE_GUESTS = 'system:default/commerce';
const ROOT = path.resolve(__dirname, '../../..');
const CONNECTION_FILE = path.join(
  process.env.OPSDECK_DEMO_DIR ?? path.join(ROOT, '.run/demo'),
  'postgres/payments-db.env',
);

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

function textOf(result: ToolResult): string {
  const [first] = result.content as Array<{ type: string; text?: string }>;
  return first?.text ?? '';
}

/** The tool's structured output; fails the test with its text when it erred. */
function outputOf(result: ToolResult): any {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent;
}

/**
 * `slos` with what Prometheus answers of the moment (burn rates, budget
 * figures, the evaluation time) replaced by its type; names, objectives,
 * indicators and states stay.
 */
function withoutFigures(slos: unknown): unknown {
  return JSON.parse(
    JSON.stringify(slos, (key, v) => {
      if (key === 'evaluatedAt') return typeof v;
      return typeof v === 'number' && key !== 'objective' ? 'number' : v;
    }),
  );
}

/** A guest sign-in's Backstage token, as the portal's frontend holds it. */
async function guestToken(request: APIRequestContext): Promise<string> {
  const refresh = await request.post(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(refresh.status(), await refresh.text()).toBe(200);
  return (await refresh.json()).backstageIdentity.token;
}

/** Whether the demo's payments-db server on `port` is a replica. */
function inRecovery(port: number): boolean {
  const bin = process.env.OPSDECK_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  const out = execFileSync(
    path.join(bin, 'psql'),
    [
      ...['-h', '127.0.0.1', '-p', String(port), '-U', 'payments_app'],
      ...['-d', 'payments', '-XAtc', 'SELECT pg_is_in_recovery()'],
    ],
    { env: { ...process.env, PGPASSWORD: 'payments-demo-only' } },
  );
  return out.toString().trim() === 't';
}

test.describe('the OpsDeck MCP server', () => {
  let client: Client;
  let token: string;

  test.beforeAll(async ({ playwright }) => {
    const request = await playwright.request.newContext();
    token = await guestToken(request);
    await request.dispose();
    client = new Client({ name: 'opsdeck-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(MCP_SERVER), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
  });

  test.afterAll(async () => {
    await client?.close();
  });

  const api = async (request: APIRequestContext, url: string) => {
    const response = await request.get(`${BACKEND}/api/ops${url}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status(), await response.text()).toBe(200);
    return response.json();
  };

  test("lists OpsDeck's tools, and reads a service's facts as the HTTP API answers them", async ({
    request,
  }) => {
    const { tools } = await client.listTools();
    expect(tools.map(tool => tool.name).sort()).toEqual([
      'ops.add-incident-note',
      'ops.declare-incident',
      'ops.get-drill-report',
      'ops.get-incident',
      'ops.get-oncall',
      'ops.get-service-operations',
      'ops.list-incidents',
      'scaffolder.plan-failover',
      'scaffolder.plan-rollback',
    ]);

    // The demo is live (Prometheus scrapes, the drills' schedule): the tool's
    // answer and the HTTP API's are compared until one pair is taken between
    // two changes.
    const q = `entityRef=${encodeURIComponent(PAYMENTS)}`;
    await expect(async () => {
      const facts = outputOf(
        await client.callTool({
          name: 'ops.get-service-operations',
          arguments: { entityRef: 'payments-api' },
        }),
      );
      expect(facts.entityRef).toBe(PAYMENTS);
      expect(facts.readiness).toEqual(await api(request, `/readiness?${q}`));
      const open = await api(
        request,
        `/incidents?${q}&status=open&status=investigating&status=mitigated`,
      );
      expect(facts.openIncidents).toEqual(open.items);
      const onCall = await api(request, `/oncall?${q}`);
      expect(facts.onCall).toEqual({ ...onCall, at: facts.onCall.at });
      // The example schedule of payments-api names its primary on-call.
      expect(facts.onCall.levels[0].current.userRef).toMatch(/^user:/);
      const deployments = await api(request, `/deployments?${q}&limit=1`);
      expect(facts.lastDeployment).toEqual(deployments.items[0]);
      expect(facts.lastDeployment.version).toBeTruthy();
      // The same SLOs and states; the burn rates are Prometheus's of the
      // moment each was asked.
      const slos = await api(request, `/slos?${q}`);
      expect(withoutFigures(facts.slos)).toEqual(withoutFigures(slos));
    }).toPass({ timeout: 30_000 });
  });

  test('declares an incident for its owner, shown on the Operations tab, and refuses a non-owner', async ({
    page,
    request,
  }) => {
    const title = `Checkout errors seen by an agent ${Date.now()}`;
    const declared = outputOf(
      await client.callTool({
        name: 'ops.declare-incident',
        arguments: {
          entityRef: 'payments-api',
          title,
          severity: 'SEV3',
          summary: 'Declared through the MCP server by the end-to-end test',
        },
      }),
    );
    expect(declared.incident).toMatchObject({
      entityRef: PAYMENTS,
      title,
      status: 'open',
      createdBy: 'user:default/guest',
    });

    try {
      // A person sees it where they look for incidents.
      await signInAsGuest(page);
      await openOperationsTab(page, 'payments-api');
      await expect(page.getByText(title)).toBeVisible();

      const q = `entityRef=${encodeURIComponent(NOT_THE_GUESTS)}`;
      const before = await api(request, `/incidents?${q}`);
      const refused = await client.callTool({
        name: 'ops.declare-incident',
        arguments: {
          entityRef: NOT_THE_GUESTS,
          title: 'Not mine to declare',
          severity: 'SEV1',
        },
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toBe(
        `NotAllowedError: You are not allowed to ops.incident.write on ${NOT_THE_GUESTS}; it is reserved to the members of its owning group and OpsDeck admins`,
      );
      expect((await api(request, `/incidents?${q}`)).items).toEqual(
        before.items,
      );
    } finally {
      // Resolved, so the later tests see payments-api as the demo made it.
      const response = await request.patch(
        `${BACKEND}/api/ops/incidents/${declared.incident.id}`,
        {
          headers: { authorization: `Bearer ${token}` },
          data: { version: declared.incident.version, status: 'resolved' },
        },
      );
      expect(response.status(), await response.text()).toBe(200);
    }
  });

  test('plans a failover of payments-db and changes nothing', async () => {
    const connection = fs.readFileSync(CONNECTION_FILE, 'utf8');
    expect(connection).toContain('@127.0.0.1:5455/payments');
    expect([inRecovery(5455), inRecovery(5456)]).toEqual([false, true]);

    const plan = outputOf(
      await client.callTool({
        name: 'scaffolder.plan-failover',
        arguments: { entityRef: 'payments-api', target: 'payments-db' },
      }),
    );
    expect(plan).toMatchObject({
      entityRef: PAYMENTS,
      target: 'payments-db',
      preflightPassed: true,
    });
    expect(plan.refusal).toBeUndefined();
    expect(plan.plan.join('\n')).toContain('127.0.0.1:5456');

    // The primary is still the primary, the replica still replays, and the
    // service's connection still points at the primary.
    expect([inRecovery(5455), inRecovery(5456)]).toEqual([false, true]);
    expect(fs.readFileSync(CONNECTION_FILE, 'utf8')).toBe(connection);
  });
});
