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

  it('waits for the catalog once the answer is older than twice the time to live', async () => {
    const { access, getEntityByRef } = setup(1);
    const alice = mockCredentials.user('user:default/alice');
    await access.readableEntity(ref, alice);
    await new Promise(resolve => setTimeout(resolve, 5));
    await access.readableEntity(ref, alice);
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });

  describe('after the time to live', () => {
    beforeEach(() => jest.useFakeTimers({ now: 0 }));
    afterEach(() => jest.useRealTimers());

    it('answers at once and asks the catalog again in the background', async () => {
      const { access, getEntityByRef } = setup(1000);
      const alice = mockCredentials.user('user:default/alice');
      await access.readableEntity(ref, alice);
      jest.setSystemTime(1500);
      let release!: () => void;
      getEntityByRef.mockImplementationOnce(async () => {
        await new Promise<void>(resolve => (release = resolve));
        return entity;
      });
      // three readers of a stale answer: none waits, one refresh for all
      await expect(access.readableEntity(ref, alice)).resolves.toBe(entity);
      await access.readableEntity(ref, alice);
      await access.readableEntity(ref, alice);
      expect(getEntityByRef).toHaveBeenCalledTimes(2);
      release();
      await Promise.resolve();
      jest.setSystemTime(2400);
      await access.readableEntity(ref, alice);
      expect(getEntityByRef).toHaveBeenCalledTimes(2);
    });

    it('forgets the entity when the refresh finds it gone', async () => {
      const { access, getEntityByRef } = setup(1000);
      const alice = mockCredentials.user('user:default/alice');
      await access.readableEntity(ref, alice);
      jest.setSystemTime(1500);
      getEntityByRef.mockResolvedValueOnce(undefined);
      await access.readableEntity(ref, alice);
      await new Promise(jest.requireActual('timers').setImmediate);
      getEntityByRef.mockResolvedValueOnce(undefined);
      await expect(access.readableEntity(ref, alice)).rejects.toThrow(
        "No entity found for ref 'component:default/payments-api'",
      );
    });

    it('shares one catalog request between concurrent first readers', async () => {
      const { access, getEntityByRef } = setup(1000);
      const alice = mockCredentials.user('user:default/alice');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => access.readableEntity(ref, alice)),
      );
      expect(answers).toEqual(Array(5).fill(entity));
      expect(getEntityByRef).toHaveBeenCalledTimes(1);
    });
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
