import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import request from 'supertest';
import { opsPlugin } from '../plugin';

const paymentsApi = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};
const channel = 'opsdeck:entity:component:default/payments-api';

// The signals the plugin publishes, in order. The signals backend's delivery
// to browsers is Backstage's; the e2e test (liveCards.test.ts) sees it work.
// (A test backend gives each plugin its own mock events service, so the real
// signals backend would hear nothing here.)
async function startBackend() {
  const published: SignalPayload[] = [];
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async signal => {
            published.push(signal);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' } },
      }),
      catalogServiceMock.factory({ entities: [paymentsApi] }),
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }).factory,
    ],
  });
  return { server, published };
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

jest.setTimeout(60_000);

describe('live cards', () => {
  it('tells the open pages of the entity which record changed, and nothing else', async () => {
    const { server, published } = await startBackend();
    const alice = mockCredentials.user.header('user:default/alice');

    const declared = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', alice)
      .send({
        entityRef: 'component:default/payments-api',
        title: 'Checkout returns 502',
        severity: 'SEV2',
        summary: 'Card payments fail for customers in the EU',
      })
      .expect(201);
    const drill = await request(server)
      .post('/api/ops/drills')
      .set('Authorization', alice)
      .send({
        entityRef: 'component:default/payments-api',
        kind: 'backup-restore',
        target: 'payments-db',
      })
      .expect(201);
    await request(server)
      .put(`/api/ops/drills/${drill.body.id}/steps/restore`)
      .set('Authorization', alice)
      .send({ status: 'running' })
      .expect(200);
    await request(server)
      .patch(`/api/ops/drills/${drill.body.id}`)
      .set('Authorization', alice)
      .send({ status: 'passed' })
      .expect(200);

    await until(() => published.length >= 4, 'four signals');
    // Everyone on the entity's channel hears of it (readers of an entity
    // cannot be listed); so the message names the record and the change, and
    // carries no title, summary or step output: the card reads those
    // through the API, which answers only readers of the entity.
    const broadcast = { recipients: { type: 'broadcast' }, channel };
    expect(published).toEqual([
      {
        ...broadcast,
        message: {
          kind: 'incident',
          id: declared.body.id,
          type: 'incident.declared',
        },
      },
      {
        ...broadcast,
        message: { kind: 'drill', id: drill.body.id, type: 'drill.started' },
      },
      {
        ...broadcast,
        message: { kind: 'drill', id: drill.body.id, type: 'drill.step' },
      },
      {
        ...broadcast,
        message: { kind: 'drill', id: drill.body.id, type: 'drill.changed' },
      },
    ]);
  });
});
