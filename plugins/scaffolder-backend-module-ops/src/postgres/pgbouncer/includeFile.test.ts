import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  connectStringAddress,
  findEntry,
  pointConnectString,
  withEntry,
  writeIncludeFile,
} from './includeFile';

const primary = {
  host: '10.0.0.12',
  port: 5433,
  database: 'orders',
  user: 'app',
};

const file = [
  '; owned by OpsDeck',
  '[databases]',
  "orders = host=10.0.0.11 port=5432 dbname=orders pool_size=40 application_name='orders api'",
  'billing=host=10.0.0.20 dbname=billing',
  '',
  '[users]',
  'orders = pool_mode=session',
  '',
].join('\n');

describe('PgBouncer include file', () => {
  it('finds an entry in [databases] only, and where it sends clients', () => {
    expect(findEntry(file, 'orders')).toBe(
      "host=10.0.0.11 port=5432 dbname=orders pool_size=40 application_name='orders api'",
    );
    expect(findEntry(file, 'inventory')).toBeUndefined();
    expect(connectStringAddress(findEntry(file, 'orders')!)).toEqual({
      host: '10.0.0.11',
      port: 5432,
    });
    expect(connectStringAddress('  host=h   port=6 ')).toEqual({
      host: 'h',
      port: 6,
    });
    // PgBouncer's defaults: the socket and 5432.
    expect(connectStringAddress('dbname=x')).toEqual({ host: '', port: 5432 });
  });

  it('points one entry at the new primary and keeps everything else', () => {
    const pointed = pointConnectString(findEntry(file, 'orders')!, primary);
    expect(pointed).toBe(
      "host=10.0.0.12 port=5433 dbname=orders pool_size=40 application_name='orders api'",
    );
    const rewritten = withEntry(file, 'orders', pointed);
    expect(rewritten.split('\n')).toEqual([
      '; owned by OpsDeck',
      '[databases]',
      `orders = ${pointed}`,
      'billing=host=10.0.0.20 dbname=billing',
      '',
      '[users]',
      'orders = pool_mode=session',
      '',
    ]);
  });

  it('treats lines before any section as entries (the file continues pgbouncer.ini)', () => {
    const bare = 'orders = host=a port=1 dbname=orders\n';
    expect(findEntry(bare, 'orders')).toBe('host=a port=1 dbname=orders');
  });

  it('refuses a file without the entry and an unreadable connect string', () => {
    expect(() => withEntry(file, 'inventory', 'host=x')).toThrow(
      "has no [databases] entry 'inventory'",
    );
    expect(() => connectStringAddress("host='unterminated")).toThrow(
      'cannot read the connect string',
    );
  });

  it('replaces the file atomically and keeps its mode', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-include-'));
    try {
      const target = path.join(dir, 'routes.ini');
      await fs.writeFile(target, file);
      await fs.chmod(target, 0o640);
      await writeIncludeFile(target, 'new');
      expect(await fs.readFile(target, 'utf8')).toBe('new');
      expect((await fs.stat(target)).mode & 0o777).toBe(0o640);
      expect(await fs.readdir(dir)).toEqual(['routes.ini']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
