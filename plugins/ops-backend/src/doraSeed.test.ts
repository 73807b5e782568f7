import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
// The history yarn bench:dora seeds, shared with it.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import * as bench from '../../../bench/doraHistory.mjs';
import { opsPlugin } from './plugin';

jest.setTimeout(120_000);

describe('GET /dora on a seeded history of 559 deployments and 50 incidents', () => {
  it('matches the hand computation', async () => {
    const { server } = await startTestBackend({
      features: [
        opsPlugin,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            // The seed writes about 600 records within seconds; the write
            // rate limit is not what this test is about.
            ops: { rateLimit: { writes: false } },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'payments-api', namespace: 'default' },
              spec: {
                type: 'service',
                owner: 'team-payments',
                lifecycle: 'production',
              },
            },
          ],
        }),
      ],
    });
    const entityRef = 'component:default/payments-api';
    const history = bench.doraHistory('2026-08-23', {
      entityRef,
      environment: 'production',
    });
    expect(history.deployments.length).toBeGreaterThanOrEqual(500);
    expect(history.incidents).toHaveLength(50);

    const send =
      (method: 'post' | 'patch') => async (path: string, body: object) => {
        const res = await request(server)[method](`/api/ops${path}`).send(body);
        expect(res.status).toBeLessThan(300);
        return res.body;
      };
    await bench.seedDoraHistory(history, {
      post: send('post'),
      patch: send('patch'),
    });

    const res = await request(server).get(
      `/api/ops/dora?entityRef=${entityRef}&from=${history.window.from}&to=${history.window.to}`,
    );
    expect(res.status).toBe(200);
    expect(bench.compareWithHandComputation(res.body)).toEqual([]);
    expect(res.body.deploymentFrequency.deployments).toBe(
      bench.EXPECTED.deployments,
    );
  });
});
