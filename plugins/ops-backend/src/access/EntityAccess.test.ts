import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityAccess } from './EntityAccess';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};
const team = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};
const other = {
  ...entity,
  metadata: { name: 'orders-api', namespace: 'default' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-orders' }],
};

describe('EntityAccess', () => {
  const ref = 'component:default/payments-api';

  function setup(readCacheTtlMs: number) {
    const catalog = catalogServiceMock({ entities: [entity, other, team] });
    const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const access = new EntityAccess({
      catalog,
      permissions: mockServices.permissions(),
      // Backstage's in-memory cache, as a backend without cache config has.
      cache: CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
        'ops',
      ),
      readCacheTtlMs,
    });
    return { access, getEntitiesByRefs, getEntities };
  }

  it('asks the catalog once per caller and entity within the time to live', async () => {
    const { access, getEntitiesByRefs } = setup(60_000);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    await access.readableEntity(ref, alice);
    await access.readableEntity(ref, alice);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    await access.readableEntity(ref, bob);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
  });

  it('waits for the catalog once the answer is older than twice the time to live', async () => {
    const { access, getEntitiesByRefs } = setup(1);
    const alice = mockCredentials.user('user:default/alice');
    await access.readableEntity(ref, alice);
    await new Promise(resolve => setTimeout(resolve, 5));
    await access.readableEntity(ref, alice);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
  });

  describe('after the time to live', () => {
    // Batches are sent on setImmediate, which stays real.
    beforeEach(() =>
      jest.useFakeTimers({ now: 0, doNotFake: ['setImmediate'] }),
    );
    afterEach(() => jest.useRealTimers());

    /** Alice has read payments and orders, Bob orders, at time 0. */
    async function aliceReadsBothBobOrders() {
      const { access, getEntitiesByRefs } = setup(1000);
      const alice = mockCredentials.user('user:default/alice');
      const bob = mockCredentials.user('user:default/bob');
      const orders = 'component:default/orders-api';
      await Promise.all([
        access.readableEntity(ref, alice),
        access.readableEntity(orders, alice),
        access.readableEntity(orders, bob),
      ]);
      getEntitiesByRefs.mockClear();
      return { access, getEntitiesByRefs, alice, orders };
    }

    it('answers at once and asks the catalog again in the background', async () => {
      const { access, getEntitiesByRefs } = setup(1000);
      const alice = mockCredentials.user('user:default/alice');
      await access.readableEntity(ref, alice);
      jest.setSystemTime(1500);
      let release!: () => void;
      getEntitiesByRefs.mockImplementationOnce(async () => {
        await new Promise<void>(resolve => (release = resolve));
        return { items: [entity] };
      });
      // three readers of a stale answer: none waits, one refresh for all
      await expect(access.readableEntity(ref, alice)).resolves.toBe(entity);
      await access.readableEntity(ref, alice);
      await access.readableEntity(ref, alice);
      await new Promise(setImmediate);
      expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
      release();
      await new Promise(setImmediate);
      jest.setSystemTime(2400);
      await access.readableEntity(ref, alice);
      expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
    });

    it('forgets the entity when the refresh finds it gone', async () => {
      const { access, getEntitiesByRefs } = setup(1000);
      const alice = mockCredentials.user('user:default/alice');
      await access.readableEntity(ref, alice);
      jest.setSystemTime(1500);
      getEntitiesByRefs.mockResolvedValueOnce({ items: [undefined] });
      await access.readableEntity(ref, alice);
      await new Promise(setImmediate);
      getEntitiesByRefs.mockResolvedValueOnce({ items: [undefined] });
      await expect(access.readableEntity(ref, alice)).rejects.toThrow(
        "No entity found for ref 'component:default/payments-api'",
      );
    });

    it("refreshes along the caller's other answers past half their time to live, while it reads them", async () => {
      const { access, getEntitiesByRefs, alice, orders } =
        await aliceReadsBothBobOrders();
      // payments is stale: its refresh takes alice's orders along (past half
      // its time to live), not bob's (another caller's answer)
      jest.setSystemTime(1100);
      await access.readableEntity(ref, alice);
      await new Promise(setImmediate);
      expect(getEntitiesByRefs.mock.calls).toEqual([
        [{ entityRefs: [ref, orders] }, { credentials: alice }],
      ]);
      // alice has not read orders for twice the time to live: no longer
      // refreshed along, it is left to expire
      jest.setSystemTime(2200);
      await access.readableEntity(ref, alice);
      await new Promise(setImmediate);
      expect(getEntitiesByRefs.mock.calls.slice(1)).toEqual([
        [{ entityRefs: [ref] }, { credentials: alice }],
      ]);
    });

    it("takes a returning caller's other expired answers along with the read it waits for", async () => {
      const { access, getEntitiesByRefs, alice, orders } =
        await aliceReadsBothBobOrders();
      // alice comes back after every answer has expired: her read waits for
      // the catalog, which is asked for her orders too, not for bob's
      jest.setSystemTime(10_000);
      await expect(access.readableEntity(ref, alice)).resolves.toEqual(entity);
      expect(getEntitiesByRefs.mock.calls).toEqual([
        [{ entityRefs: [ref, orders] }, { credentials: alice }],
      ]);
      // her next read finds orders fresh
      await new Promise(setImmediate);
      await expect(access.readableEntity(orders, alice)).resolves.toEqual(
        other,
      );
      expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    });

    it('shares one catalog request between concurrent first readers', async () => {
      const { access, getEntitiesByRefs } = setup(1000);
      const alice = mockCredentials.user('user:default/alice');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => access.readableEntity(ref, alice)),
      );
      expect(answers).toEqual(Array(5).fill(entity));
      expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    });
  });

  it('asks for the entities needed at the same time in one catalog request', async () => {
    const { access, getEntitiesByRefs } = setup(60_000);
    const alice = mockCredentials.user('user:default/alice');
    const [payments, orders, missing] = await Promise.allSettled([
      access.readableEntity(ref, alice),
      access.readableEntity('component:orders-api', alice),
      access.readableEntity('component:default/unknown', alice),
    ]);
    expect(payments).toEqual({ status: 'fulfilled', value: entity });
    expect(orders).toEqual({ status: 'fulfilled', value: other });
    expect(missing).toMatchObject({
      status: 'rejected',
      reason: {
        name: 'NotFoundError',
        message: "No entity found for ref 'component:default/unknown'",
      },
    });
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs).toHaveBeenCalledWith(
      {
        entityRefs: [
          ref,
          'component:default/orders-api',
          'component:default/unknown',
        ],
      },
      { credentials: alice },
    );
  });

  it("sends a caller's reads that arrive while its batch is at the catalog in one request once it has answered", async () => {
    const { access, getEntitiesByRefs } = setup(60_000);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    let answer!: () => void;
    getEntitiesByRefs.mockImplementationOnce(async () => {
      await new Promise<void>(resolve => (answer = resolve));
      return { items: [entity] };
    });
    const first = access.readableEntity(ref, alice);
    await new Promise(setImmediate);
    // three rounds of I/O while the first batch is at the catalog
    const later = [];
    for (const name of ['orders-api', 'unknown', 'orders-api']) {
      later.push(access.readableEntity(`component:default/${name}`, alice));
      await new Promise(setImmediate);
    }
    // another caller is not held behind alice's batch
    await expect(access.readableEntity(ref, bob)).resolves.toEqual(entity);
    expect(getEntitiesByRefs.mock.calls).toEqual([
      [{ entityRefs: [ref] }, { credentials: alice }],
      [{ entityRefs: [ref] }, { credentials: bob }],
    ]);

    answer();
    await expect(first).resolves.toEqual(entity);
    const [orders, unknown, ordersAgain] = await Promise.allSettled(later);
    expect(orders).toEqual({ status: 'fulfilled', value: other });
    expect(ordersAgain).toEqual(orders);
    expect(unknown).toMatchObject({
      status: 'rejected',
      reason: { name: 'NotFoundError' },
    });
    expect(getEntitiesByRefs.mock.calls.slice(2)).toEqual([
      [
        {
          entityRefs: [
            'component:default/orders-api',
            'component:default/unknown',
          ],
        },
        { credentials: alice },
      ],
    ]);
  });

  it('sends the next batch when the catalog fails the one before', async () => {
    const { access, getEntitiesByRefs } = setup(60_000);
    const alice = mockCredentials.user('user:default/alice');
    let fail!: () => void;
    getEntitiesByRefs.mockImplementationOnce(async () => {
      await new Promise<void>(resolve => (fail = resolve));
      throw new Error('catalog unavailable');
    });
    const first = access.readableEntity(ref, alice);
    await new Promise(setImmediate);
    const second = access.readableEntity('component:default/orders-api', alice);
    await new Promise(setImmediate);
    fail();
    await expect(first).rejects.toThrow('catalog unavailable');
    await expect(second).resolves.toEqual(other);
  });

  it('asks for each caller with its own credentials', async () => {
    const { access, getEntitiesByRefs } = setup(60_000);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    await Promise.all([
      access.readableEntity(ref, alice),
      access.readableEntity(ref, bob),
    ]);
    expect(getEntitiesByRefs.mock.calls.map(([, options]) => options)).toEqual([
      { credentials: alice },
      { credentials: bob },
    ]);
  });

  it('never remembers a refusal', async () => {
    const { access, getEntitiesByRefs } = setup(60_000);
    const alice = mockCredentials.user('user:default/alice');
    const unknown = 'component:default/unknown';
    await expect(access.readableEntity(unknown, alice)).rejects.toThrow(
      "No entity found for ref 'component:default/unknown'",
    );
    await expect(access.readableEntity(unknown, alice)).rejects.toThrow();
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
  });

  describe('the entities a group owns', () => {
    beforeEach(() =>
      jest.useFakeTimers({ now: 0, doNotFake: ['setImmediate'] }),
    );
    afterEach(() => jest.useRealTimers());

    it('are asked for once per caller and group within the time to live', async () => {
      const { access, getEntities } = setup(5000);
      const alice = mockCredentials.user('user:default/alice');
      const bob = mockCredentials.user('user:default/bob');
      const owned = (credentials: typeof alice) =>
        access.ownedEntityRefs('group:default/team-payments', credentials);

      expect(await owned(alice)).toEqual([ref]);
      expect(await owned(alice)).toEqual([ref]);
      expect(getEntities).toHaveBeenCalledTimes(1);
      await owned(bob);
      expect(getEntities).toHaveBeenCalledTimes(2);
      expect(getEntities.mock.calls[1][1]).toEqual({ credentials: bob });

      jest.advanceTimersByTime(5001);
      await owned(alice);
      expect(getEntities).toHaveBeenCalledTimes(3);
    });

    it('are not found when the group is not, and a failure is not kept', async () => {
      const { access, getEntities } = setup(5000);
      const alice = mockCredentials.user('user:default/alice');
      await expect(
        access.ownedEntityRefs('group:default/nobody', alice),
      ).rejects.toThrow("No entity found for ref 'group:default/nobody'");
      getEntities.mockRejectedValueOnce(new Error('catalog down'));
      await expect(
        access.ownedEntityRefs('group:default/team-payments', alice),
      ).rejects.toThrow('catalog down');
      expect(
        await access.ownedEntityRefs('group:default/team-payments', alice),
      ).toEqual([ref]);
      expect(getEntities).toHaveBeenCalledTimes(2);
    });
  });
});
