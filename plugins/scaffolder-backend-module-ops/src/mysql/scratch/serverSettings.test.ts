import { scratchServerArgs } from './serverSettings';

const paths = {
  dataDir: '/w/i/data',
  socket: '/w/i/s/mysqld.sock',
  pidFile: '/w/i/mysqld.pid',
  errorLog: '/w/i/error.log',
  tmpDir: '/w/i/tmp',
};

describe('scratchServerArgs', () => {
  it('reads no option file and listens on loopback only', () => {
    const args = scratchServerArgs({ paths, port: 40123, runAsUser: 'mysql' });
    expect(args[0]).toBe('--no-defaults');
    expect(args).toEqual(
      expect.arrayContaining([
        '--port=40123',
        '--bind-address=127.0.0.1',
        '--socket=/w/i/s/mysqld.sock',
        '--user=mysql',
        '--skip-name-resolve',
        '--secure-file-priv=/w/i/tmp',
      ]),
    );
    expect(args).not.toContain('--skip-grant-tables');
  });

  it('gives a server without grant tables no TCP port at all', () => {
    const args = scratchServerArgs({
      paths,
      port: 40123,
      skipGrantTables: true,
    });
    expect(args).toEqual(
      expect.arrayContaining(['--skip-grant-tables', '--skip-networking']),
    );
    expect(args.some(arg => arg.startsWith('--port'))).toBe(false);
    expect(args.some(arg => arg.startsWith('--user'))).toBe(false);
  });
});
