import { renderConnectionFile } from './repoint';

const newPrimary = {
  host: '127.0.0.1',
  port: 5456,
  database: 'payments',
  user: 'opsdeck_drill',
};
const details = {
  target: 'payments-db',
  timeline: 2,
  promotedAt: '2026-11-24T12:00:00.000Z',
};

describe('renderConnectionFile', () => {
  it('points a DATABASE_URL at the new primary, keeping its user, database, parameters and the other lines', () => {
    const before = [
      '# payments-api (demo)',
      'DATABASE_URL=postgresql://payments_app@127.0.0.1:5455/payments?sslmode=disable',
      'POOL_SIZE=10',
      '',
    ].join('\n');
    expect(renderConnectionFile('env', newPrimary, details, before)).toBe(
      [
        '# payments-api (demo)',
        'DATABASE_URL=postgresql://payments_app@127.0.0.1:5456/payments?sslmode=disable',
        'POOL_SIZE=10',
        '',
      ].join('\n'),
    );
  });

  it('replaces PGHOST and PGPORT, also exported or quoted URLs', () => {
    expect(
      renderConnectionFile(
        'env',
        { ...newPrimary, host: 'db-2.internal', port: 5432 },
        details,
        'export PGHOST=db-1.internal\nPGPORT=5433\nDATABASE_URL="postgres://u:p@db-1.internal:5433/x"\n',
      ),
    ).toBe(
      'export PGHOST=db-2.internal\nPGPORT=5432\nDATABASE_URL="postgres://u:p@db-2.internal:5432/x"\n',
    );
  });

  it('writes the libpq variables into a new env file or one that names no server', () => {
    expect(renderConnectionFile('env', newPrimary, details)).toBe(
      '# payments-db: written by ops:postgres:failover\nPGHOST=127.0.0.1\nPGPORT=5456\nPGDATABASE=payments\n',
    );
    expect(renderConnectionFile('env', newPrimary, details, 'POOL=1')).toBe(
      'POOL=1\nPGHOST=127.0.0.1\nPGPORT=5456\nPGDATABASE=payments\n',
    );
  });

  it('writes JSON with the primary, its timeline and the promotion time', () => {
    expect(
      JSON.parse(renderConnectionFile('json', newPrimary, details, '{}')),
    ).toEqual({
      target: 'payments-db',
      host: '127.0.0.1',
      port: 5456,
      database: 'payments',
      timeline: 2,
      promotedAt: '2026-11-24T12:00:00.000Z',
    });
  });
});
