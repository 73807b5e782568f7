import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { pgBackRestEnvironment, readBackupSettings } from './backupConfig';

const KEY = 'ops.databases.orders-db';

function read(backup: JsonObject) {
  return readBackupSettings(new ConfigReader({ backup }), KEY);
}

describe('readBackupSettings', () => {
  it('reads a pgBackRest repository, secrets as names of environment variables', () => {
    expect(
      read({
        source: 'pgbackrest',
        stanza: 'orders',
        configFile: '/etc/pgbackrest/pgbackrest.conf',
        verify: true,
        env: { PGBACKREST_REPO1_CIPHER_PASS: 'ORDERS_REPO_PASS' },
      }),
    ).toEqual({
      source: 'pgbackrest',
      stanza: 'orders',
      configFile: '/etc/pgbackrest/pgbackrest.conf',
      repoPath: undefined,
      verify: true,
      env: { PGBACKREST_REPO1_CIPHER_PASS: 'ORDERS_REPO_PASS' },
    });
  });

  it('defaults to pg_dump with today’s keys', () => {
    expect(
      read({ format: 'custom', directory: '/var/backups/orders' }),
    ).toEqual({
      source: 'pgdump',
      format: 'custom',
      directory: '/var/backups/orders',
    });
  });

  it.each([
    [
      'an unknown source',
      { source: 'barman' },
      `Invalid configuration ${KEY}.backup.source: 'barman' is not one of 'pgdump', 'pgbackrest'`,
    ],
    [
      'a stanza that reads as an option',
      { source: 'pgbackrest', stanza: '--repo1-path=/x' },
      `Invalid configuration ${KEY}.backup.stanza`,
    ],
    [
      'a relative repository path',
      { source: 'pgbackrest', stanza: 'orders', repoPath: 'repo' },
      `Invalid configuration ${KEY}.backup.repoPath: 'repo' must be an absolute path`,
    ],
    [
      'a secret written into the config instead of a variable name',
      {
        source: 'pgbackrest',
        stanza: 'orders',
        env: { PGBACKREST_REPO1_CIPHER_PASS: 'hunter2 is the pass' },
      },
      `Invalid configuration ${KEY}.env.PGBACKREST_REPO1_CIPHER_PASS`.replace(
        '.env',
        '.backup.env',
      ),
    ],
    [
      'an environment option that is not pgBackRest’s',
      { source: 'pgbackrest', stanza: 'orders', env: { PATH: 'X' } },
      `Invalid configuration ${KEY}.backup.env.PATH`,
    ],
  ])('refuses %s, naming the key', (_what, backup, message) => {
    expect(() => read(backup)).toThrow(message);
  });

  it('names the unset variable that holds a pgBackRest secret', () => {
    const settings = read({
      source: 'pgbackrest',
      stanza: 'orders',
      env: { PGBACKREST_REPO1_CIPHER_PASS: 'ORDERS_REPO_PASS' },
    });
    if (settings.source !== 'pgbackrest') {
      throw new Error('not pgbackrest');
    }
    expect(() => pgBackRestEnvironment(settings, {})).toThrow(
      'The environment variable ORDERS_REPO_PASS that holds PGBACKREST_REPO1_CIPHER_PASS for the pgBackRest stanza orders is not set on the backend',
    );
    expect(
      pgBackRestEnvironment(settings, { ORDERS_REPO_PASS: 'secret' }),
    ).toEqual({ PGBACKREST_REPO1_CIPHER_PASS: 'secret' });
  });
});
