import { type DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { CreateDeploymentRequest } from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { DatabaseIncidentStore } from '../incidents/DatabaseIncidentStore';
import { IncidentFields } from '../incidents/IncidentStore';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function databaseService(knex: Knex): DatabaseService {
  return { getClient: async () => knex, migrations: { skip: false } };
}

const payments = 'component:default/payments-api';
const orders = 'component:default/orders-api';
const ms = (iso: string) => Date.parse(iso);
const WINDOW = {
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-11-07T23:59:59.999Z',
  until: '2026-12-07T23:59:59.999Z',
};

async function stores(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = databaseService(knex);
  const deployments = await DatabaseDeploymentStore.create({ database });
  const incidents = await DatabaseIncidentStore.create({ database });
  const deploy = async (
    version: string,
    fields: Partial<CreateDeploymentRequest>,
  ) =>
    (
      await deployments.createDeployment(
        {
          entityRef: payments,
          environment: 'production',
          version,
          startedAt: '2026-11-03T10:00:00.000Z',
          status: 'succeeded',
          ...fields,
        },
        { actor: 'ci' },
      )
    ).id;
  const declare = (title: string, fields: Partial<IncidentFields>) =>
    incidents.createIncident(
      {
        entityRef: payments,
        title,
        severity: 'SEV2',
        status: 'open',
        detectedAt: '2026-10-30T00:00:00.000Z',
        labels: {},
        ...fields,
      },
      { actor: 'user:default/alice', events: [] },
    );
  return { deployments, incidents, deploy, declare };
}

describe('readDoraWindow', () => {
  it('runs the PostgreSQL cases (scripts/postgres-for-tests.sh starts a server)', () => {
    expect(databases.supports('POSTGRES_15')).toBe(true);
  });

  it.each(databases.eachSupportedId())(
    'reads the deployments of the window and its lookahead, with the columns DORA needs (%s)',
    async databaseId => {
      const { deployments, deploy } = await stores(databaseId);
      await deploy('before', { startedAt: '2026-10-31T23:59:59.999Z' });
      await deploy('at from', {
        startedAt: WINDOW.from,
        commitTime: '2026-10-31T22:00:00.000Z',
        finishedAt: '2026-11-01T00:05:00.000Z',
      });
      await deploy('rollback after the window', {
        startedAt: '2026-11-09T00:00:00.000Z',
        status: 'rolled-back',
      });
      await deploy('at until', { startedAt: WINDOW.until });
      await deploy('after until', { startedAt: '2026-12-08T00:00:00.000Z' });
      await deploy('staging', { environment: 'staging' });
      await deploy('orders', { entityRef: orders });
      await deploy('elsewhere', { entityRef: 'component:default/search' });

      const { deployments: rows } = await deployments.readDoraWindow({
        entityRefs: [payments, orders],
        environments: ['production'],
        ...WINDOW,
      });
      expect(rows).toEqual([
        {
          id: expect.any(String),
          entityRef: payments,
          environment: 'production',
          status: 'succeeded',
          commitTime: ms('2026-10-31T22:00:00.000Z'),
          startedAt: ms(WINDOW.from),
          finishedAt: ms('2026-11-01T00:05:00.000Z'),
        },
        expect.objectContaining({ entityRef: orders }),
        expect.objectContaining({ status: 'rolled-back' }),
        expect.objectContaining({ startedAt: ms(WINDOW.until) }),
      ]);
      expect(Object.keys(rows[1]).sort()).toEqual(
        ['entityRef', 'environment', 'id', 'startedAt', 'status'].sort(),
      );

      const withStaging = await deployments.readDoraWindow({
        entityRefs: [payments],
        environments: ['production', 'staging'],
        ...WINDOW,
      });
      expect(withStaging.deployments.map(d => d.environment).sort()).toEqual([
        'production',
        'production',
        'production',
        'staging',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'reads the incidents resolved in the window or caused by its deployments, each once (%s)',
    async databaseId => {
      const { deployments, deploy, declare } = await stores(databaseId);
      const inWindow = await deploy('in the window', {});
      const earlier = await deploy('earlier', {
        startedAt: '2026-10-20T10:00:00.000Z',
      });
      const staging = await deploy('staging', { environment: 'staging' });
      const resolved = (resolvedAt: string) => ({
        status: 'resolved' as const,
        resolvedAt,
      });
      await declare(
        'resolved just before',
        resolved('2026-10-31T23:59:59.999Z'),
      );
      await declare('resolved at from', {
        ...resolved(WINDOW.from),
        startedAt: '2026-10-29T00:00:00.000Z',
      });
      await declare('resolved at to', resolved(WINDOW.to));
      await declare(
        'resolved just after',
        resolved('2026-11-08T00:00:00.000Z'),
      );
      await declare('resolved, another service', {
        ...resolved('2026-11-03T00:00:00.000Z'),
        entityRef: 'component:default/search',
      });
      await declare('caused, found later, open', {
        detectedAt: '2026-11-20T00:00:00.000Z',
        deploymentId: inWindow,
      });
      await declare('caused and resolved in the window', {
        ...resolved('2026-11-04T00:00:00.000Z'),
        deploymentId: inWindow,
      });
      await declare('caused by an earlier deployment, open', {
        deploymentId: earlier,
      });
      await declare('caused by a staging deployment, open', {
        deploymentId: staging,
      });

      const { incidents } = await deployments.readDoraWindow({
        entityRefs: [payments, orders],
        environments: ['production'],
        ...WINDOW,
      });
      const byResolution = [...incidents].sort(
        (a, b) =>
          Number(a.resolvedAt ?? Infinity) - Number(b.resolvedAt ?? Infinity),
      );
      // Times in ms since the epoch, as the DORA math takes them.
      expect(byResolution).toEqual([
        {
          detectedAt: ms('2026-10-30T00:00:00.000Z'),
          startedAt: ms('2026-10-29T00:00:00.000Z'),
          resolvedAt: ms(WINDOW.from),
        },
        {
          detectedAt: ms('2026-10-30T00:00:00.000Z'),
          resolvedAt: ms('2026-11-04T00:00:00.000Z'),
          deploymentId: inWindow,
        },
        {
          detectedAt: ms('2026-10-30T00:00:00.000Z'),
          resolvedAt: ms(WINDOW.to),
        },
        { detectedAt: ms('2026-11-20T00:00:00.000Z'), deploymentId: inWindow },
      ]);

      expect(
        await deployments.readDoraWindow({
          entityRefs: [],
          environments: ['production'],
          ...WINDOW,
        }),
      ).toEqual({ deployments: [], incidents: [] });
    },
  );
});

describe('readDoraStamp', () => {
  it.each(databases.eachSupportedId())(
    'changes with each deployment and each incident change of the entities, and only theirs (%s)',
    async databaseId => {
      const { deployments, incidents, deploy, declare } = await stores(
        databaseId,
      );
      const stamp = () => deployments.readDoraStamp([payments, orders]);
      const stamps = [await stamp()];
      const expectNew = async () => {
        const next = await stamp();
        expect(stamps).not.toContain(next);
        stamps.push(next);
      };

      await deploy('first', {});
      await expectNew();
      await deploy('second', { entityRef: orders });
      await expectNew();
      const incident = await declare('open', {});
      await expectNew();
      await incidents.updateIncident(
        incident.id,
        { status: 'resolved', resolvedAt: '2026-11-04T00:00:00.000Z' },
        { actor: 'user:default/alice', expectedVersion: 1, events: [] },
      );
      await expectNew();

      // Another service's records, and reads, leave it as it was.
      await deploy('elsewhere', { entityRef: 'component:default/search' });
      await declare('elsewhere', { entityRef: 'component:default/search' });
      await deployments.readDoraWindow({
        entityRefs: [payments, orders],
        environments: ['production'],
        ...WINDOW,
      });
      expect(await stamp()).toBe(stamps[stamps.length - 1]);
    },
  );
});
