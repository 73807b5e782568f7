import { dumpArguments, mysqlDumpName } from './take';

describe('taking a MySQL dump', () => {
  it('names the dump after the target and the UTC time', () => {
    expect(
      mysqlDumpName('maintenance-db', new Date('2026-11-24T08:59:25.123Z')),
    ).toBe('maintenance-db-20261124T085925Z.sql.gz');
  });

  it('dumps one database consistently with its routines, triggers and events, and no password on the command line', () => {
    const args = dumpArguments({
      host: 'db-1',
      port: 3306,
      database: 'maintenance',
      user: 'backup',
      password: 'secret',
    });
    expect(args[0]).toBe('--no-defaults');
    expect(args).toEqual(
      expect.arrayContaining([
        '--single-transaction',
        '--routines',
        '--triggers',
        '--events',
        '--hex-blob',
        '--protocol=TCP',
      ]),
    );
    expect(args[args.length - 1]).toBe('maintenance');
    expect(args.join(' ')).not.toContain('secret');
  });
});
