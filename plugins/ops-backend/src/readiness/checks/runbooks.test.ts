import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { createRunbooksCheck } from './runbooks';

const slos = `
apiVersion: openslo/v1
kind: SLO
metadata: { name: availability }
spec:
  alertPolicies:
    - HighErrorRate
    - kind: AlertPolicy
      metadata: { name: HighLatency }
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: ErrorBudgetBurn }
`;

function entity(runbooks?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      annotations: {
        'opsdeck.dev/openslo': 'https://git.example.com/payments/slos.yaml',
        ...(runbooks ? { 'opsdeck.dev/runbooks': runbooks } : {}),
      },
    },
  };
}

describe('the runbooks readiness check', () => {
  const urlReader = mockServices.urlReader.mock();
  urlReader.readUrl.mockResolvedValue({
    buffer: async () => Buffer.from(slos),
    etag: 'x',
    stream: () => {
      throw new Error('unused');
    },
  } as any);
  const check = createRunbooksCheck({ urlReader });
  const evaluate = (e: Entity) =>
    check.evaluate(e, { credentials: mockCredentials.user() });

  it('wants a runbook for every alert of the SLOs', async () => {
    expect(
      await evaluate(entity('HighErrorRate: runbooks/high-error-rate')),
    ).toEqual({
      status: 'missing',
      detail: 'SLO alerts without a runbook: HighLatency, ErrorBudgetBurn',
    });
    expect(
      await evaluate(
        entity(
          'HighErrorRate: runbooks/a, HighLatency: runbooks/b, ErrorBudgetBurn: runbooks/c',
        ),
      ),
    ).toEqual({
      status: 'present',
      detail: '3 alerts mapped to TechDocs runbooks; all 3 SLO alerts have one',
    });
  });

  it('names entries that do not parse, and says what to add', async () => {
    expect(await evaluate(entity('HighErrorRate'))).toMatchObject({
      status: 'missing',
      detail: expect.stringContaining(': HighErrorRate'),
    });
    expect(await evaluate(entity())).toMatchObject({
      status: 'missing',
      detail: expect.stringContaining('Add opsdeck.dev/runbooks'),
    });
  });
});
