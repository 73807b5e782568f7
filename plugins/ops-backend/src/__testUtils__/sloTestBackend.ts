import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { opsPlugin } from '../plugin';

/**
 * A component whose SLOs are read from `openslo` next to its catalog file,
 * as the SLO tests' entities are.
 */
export function sloEntity(options: {
  name: string;
  catalogFile: string;
  openslo: string;
  owner?: string;
  annotations?: Record<string, string>;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: options.name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${options.catalogFile}`,
        'opsdeck.dev/openslo': options.openslo,
        ...options.annotations,
      },
    },
    spec: {
      type: 'service',
      owner: options.owner ?? 'team-checkout',
      lifecycle: 'production',
    },
  };
}

/**
 * The ops backend evaluating SLOs against the given Prometheus servers, with
 * a catalog of `entities` and every permission allowed: the SLO tests look
 * at the evaluation, not at access (access.test and principals.test do).
 */
export async function startSloTestBackend(options: {
  prometheusServers: Record<string, { baseUrl: string }>;
  entities: Entity[];
}) {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ops: { prometheus: { servers: options.prometheusServers } },
        },
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalogServiceMock({ entities: options.entities }),
      }),
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }).factory,
    ],
  });
  return server;
}
