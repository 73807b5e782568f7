import { PgDumpBackupSettings } from '../backupConfig';
import {
  ScratchInstance,
  SCRATCH_SERVER_SETTINGS,
} from '../scratch/scratchInstance';
import { BackupInfo, findLatestBackup } from './discovery';
import { pgRestoreArguments, restoreBackup } from './restore';
import { BackupSource, FoundBackup } from './source';
import path from 'node:path';

/** A pg_dump backup as the drill sees it, with what its table of contents said. */
interface PgDumpBackup extends FoundBackup {
  info: BackupInfo;
}

function infoOf(backup: FoundBackup): BackupInfo {
  const { info } = backup as PgDumpBackup;
  if (!info) {
    throw new Error(`${backup.label} was not found by the pg_dump source`);
  }
  return info;
}

/**
 * pg_dump outputs in a directory (`backup.source: pgdump`): the newest is
 * restored with pg_restore into a started copy of the template cluster. A
 * dump is a snapshot: it restores to the moment it was taken and no later.
 */
export class PgDumpSource implements BackupSource {
  readonly kind = 'pgdump';
  readonly supportsTargetTime = false;
  readonly readsSourceAfterCopy = false;
  readonly #settings: PgDumpBackupSettings;
  readonly #binDir: string;

  constructor(settings: PgDumpBackupSettings, binDir: string) {
    this.#settings = settings;
    this.#binDir = binDir;
  }

  describe(): string {
    return `pg_dump ${
      this.#settings.format === 'directory' ? '-Fd directories' : '-Fc files'
    } in ${this.#settings.directory}`;
  }

  programs(): string[] {
    return ['initdb', 'postgres', 'pg_ctl', 'pg_restore'].map(program =>
      path.join(this.#binDir, program),
    );
  }

  async findLatest(options: { signal?: AbortSignal }): Promise<FoundBackup> {
    const info = await findLatestBackup({
      directory: this.#settings.directory,
      format: this.#settings.format,
      binDir: this.#binDir,
      signal: options.signal,
    });
    const found: PgDumpBackup = {
      label: info.path,
      manifestBeside: info.path,
      type: `pg_dump -F${info.format === 'directory' ? 'd' : 'c'}`,
      stoppedAt: info.createdAt,
      stoppedAtSource: info.createdAtSource,
      recoverableUntil: info.createdAt,
      recoverableUntilSource: `the dump's ${info.createdAtSource}`,
      database: info.database,
      summary: `${info.path}, taken ${info.createdAt.toISOString()} (per its ${
        info.createdAtSource
      })${info.database ? `, database ${info.database}` : ''}`,
      info,
    };
    return found;
  }

  async prepareInstance(instance: ScratchInstance): Promise<string> {
    await instance.start();
    return `${
      instance.template?.built
        ? `Built the template cluster ${instance.template.name} (initdb, once per installation), copied it`
        : `Copied the template cluster ${instance.template?.name}`
    } and started it (pg_ctl start): ${
      instance.dataDir
    }, listening on 127.0.0.1:${instance.port} and ${
      instance.socketDir
    } (local trust only; bulk-load settings ${SCRATCH_SERVER_SETTINGS.join(
      ', ',
    )}, fsync on)`;
  }

  async restore(options: {
    backup: FoundBackup;
    instance: ScratchInstance;
    jobs: number;
    targetTime?: Date;
    signal?: AbortSignal;
  }) {
    const { backup, instance, jobs, targetTime, signal } = options;
    if (targetTime) {
      throw new Error(
        'A pg_dump backup restores only to the moment it was taken; targetTime needs a source with archived WAL (pgbackrest)',
      );
    }
    const info = infoOf(backup);
    const { database } = await restoreBackup({
      binDir: this.#binDir,
      backup: info,
      instance,
      jobs,
      signal,
    });
    return {
      database,
      output: `pg_restore -j ${jobs} of ${info.path} into ${database}`,
    };
  }

  describeRestore(options: { backup: FoundBackup; jobs: number }): string {
    return `pg_restore ${pgRestoreArguments({
      backup: infoOf(options.backup),
      socketDir: '<scratch socket dir>',
      port: '<free port>',
      jobs: options.jobs,
    }).join(' ')}`;
  }
}
