import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@backstage/config';
import { DATABASES_CONFIG_KEY } from '@opsdeck/plugin-ops-common';
import { invalid } from '../postgres/configValues';
import { readScratchSettings, readTargetBasics } from '../targets/basics';
import { MysqlBackupSettings, MysqlStableRows, MysqlTarget } from './target';

export const MYSQL_BACKUP_SOURCES = ['mysqldump', 'mariadb-backup'] as const;

/** Where Debian's and most distributions' packages put the client programs and the server. */
export const DEFAULT_MYSQL_BIN_DIR = '/usr/bin';
const SERVER_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'];

// Table and column names as information_schema stores them: no dot, quote or space.
const NAME = /^[^.\s`'"]{1,64}$/;

function readBackup(config: Config, key: string): MysqlBackupSettings {
  const source = config.getOptionalString('backup.source') ?? 'mysqldump';
  if (!(MYSQL_BACKUP_SOURCES as readonly string[]).includes(source)) {
    throw invalid(
      `${key}.backup.source`,
      `'${source}' is not one of ${MYSQL_BACKUP_SOURCES.map(s => `'${s}'`).join(
        ', ',
      )}`,
    );
  }
  return {
    source: source as MysqlBackupSettings['source'],
    // Relative to the backend's working directory, like the PostgreSQL targets' dumps.
    directory: path.resolve(config.getString('backup.directory')),
  };
}

function readStableRows(config: Config, key: string): MysqlStableRows {
  const entry: MysqlStableRows = {
    table: config.getString('table'),
    column: config.getString('column'),
  };
  for (const name of ['table', 'column'] as const) {
    if (!NAME.test(entry[name])) {
      throw invalid(
        `${key}.${name}`,
        `'${entry[name]}' is not a ${name} name of the target's database`,
      );
    }
  }
  return entry;
}

/**
 * Reads and validates a MySQL/MariaDB target (`engine: mysql`); throws
 * naming the offending key.
 *
 * @public
 */
export function readMysqlTarget(config: Config, name: string): MysqlTarget {
  const key = `${DATABASES_CONFIG_KEY}.${name}`;
  const basics = readTargetBasics(config, name, 3306);
  const scratch = readScratchSettings(config, key, DEFAULT_MYSQL_BIN_DIR);
  const server =
    config.getOptionalString('scratch.server') ??
    SERVER_CANDIDATES.find(file => fs.existsSync(file)) ??
    SERVER_CANDIDATES[0];
  if (!path.isAbsolute(server)) {
    throw invalid(
      `${key}.scratch.server`,
      `'${server}' must be an absolute path`,
    );
  }
  const verification = config.getOptionalConfig('verification');
  return {
    ...basics,
    engine: 'mysql',
    backup: readBackup(config, key),
    verification: {
      check: verification?.getOptionalBoolean('check') ?? false,
      stableRows: (
        verification?.getOptionalConfigArray('stableRows') ?? []
      ).map((entry, index) =>
        readStableRows(entry, `${key}.verification.stableRows[${index}]`),
      ),
    },
    scratch: { ...scratch, server },
  };
}
