import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ReadinessReport } from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';
import { createReadinessCheckAction } from './readinessCheck';

const report: ReadinessReport = {
  entityRef: 'component:default/orders-api',
  present: 2,
  total: 3,
  items: [
    {
      id: 'slos',
      title: 'SLOs defined',
      status: 'present',
      detail: 'OpenSLO documents at ./slos.yaml',
      documentationUrl: 'http://localhost:3000/ops/annotations#openslo',
    },
    {
      id: 'runbooks',
      title: 'Runbooks linked',
      status: 'missing',
      detail: 'Add opsdeck.dev/runbooks',
      documentationUrl: 'http://localhost:3000/ops/annotations#runbooks',
    },
    {
      id: 'rollback',
      title: 'Rollback plan (Kubernetes deployment)',
      status: 'present',
      detail: 'Deployments labelled',
      documentationUrl: 'http://localhost:3000/ops/annotations#kubernetes-id',
    },
  ],
};

describe('ops:readiness:check', () => {
  const getReadiness = jest.fn<
    ReturnType<OpsService['getReadiness']>,
    Parameters<OpsService['getReadiness']>
  >();
  const action = createReadinessCheckAction({ opsClient: { getReadiness } });

  beforeEach(() => {
    getReadiness.mockReset().mockResolvedValue(report);
  });

  function context(input: { entityRef: string; require?: string[] }) {
    return createMockActionContext({ input });
  }

  it('reads the readiness on behalf of the user who runs the template', async () => {
    const ctx = context({
      entityRef: 'component:default/orders-api',
      require: ['slos'],
    });
    await action.handler(ctx);
    expect(getReadiness).toHaveBeenCalledWith(
      { entityRef: 'component:default/orders-api' },
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(await ctx.getInitiatorCredentials()).toEqual(mockCredentials.user());
    expect(ctx.output).toHaveBeenCalledWith('present', 2);
    expect(ctx.output).toHaveBeenCalledWith('total', 3);
    expect(ctx.output).toHaveBeenCalledWith('missing', ['runbooks']);
  });

  it('fails naming the missing items when everything is required', async () => {
    await expect(
      action.handler(context({ entityRef: 'component:default/orders-api' })),
    ).rejects.toThrow(
      'component:default/orders-api is not ready: missing Runbooks linked (http://localhost:3000/ops/annotations#runbooks)',
    );
  });

  it('treats an empty list of required items as all of them', async () => {
    await expect(
      action.handler(
        context({ entityRef: 'component:default/orders-api', require: [] }),
      ),
    ).rejects.toThrow('is not ready: missing Runbooks linked');
  });

  it('refuses an unknown item id instead of ignoring it', async () => {
    await expect(
      action.handler(
        context({
          entityRef: 'component:default/orders-api',
          require: ['slo', 'rollback'],
        }),
      ),
    ).rejects.toThrow(
      'Unknown readiness item(s) slo; the checklist has slos, runbooks, rollback',
    );
  });

  it('passes the backend error through, such as an unknown entity', async () => {
    getReadiness.mockRejectedValue(new Error("No entity found for ref 'x'"));
    await expect(
      action.handler(context({ entityRef: 'component:default/x' })),
    ).rejects.toThrow("No entity found for ref 'x'");
  });
});
