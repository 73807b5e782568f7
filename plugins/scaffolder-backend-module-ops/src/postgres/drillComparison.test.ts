import net from 'node:net';
import { ConfigReader } from '@backstage/config';
import { FoundBackup } from './backup/source';
import { findDatabaseTarget } from './config';
import { readComparisonMeanwhile } from './drillComparison';

// A loopback port that refuses connections: the source's count fails the
// moment it connects, which shows when it tried.
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function targetOnPort(port: number) {
  return findDatabaseTarget(
    new ConfigReader({
      ops: {
        databases: {
          'orders-db': {
            primary: {
              host: '127.0.0.1',
              port,
              database: 'orders',
              user: 'drill',
            },
            backup: { format: 'directory', directory: '/var/backups/orders' },
          },
        },
      },
    }),
    'orders-db',
  )!;
}

// Without a manifest beside it: the live source is counted.
const backup: FoundBackup = {
  label: '20261203-152024F',
  type: 'pgBackRest full',
  stoppedAt: new Date('2026-12-03T15:20:24Z'),
  stoppedAtSource: 'pgbackrest info',
  recoverableUntil: new Date('2026-12-03T15:20:24Z'),
  recoverableUntilSource: 'pgbackrest info',
  summary: 'full backup',
};

const settled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise(resolve => setTimeout(() => resolve('pending'), 300)),
  ]);

describe('readComparisonMeanwhile', () => {
  it('counts the source at once by default', async () => {
    const target = await targetOnPort(await closedPort());
    const comparison = readComparisonMeanwhile(target, backup);
    await expect(comparison.outline).rejects.toThrow(
      /Counting the rows of the source failed: .*ECONNREFUSED/,
    );
  });

  it('waits for startWhen (a physical restore put its files in place) before it connects', async () => {
    const target = await targetOnPort(await closedPort());
    let filesInPlace = () => {};
    const startWhen = new Promise<void>(resolve => {
      filesInPlace = resolve;
    });
    const comparison = readComparisonMeanwhile(target, backup, { startWhen });
    expect(await settled(comparison.outline)).toBe('pending');
    filesInPlace();
    await expect(comparison.outline).rejects.toThrow(/ECONNREFUSED/);
  });

  it('never connects when the drill stops before startWhen', async () => {
    const target = await targetOnPort(await closedPort());
    const comparison = readComparisonMeanwhile(target, backup, {
      startWhen: new Promise<void>(() => {}),
    });
    await comparison.stop();
    await expect(comparison.outline).rejects.toThrow(
      'the drill stopped before the count began',
    );
  });
});
