import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AddressInfo } from 'node:net';
import { opsPlugin } from '../../plugin';

export const OWNER_REF = 'user:default/owner';
export const OUTSIDER_REF = 'user:default/outsider';

export const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: {
      'opsdeck.dev/oncall-schedule': 'payments-primary',
      'opsdeck.dev/databases': 'payments-db',
      'backstage.io/kubernetes-id': 'payments-api',
    },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

function userOf(credentials: BackstageCredentials) {
  return (credentials.principal as { userEntityRef?: string }).userEntityRef;
}

/** An audit log entry as the test reads it. */
export interface AuditEntry {
  eventId: string;
  meta?: object;
  outcome: 'succeeded' | 'failed';
}

/**
 * A running backend with the ops plugin and Backstage's own MCP actions
 * plugin (real actions registry and actions service, over HTTP), a catalog
 * with payments-api, and a permission policy under which only the outsider
 * may not write (the ownership rule the real policy applies).
 */
export async function startMcpTestBackend() {
  const auditor = mockServices.auditor.mock();
  const audit: AuditEntry[] = [];
  auditor.createEvent.mockImplementation(async ({ eventId, meta }) => ({
    success: async () => {
      audit.push({ eventId, meta, outcome: 'succeeded' });
    },
    fail: async () => {
      audit.push({ eventId, meta, outcome: 'failed' });
    },
  }));
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mcpActionsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { actions: { pluginSources: ['ops'] } },
          mcpActions: { name: 'OpsDeck' },
          ops: {
            databases: {
              'payments-db': { entities: ['component:default/payments-api'] },
            },
            oncall: {
              schedules: {
                'payments-primary': {
                  rotation: { timeZone: 'Europe/Berlin', start: '2026-01-05' },
                  layers: [{ level: 'primary', participants: [OWNER_REF] }],
                },
              },
            },
          },
        },
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalogServiceMock({ entities: [paymentsApi] }),
      }),
      mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(() => ({
            result:
              userOf(options.credentials) === OUTSIDER_REF
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
      auditor.factory,
    ],
  });
  const { port } = server.address() as AddressInfo;
  return { server, audit, baseUrl: `http://localhost:${port}` };
}

/** An MCP client of the backend's MCP server, signed in with `authorization`. */
export async function connectMcpClient(baseUrl: string, authorization: string) {
  const client = new Client({ name: 'opsdeck-test-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`${baseUrl}/api/mcp-actions/v1`),
      {
        requestInit: { headers: { Authorization: authorization } },
      },
    ),
  );
  return client;
}
