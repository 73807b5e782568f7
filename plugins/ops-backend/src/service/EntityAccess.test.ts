import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityAccess } from './EntityAccess';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

describe('EntityAccess', () => {
  const ref = 'component:default/payments-api';

  function setup(readCacheTtlMs: number) {
    const catalog = catalogServiceMock({ entities: [entity] });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const access = new EntityAccess(catalog, mockServices.permissions(), {
      readCacheTtlMs,
    });
    return { access, getEntityByRef };
  }

  it('asks the catalog once per caller and entity within the time to live', async () => {
    const { access, getEntityByRef } = setup(60_000);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    await access.readableEntity(ref, alice);
    await access.readableEntity(ref, alice);
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
    await access.readableEntity(ref, bob);
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('asks again once the time to live has passed', async () => {
    const { access, getEntityByRef } = setup(1);
    const alice = mockCredentials.user('user:default/alice');
    await access.readableEntity(ref, alice);
    await new Promise(resolve => setTimeout(resolve, 5));
    await access.readableEntity(ref, alice);
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('never remembers a refusal', async () => {
    const { access, getEntityByRef } = setup(60_000);
    const alice = mockCredentials.user('user:default/alice');
    const unknown = 'component:default/unknown';
    await expect(access.readableEntity(unknown, alice)).rejects.toThrow(
      "No entity found for ref 'component:default/unknown'",
    );
    await expect(access.readableEntity(unknown, alice)).rejects.toThrow();
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });
});
